/** A whole HTTP answer, built before anything is written so it can be logged and recorded as one. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Extra detail for the log line, e.g. the contract violations. */
  note?: string;
}

export function textReply(status: number, text: string): Reply {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(text) };
}

export function jsonReply(status: number, value: unknown, note?: string): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(value, null, 2)),
    note,
  };
}
