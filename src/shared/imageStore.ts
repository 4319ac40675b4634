/**
 * Where image bytes wait for the page that shows them. The worker writes; pages read by id. The popup
 * shares the extension's origin, so it reads IndexedDB directly instead of receiving bytes in a message.
 */
import { createStore, del, get, set } from 'idb-keyval';

export interface StoredImage {
  blob: Blob;
  contentType: string;
  size: number;
  storedAt: number;
}

const images = createStore('glean-images-cache', 'images');

export const readImage = (id: string): Promise<StoredImage | undefined> => get<StoredImage>(id, images);
export const writeImage = (id: string, image: StoredImage): Promise<void> => set(id, image, images);
export const deleteImage = (id: string): Promise<void> => del(id, images);
