/**
 * A Blob's bytes for one synchronous use, freed as soon as it returns. A worker that reads file after
 * file (a batch of uploads, each hashed and measured for the cache) otherwise holds every file's
 * ArrayBuffer until V8 next collects garbage, which it does late for memory outside its own heap:
 * twenty 5 MB uploads peaked at 5 times one file in bench/batch.ts. Detaching the buffer
 * (ArrayBuffer.prototype.transfer, ES2024: https://tc39.es/ecma262/#sec-arraybuffer.prototype.transfer,
 * Chrome 114, Firefox 122) releases its memory at once; where it is missing (Node 20, for the unit
 * tests) the buffer is left to the collector as before.
 */

/** ArrayBuffer.prototype.transfer, which the project's ES2022 lib does not declare. */
type Detachable = ArrayBuffer & { transfer?: (newByteLength?: number) => ArrayBuffer };

/** `use` must not keep `bytes` (nor a view of them) beyond its return: they are gone afterwards. */
export async function withBytes<T>(blob: Pick<Blob, 'arrayBuffer'>, use: (bytes: Uint8Array<ArrayBuffer>) => T): Promise<T> {
  const buffer: Detachable = await blob.arrayBuffer();
  try {
    return use(new Uint8Array(buffer));
  } finally {
    buffer.transfer?.(0);
  }
}
