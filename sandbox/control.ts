import { parseFault, type FaultQueue } from './faults.ts';
import type { SandboxOAuth } from './oauth/authorizationServer.ts';
import { OAUTH_CONTROL_ENDPOINTS, OAUTH_CONTROL_PREFIX, oauthControl } from './oauth/control.ts';
import type { RecordedRequest } from './recorder.ts';
import { jsonReply, textReply, type Reply } from './reply.ts';

export const CONTROL_PREFIX = '/_sandbox/';

/** One line each, for the command line's help. */
export const CONTROL_ENDPOINTS: readonly string[] = [
  'POST /_sandbox/faults {"status":503,"times":2} (or {"status":503,"operation":"token"} for the OAuth token endpoint)',
  'DELETE /_sandbox/faults',
  'GET /_sandbox/requests',
  'POST /_sandbox/offline?seconds=N',
  ...OAUTH_CONTROL_ENDPOINTS,
];

export const CONTROL_HELP = CONTROL_ENDPOINTS.join(' | ');

export interface ControlDeps {
  faults: FaultQueue;
  requests: readonly RecordedRequest[];
  oauth: SandboxOAuth;
  /** Called once the answer has gone out, so that the caller still gets it. */
  goOfflineFor(seconds: number): void;
}

export interface ControlOutcome {
  reply: Reply;
  afterwards?: () => void;
}

function failure(error: unknown): Reply {
  return jsonReply(400, { error: error instanceof Error ? error.message : String(error) });
}

/** The unauthenticated local endpoint that lets people (and curl) steer the sandbox. */
export function control(method: string, url: URL, body: Buffer, deps: ControlDeps): ControlOutcome {
  if (url.pathname.startsWith(OAUTH_CONTROL_PREFIX)) return { reply: oauthControl(method, url, body, deps.oauth) };
  const route = `${method} ${url.pathname}`;
  switch (route) {
    case 'POST /_sandbox/faults': {
      try {
        const fault = parseFault(JSON.parse(body.toString('utf8')));
        deps.faults.add(fault);
        return { reply: jsonReply(200, { queued: fault }) };
      } catch (error) {
        return { reply: failure(error) };
      }
    }
    case 'DELETE /_sandbox/faults':
      deps.faults.clear();
      return { reply: jsonReply(200, { cleared: true }) };
    case 'GET /_sandbox/requests':
      return { reply: jsonReply(200, deps.requests) };
    case 'POST /_sandbox/offline': {
      const seconds = Number(url.searchParams.get('seconds'));
      if (!Number.isFinite(seconds) || seconds <= 0) {
        return { reply: failure(new Error('seconds must be a positive number, e.g. ?seconds=10')) };
      }
      const reply = jsonReply(200, { offlineForSeconds: seconds });
      reply.headers.connection = 'close';
      return { reply, afterwards: () => deps.goOfflineFor(seconds) };
    }
    default:
      return { reply: textReply(404, `unknown control endpoint ${route}; try ${CONTROL_HELP}`) };
  }
}
