/** The browser refused to store an image even after the cache made room: the disk or quota is full. */
export class StorageFull extends Error {
  override readonly name = 'StorageFull';

  constructor(options?: ErrorOptions) {
    super('The browser has no room left to keep images. Free some disk space, then try again.', options);
  }
}
