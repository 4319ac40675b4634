/**
 * The worker's single `runtime.onMessage` handler: checks who is asking, dispatches to the handler of
 * the request's type, and turns every outcome into a `Reply` (errors as data, never thrown across).
 */
import { t } from '../shared/i18n.ts';
import type { AnswerOf, PayloadOf, Reply, ReplyError, RequestType } from '../shared/messages.ts';
import { PAYLOAD_CHECKS } from './payloadChecks.ts';

export interface Sender {
  id?: string;
  url?: string;
  tab?: unknown;
}

export type Handlers = {
  [K in RequestType]: (payload: PayloadOf<K>) => Promise<AnswerOf<K>>;
};

export interface RouterDeps {
  handlers: Handlers;
  /** The extension's own id and page origin (`chrome-extension://<id>/`, `moz-extension://<uuid>/`). */
  extensionId: string;
  extensionOrigin: string;
  /** Turns any failure into what the page shows; must never put the token in the message. */
  describeError: (error: unknown, type: RequestType) => ReplyError;
}


/**
 * Only our own pages are trusted: a content script's sender carries the web page's URL, and other
 * extensions carry another id (Bitwarden and Dark Reader check the same two things).
 */
export function isOwnPage(sender: Sender, extensionId: string, extensionOrigin: string): boolean {
  return sender.id === extensionId && typeof sender.url === 'string' && sender.url.startsWith(extensionOrigin);
}

function isRequest(message: unknown, handlers: Handlers): message is { type: RequestType; payload: unknown } {
  return (
    typeof message === 'object' &&
    message !== null &&
    'type' in message &&
    typeof message.type === 'string' &&
    Object.hasOwn(handlers, message.type)
  );
}

export function createRouter({ handlers, extensionId, extensionOrigin, describeError }: RouterDeps) {
  return async function route(message: unknown, sender: Sender): Promise<Reply<unknown>> {
    if (!isRequest(message, handlers)) {
      return { ok: false, error: { code: 'invalid-input', message: t('errorUnknownRequest') } };
    }
    if (!isOwnPage(sender, extensionId, extensionOrigin)) return { ok: false, error: { code: 'refused', message: t('errorRefused') } };
    const check = PAYLOAD_CHECKS[message.type] as (payload: unknown) => boolean;
    if (!check(message.payload)) return { ok: false, error: { code: 'invalid-input', message: t('errorMalformedRequest') } };
    const handler = handlers[message.type] as (payload: unknown) => Promise<unknown>;
    try {
      return { ok: true, value: await handler(message.payload) };
    } catch (error) {
      return { ok: false, error: describeError(error, message.type) };
    }
  };
}
