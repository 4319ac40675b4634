/** The plain-HTTP plumbing that the sandbox and the identity provider share. */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './reply.ts';

export interface Body {
  /** Empty when the body was over the limit; its size and hash still count. */
  bytes: Buffer;
  size: number;
  sha256?: string;
  tooLarge: boolean;
}

/** Reads the whole body even past the limit, so that the client gets to read the 413 instead of a broken pipe. */
export async function readBody(request: IncomingMessage, limit: number): Promise<Body> {
  const chunks: Buffer[] = [];
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of request) {
    if (!Buffer.isBuffer(chunk)) throw new TypeError('request stream yielded a non-Buffer chunk');
    size += chunk.length;
    hash.update(chunk);
    if (size <= limit) chunks.push(chunk);
  }
  const tooLarge = size > limit;
  return {
    bytes: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks),
    size,
    sha256: size > 0 ? hash.digest('hex') : undefined,
    tooLarge,
  };
}

export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

export function flattenQuery(params: URLSearchParams): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const name of new Set(params.keys())) flat[name] = params.getAll(name).join(',');
  return flat;
}

export function send(response: ServerResponse, reply: Reply): void {
  response.writeHead(reply.status, { ...reply.headers, 'content-length': reply.body.length });
  response.end(reply.body);
}
