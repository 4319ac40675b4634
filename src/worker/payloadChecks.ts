/**
 * The shape of every request's payload, checked by the router before any handler runs, so that no
 * handler ever touches an unchecked value. One check per request type of the protocol map
 * (src/shared/messages.ts): the compiler refuses a map that misses one. Values are checked for shape
 * only; their meaning (an instance that parses, metadata that holds) is each handler's own check.
 */
import type { PayloadOf, RequestType } from '../shared/messages.ts';
import { isRecord } from '../shared/isRecord.ts';

type Check<K extends RequestType> = (payload: unknown) => payload is PayloadOf<K>;

const isText = (value: unknown): value is string => typeof value === 'string';
const isNothing = (payload: unknown): payload is null => payload === null || payload === undefined;
const hasText = (payload: unknown, ...keys: string[]): payload is Record<string, string> =>
  isRecord(payload) && keys.every((key) => isText(payload[key]));

/** type, id, ds, cid: each absent or a string. */
function isMetadata(value: unknown): boolean {
  return isRecord(value) && ['type', 'id', 'ds', 'cid'].every((key) => value[key] === undefined || isText(value[key]));
}

export const PAYLOAD_CHECKS: { [K in RequestType]: Check<K> } = {
  'settings/get': isNothing,
  'settings/save': (p): p is PayloadOf<'settings/save'> =>
    hasText(p, 'instance', 'actAs', 'authType') && (p.token === undefined || isText(p.token)) && isMetadata((p as Record<string, unknown>).defaults),
  'settings/removeToken': isNothing,
  'connection/test': isNothing,
  'signIn/start': (p): p is PayloadOf<'signIn/start'> => hasText(p, 'instance'),
  'signIn/signOut': isNothing,
  'image/serve': (p): p is PayloadOf<'image/serve'> => hasText(p, 'address'),
  'cache/stats': isNothing,
  'cache/clear': isNothing,
  'cache/setBudget': (p): p is PayloadOf<'cache/setBudget'> => isRecord(p) && typeof p.megabytes === 'number',
  'upload/start': (p): p is PayloadOf<'upload/start'> => hasText(p, 'jobId', 'fileName') && isMetadata((p as Record<string, unknown>).metadata),
  'upload/retry': (p): p is PayloadOf<'upload/retry'> => hasText(p, 'jobId'),
  'upload/remove': (p): p is PayloadOf<'upload/remove'> => hasText(p, 'jobId'),
  'link/fetch': (p): p is PayloadOf<'link/fetch'> => hasText(p, 'url'),
};
