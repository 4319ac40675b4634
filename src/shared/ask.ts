/** The pages' side of the message contract: one typed call per request, errors rethrown as data. */
import browser from 'webextension-polyfill';
import { t } from './i18n.ts';
import type { AnswerOf, ErrorCode, PayloadOf, Reply, ReplyError, Request, RequestType } from './messages.ts';

export class RequestFailed extends Error {
  readonly code: ErrorCode;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(error: ReplyError) {
    super(error.message);
    this.name = 'RequestFailed';
    this.code = error.code;
    this.status = error.status;
    this.retryAfterMs = error.retryAfterMs;
  }
}

export async function ask<K extends RequestType>(type: K, payload: PayloadOf<K>): Promise<AnswerOf<K>> {
  const request: Request<K> = { type, payload };
  const reply = (await browser.runtime.sendMessage(request)) as Reply<AnswerOf<K>> | undefined;
  if (!reply) {
    throw new RequestFailed({ code: 'unexpected', message: t('errorNoAnswer') });
  }
  if (!reply.ok) throw new RequestFailed(reply.error);
  return reply.value;
}
