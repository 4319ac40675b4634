/**
 * A response body read only as far as it is wanted: a huge error page, a wrong answer or an endless
 * image never has to be downloaded in full. The one bounded reader, for the Glean client and the
 * right-click fetch alike.
 */

/** The body up to the chunk that takes it past `maxBytes`, and whether it went past (`more`); the rest
 * is cancelled. Rejects when reading fails (abort, network). */
export async function readAtMost(response: Response, maxBytes: number): Promise<{ body: Blob; more: boolean }> {
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  const type = response.headers.get('content-type') ?? '';
  if (response.body === null) return { body: new Blob([], { type }), more: false };
  const reader = response.body.getReader();
  let bytes = 0;
  try {
    while (bytes <= maxBytes) {
      const { done, value } = await reader.read();
      if (done) return { body: new Blob(chunks, { type }), more: false };
      bytes += value.byteLength;
      chunks.push(value);
    }
    return { body: new Blob(chunks, { type }), more: true };
  } finally {
    reader.cancel().catch(() => undefined);
  }
}
