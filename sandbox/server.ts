/**
 * A local stand-in for Glean's images API, on 127.0.0.1 only, that judges every request by the
 * contract in glean-images-openapi.yaml and can misbehave on demand (faults, going offline), with a
 * Glean-like OAuth 2.1 authorization server on the same origin (oauth/authorizationServer.ts) whose
 * access tokens the images operations accept besides the sandbox's API token.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { loadContract, type Contract, type ContractVerdict, type ContractViolation } from './contract.ts';
import { CONTROL_PREFIX, control } from './control.ts';
import { FaultQueue, isSandboxOperation, type Fault, type SandboxOperation, type StatusFault } from './faults.ts';
import { flattenHeaders, flattenQuery, readBody, send, type Body } from './http.ts';
import { AuthorizationServer, formOf, grantTypeOf, type SandboxOAuth } from './oauth/authorizationServer.ts';
import { actsAs, judgeCredential, unauthorizedReply, type TokenIssuer } from './oauth/credentials.ts';
import { getImage, uploadImage } from './operations.ts';
import { samplePng } from './png.ts';
import { API_PREFIX, RequestRecorder, type RecordedRequest, type WaitOptions } from './recorder.ts';
import { jsonReply, textReply, type Reply } from './reply.ts';
import { guardReply } from './responseCheck.ts';
import { ImageStore, type ImageMetadata } from './store.ts';

export type { Fault, FaultTarget, SandboxOperation } from './faults.ts';
export type { DiscoveryForm, IssuedTokenCounts, SandboxOAuth } from './oauth/authorizationServer.ts';
export type { OAuthClient, RegistrationPolicy } from './oauth/clients.ts';
export type { Credential, TokenIssuer } from './oauth/credentials.ts';
export type { OAuthEndpoint } from './oauth/endpoints.ts';
export { startIdentityProvider, type IdentityProvider, type IdentityProviderOptions } from './oauth/identityProvider.ts';
export type { RecordedRequest, WaitOptions } from './recorder.ts';
export type { ImageMetadata } from './store.ts';

const HOST = '127.0.0.1';
/** Uploads up to this size are accepted (the brief asks for at least 25 MB); beyond it, 413. */
export const MAX_BODY_BYTES = 50 * 1024 * 1024;
const DEFAULT_MAX_STORED_BYTES = 200 * 1024 * 1024;

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default: a random `sandbox-…` token. */
  token?: string;
  /** A global (Super Admin) token, taken only with X-Glean-ActAs; default: a random `sandbox-global-…` token. */
  globalToken?: string;
  /** One line per request; silent by default. */
  log?: (line: string) => void;
  /** Uploads beyond this total evict the oldest ones (default 200 MB); seeded samples never count. */
  maxStoredBytes?: number;
  /** A company identity provider whose access tokens Glean accepts (with X-Glean-Auth-Type: OAUTH). */
  identityProvider?: TokenIssuer;
}

/** Scopes of the sandbox's authorization server; refresh tokens come only with offline_access. */
export const GLEAN_SCOPES = ['offline_access', 'search', 'chat', 'documents'] as const;

export interface SampleImage {
  metadata: ImageMetadata;
  key: string;
  bytes: Buffer;
}

export interface Sandbox {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** A global token: requests with it and no X-Glean-ActAs get 400 "act-as is required", as Glean answers. */
  readonly globalToken: string;
  /** Two PNGs per ImageType of the contract: `{ type, id: 'sample' }` and `{ type }`. */
  readonly samples: readonly SampleImage[];
  /** Every request outside /_sandbox/ (OAuth ones included), in the order their outcome was known. */
  readonly requests: readonly RecordedRequest[];
  /** The Glean-like OAuth 2.1 authorization server on the same origin. */
  readonly oauth: SandboxOAuth;
  /** From now on, accept this identity provider's access tokens (with X-Glean-Auth-Type: OAUTH), as a Glean admin configures it. */
  trust(identityProvider: TokenIssuer): void;
  fault(fault: Fault): void;
  clearFaults(): void;
  /** API requests by default; `{ oauth: 'token', grantType: 'refresh_token' }` waits for OAuth requests. */
  waitForRequests(count: number, options?: WaitOptions): Promise<RecordedRequest[]>;
  /** Stops listening and destroys every open connection. */
  goOffline(): Promise<void>;
  /** Listens again on the same port. */
  goOnline(): Promise<void>;
  readonly online: boolean;
  /** Resolves once the sandbox listens (at once if it does); rejects if it is closed first. */
  whenOnline(): Promise<void>;
  close(): Promise<void>;
}

function faultReply(fault: StatusFault): Reply {
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
  if (fault.body !== undefined || fault.contentType !== undefined) {
    headers['content-type'] = fault.contentType ?? 'text/plain; charset=utf-8';
  }
  return { status: fault.status, headers, body: Buffer.from(fault.body ?? ''), note: '(fault)' };
}

function describeViolations(violations: readonly ContractViolation[]): string {
  return `contract violation: ${violations.map(({ at, message }) => `${at} ${message}`).join('; ')}`;
}

