/** The browser refused to store an image even after the cache made room: the disk or quota is full. */
import { t } from '../../shared/i18n.ts';

export class StorageFull extends Error {
  override readonly name = 'StorageFull';

  constructor(options?: ErrorOptions) {
    super(t('errorStorageFull'), options);
  }
}
