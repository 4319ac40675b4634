/** A `data:` image's bytes, decoded where they are: in the URL itself. `fetch` decodes base64 and %-escapes alike. */
import { t } from '../../shared/i18n.ts';
import { InvalidInput } from '../invalidInput.ts';
import { readBounded } from './fetchImage.ts';

export async function decodeDataUrl(dataUrl: string): Promise<Blob> {
  let response: Response;
  try {
    // A data: URL goes nowhere; the house rule asks every fetch outside the Glean client to say so anyway.
    response = await fetch(dataUrl, { credentials: 'omit' });
  } catch {
    throw new InvalidInput(t('imageDataUrlMalformed'));
  }
  return readBounded(response);
}