function seedSamples(store: ImageStore, imageTypes: readonly string[]): SampleImage[] {
  return imageTypes.flatMap((type) =>
    [{ type, id: 'sample' }, { type }].map((metadata: ImageMetadata) => {
      const bytes = samplePng([metadata.type, metadata.id ?? ''].join('/'));
      const { key } = store.put(metadata, 'image/png', bytes, true);
      return { metadata, key, bytes };
    }),
  );
}

function checkImplemented(contract: Contract): void {
  const missing = contract.operationIds.filter((operationId) => !isSandboxOperation(operationId));
  if (missing.length > 0) throw new Error(`the sandbox does not implement contract operations ${missing.join(', ')}`);
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const token = options.token ?? `sandbox-${randomBytes(8).toString('hex')}`;
  const globalToken = options.globalToken ?? `sandbox-global-${randomBytes(8).toString('hex')}`;
  const log = options.log ?? ((): void => undefined);
  let port = options.port ?? 0;
  const baseUrl = (): string => `http://${HOST}:${port}`;
  const glean = new AuthorizationServer({
    origin: baseUrl,
    prefix: '/oauth',
    flavour: 'glean',
    serverName: 'Glean (sandbox)',
    scopes: GLEAN_SCOPES,
    idPrefix: 'glean_sandbox_',
  });
  const identityProviders: TokenIssuer[] = options.identityProvider ? [options.identityProvider] : [];
  const credentialOf = (headers: Record<string, string>): ReturnType<typeof judgeCredential> =>
    judgeCredential(headers, { apiToken: token, globalToken, glean, identityProviders: () => identityProviders });
  const contract = await loadContract((headers) => credentialOf(headers).accepted);
  checkImplemented(contract);
  const store = new ImageStore(options.maxStoredBytes ?? DEFAULT_MAX_STORED_BYTES);
  const samples = seedSamples(store, contract.imageTypes);
  const faults = new FaultQueue();
  const recorder = new RequestRecorder();

  let closed = false;
  let offlineTimer: NodeJS.Timeout | undefined;
  // Aborted when going offline, so that delay faults stop waiting on connections that are gone.
  let session = new AbortController();
  const onlineWaiters = new Set<{ resolve: () => void; reject: (error: Error) => void }>();

  type Implementation = (query: Record<string, string>, headers: Record<string, string>, body: Buffer) => Reply;
  const implementations: Record<SandboxOperation, Implementation> = {
    images: (query) => getImage(store, query),
    uploadimage: (query, headers, bytes) =>
      uploadImage(store, query, headers['content-type'] ?? '', bytes, `${baseUrl()}${API_PREFIX}images`),
  };

  /** What a request the contract let through gets: 401, the global token's 400, or the operation's own answer, checked. */
  function answer(verdict: Exclude<ContractVerdict, { kind: 'violation' }>, headers: Record<string, string>, body: Body): Reply {
    if (verdict.kind === 'unauthorized') return unauthorizedReply(credentialOf(headers));
    const { operationId, query } = verdict;
    if (!isSandboxOperation(operationId)) throw new Error(`no implementation for operation ${operationId}`);
    if (credentialOf(headers).credential === 'global-token' && !actsAs(headers)) {
      // Glean's words for it; the contract lists the header as optional because user tokens need none.
      const reply = textReply(400, 'Required header missing: X-Glean-ActAs (act-as is required with a global token: name the user to act as)');
      reply.note = '(global token without act-as)';
      return reply;
    }
    return guardReply(contract, operationId, implementations[operationId](query, headers, body.bytes), log);
  }

  function violationReply({ operationId, violations }: Extract<ContractVerdict, { kind: 'violation' }>): Reply {
    const payload = { error: 'contract violation', operation: operationId, violations };
    return jsonReply(400, payload, describeViolations(violations));
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const at = Date.now();
    const method = request.method ?? 'GET';
    const rawUrl = request.url ?? '/';
    const url = new URL(rawUrl, baseUrl());
    const { signal } = session;
    const body = await readBody(request, MAX_BODY_BYTES);
    const logLine = (outcome: string, note?: string): void =>
      log(`${method} ${rawUrl} -> ${outcome} ${Math.round(performance.now() - started)} ms${note ? ` ${note}` : ''}`);
    const logReply = (reply: Reply): void =>
      logLine(`${reply.status} ${reply.headers['content-type'] ?? '-'} ${reply.body.length} B`, reply.note);

    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      const { reply, afterwards } = control(method, url, body.bytes, {
        faults,
        requests: recorder.entries,
        oauth: glean,
        goOfflineFor,
      });
      if (afterwards) response.once('close', afterwards);
      send(response, reply);
      logReply(reply);
      return;
    }

    const headers = flattenHeaders(request.headers);
    const endpoint = glean.endpointOf(url.pathname);
    const isApi = url.pathname.startsWith(API_PREFIX);
    const operationId = endpoint === undefined ? contract.operationOf(method, rawUrl) : undefined;
    // Judged before any fault: a request that breaks the contract is the client's bug, and a fault
    // must not hide it (Glean would refuse it however it felt), so its 400 wins over the fault.
    const verdict = endpoint === undefined && !body.tooLarge ? await contract.check({ method, url: rawUrl, headers, body: body.bytes }) : undefined;
    const violations = verdict?.kind === 'violation' ? verdict.violations : undefined;
    const record = (status: RecordedRequest['status'], uploadedUrl?: string): void =>
      recorder.add({
        method,
        path: url.pathname,
        query: flattenQuery(url.searchParams),
        headers,
        bodyBytes: body.size,
        bodySha256: body.sha256,
        status,
        at,
        operation: isSandboxOperation(operationId) ? operationId : undefined,
        credential: isApi ? credentialOf(headers).credential : undefined,
        oauth: endpoint && { endpoint, grantType: endpoint === 'token' ? grantTypeOf(body.bytes) : undefined, form: formOf(headers, body.bytes) },
        ...(violations ? { violations } : {}),
        ...(uploadedUrl ? { uploadedUrl } : {}),
      });

    // OAuth requests only meet faults aimed at their endpoint by name.
    const fault = violations
      ? undefined
      : endpoint
        ? faults.take(endpoint, true)
        : isApi
          ? faults.take(isSandboxOperation(operationId) ? operationId : undefined)
          : undefined;
    if (fault && 'reset' in fault) {
      request.socket.resetAndDestroy();
      record('reset');
      logLine('reset', '(fault)');
      return;
    }
    if (fault && 'hang' in fault) {
      record('hang');
      logLine('hang', '(fault: no answer until the sandbox goes offline)');
      return;
    }
    if (fault && 'delayMs' in fault) {
      try {
        await delay(fault.delayMs, undefined, { signal });
      } catch {
        record('reset');
        logLine('reset', `(went offline during a ${fault.delayMs} ms delay fault)`);
        return;
      }
    }
    const reply =
      verdict?.kind === 'violation'
        ? violationReply(verdict)
        : fault && 'status' in fault
          ? faultReply(fault)
          : body.tooLarge
            ? textReply(413, `request body is over the sandbox limit of ${MAX_BODY_BYTES} bytes`)
            : endpoint
              ? glean.handle(endpoint, { method, url, headers, body: body.bytes })
              : verdict
                ? answer(verdict, headers, body)
                : textReply(500, 'sandbox bug: a request with no verdict');
    send(response, reply);
    // Only the operation's own answer names a stored image; a fault's 200 may be anything, invalid JSON too.
    const uploaded = !fault && operationId === 'uploadimage' && reply.status === 200 ? (JSON.parse(reply.body.toString('utf8')) as { url: string }).url : undefined;
    record(reply.status, uploaded);
    logReply(reply);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      log(`${request.method} ${request.url} -> failed: ${message}`);
      if (!response.headersSent) send(response, textReply(500, `sandbox error: ${message}`));
    });
  });

  function listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: HOST }, () => {
        server.off('error', reject);
        const address = server.address();
        if (address !== null && typeof address === 'object') port = address.port;
        resolve();
        for (const waiter of onlineWaiters) waiter.resolve();
        onlineWaiters.clear();
      });
    });
  }

  async function goOffline(): Promise<void> {
    clearTimeout(offlineTimer);
    if (!server.listening) return;
    session.abort();
    const stopped = new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
    });
    server.closeAllConnections();
    await stopped;
  }

  async function goOnline(): Promise<void> {
    if (closed) throw new Error('the sandbox is closed');
    clearTimeout(offlineTimer);
    if (server.listening) return;
    session = new AbortController();
    await listen();
  }

  function goOfflineFor(seconds: number): void {
    goOffline().then(
      () => {
        if (closed) return;
        offlineTimer = setTimeout(() => {
          goOnline().then(
            () => log(`back online at ${baseUrl()}`),
            (error: unknown) => log(`could not go back online: ${String(error)}`),
          );
        }, seconds * 1000);
        log(`offline for ${seconds} s`);
      },
      (error: unknown) => log(`could not go offline: ${String(error)}`),
    );
  }

  await listen();

  return {
    get url() {
      return baseUrl();
    },
    get port() {
      return port;
    },
    token,
    globalToken,
    samples,
    requests: recorder.entries,
    oauth: glean,
    trust(identityProvider) {
      if (!identityProviders.includes(identityProvider)) identityProviders.push(identityProvider);
    },
    fault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    waitForRequests: (count, waitOptions) => recorder.waitFor(count, waitOptions),
    goOffline,
    goOnline,
    get online() {
      return server.listening;
    },
    whenOnline() {
      if (closed) return Promise.reject(new Error('the sandbox is closed'));
      if (server.listening) return Promise.resolve();
      return new Promise((resolve, reject) => onlineWaiters.add({ resolve, reject }));
    },
    async close() {
      closed = true;
      for (const waiter of onlineWaiters) waiter.reject(new Error('the sandbox closed before it came back online'));
      onlineWaiters.clear();
      await goOffline();
    },
  };
}
