/** The pages' side of the message contract: one typed call per request, errors rethrown as data. */
import browser from 'webextension-polyfill';
import { t } from './i18n.ts';
import type { AnswerOf, PayloadOf, Reply, ReplyError, Request, RequestType } from './messages.ts';

/** The worker's refusal or failure, as an error whose message is ready to show; `reply` says the rest. */
export class RequestFailed extends Error {
  readonly reply: ReplyError;

  constructor(reply: ReplyError) {
    super(reply.message);
    this.reply = reply;
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
