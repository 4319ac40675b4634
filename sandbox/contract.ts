import { readFile } from 'node:fs/promises';
import { OpenAPIBackend, type Context, type Document } from 'openapi-backend';
import { parse } from 'yaml';

const CONTRACT_FILE = new URL('./glean-images-openapi.yaml', import.meta.url);

export interface ContractViolation {
  /** Where in the request: "query.type", "header.x-glean-actas", "requestBody", "path", ... */
  at: string;
  message: string;
}

export interface ContractRequest {
  method: string;
  /** Path and query string, as in the request line. */
  url: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer;
}

export type ContractVerdict =
  | { kind: 'ok'; operationId: string; query: Record<string, string> }
  | { kind: 'unauthorized' }
  | { kind: 'violation'; operationId?: string; violations: ContractViolation[] };

export interface Contract {
  readonly operationIds: readonly string[];
  /** The ImageType enum, in the contract's order. */
  readonly imageTypes: readonly string[];
  /** Which operation a request is aimed at, without judging it (for fault filters and records). */
  operationOf(method: string, url: string): string | undefined;
  check(request: ContractRequest): Promise<ContractVerdict>;
  /** How a JSON answer strays from the operation's response schema for that status (empty: it conforms). */
  responseViolations(operationId: string, status: number, body: unknown): ContractViolation[];
  /**
   * How a whole answer (status, Content-Type, bytes) strays from the operation's responses: its media
   * type must be one the status declares content for, and a JSON body must match the schema.
   */
  replyViolations(operationId: string, reply: { status: number; contentType: string; body: Buffer }): ContractViolation[];
}

/*
 * openapi-backend registers no "email" format, so without this X-Glean-ActAs (format: email) would
 * go unchecked with a console warning. Same expression as ajv-formats' "fast" email, which is only a
 * transitive dependency here.
 */
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Does a media range from the contract ("image/*", "*\/*", "image/png") cover this media type? */
function mediaRangeCovers(range: string, mediaType: string): boolean {
  const [rangeType, rangeSub] = range.toLowerCase().split('/');
  const [type, sub] = mediaType.split('/');
  return (rangeType === '*' || rangeType === type) && (rangeSub === '*' || rangeSub === sub);
}

/*
 * openapi-backend validates a request body only for JSON and form media types; for the contract's
 * `image/*` binary body it checks neither `required: true` nor the Content-Type. This applies both
 * rules from the operation's own requestBody object instead.
 */
function bodyViolations(
  operation: Context['operation'],
  headers: Record<string, string>,
  body: Buffer,
): ContractViolation[] {
  const requestBody: unknown = operation.requestBody;
  if (!isRecord(requestBody)) {
    return body.length > 0
      ? [{ at: 'requestBody', message: `operation ${String(operation.operationId)} takes no request body` }]
      : [];
  }
  if (body.length === 0) {
    return requestBody.required === true ? [{ at: 'requestBody', message: 'is required and must not be empty' }] : [];
  }
  const ranges = isRecord(requestBody.content) ? Object.keys(requestBody.content) : [];
  const mediaType = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (ranges.some((range) => mediaRangeCovers(range, mediaType))) return [];
  const problem = mediaType === '' ? 'is missing' : `"${mediaType}" is not accepted`;
  return [{ at: 'header.content-type', message: `${problem}; the body must be one of ${ranges.join(', ')}` }];
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Ajv's JSON pointer ("/query/type") becomes "query.type"; names ajv reports in params are appended. */
function toViolation(error: AjvError, root: string[] = []): ContractViolation {
  const segments = [
    ...root,
    ...error.instancePath
      .split('/')
      .slice(1)
      .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~')),
  ];
  const { missingProperty, additionalProperty, allowedValues } = error.params;
  if (typeof missingProperty === 'string') {
    return { at: [...segments, missingProperty].join('.'), message: 'is required' };
  }
  if (typeof additionalProperty === 'string') {
    const message = 'is not defined by the contract for this operation';
    return { at: [...segments, additionalProperty].join('.'), message };
  }
  const allowed = Array.isArray(allowedValues) ? `: ${allowedValues.join(', ')}` : '';
  return { at: segments.join('.'), message: `${error.message ?? error.keyword}${allowed}` };
}

function stringValues(record: unknown): Record<string, string> {
  if (!isRecord(record)) return {};
  return Object.fromEntries(
    Object.entries(record).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** Whether a request's credentials are good enough (lower-case header names). */
export type IsAuthorized = (headers: Record<string, string>) => boolean;

/** Parses the contract YAML beside this file and makes openapi-backend judge requests by it. */
export async function loadContract(isAuthorized: IsAuthorized): Promise<Contract> {
  const parsed: unknown = parse(await readFile(CONTRACT_FILE, 'utf8'));
  if (!isRecord(parsed) || typeof parsed.openapi !== 'string') {
    throw new Error(`${CONTRACT_FILE.pathname} is not an OpenAPI document`);
  }
  const api = new OpenAPIBackend({
    // openapi-backend validates the document itself in init() (strict: an invalid one throws).
    definition: parsed as unknown as Document,
    strict: true,
    // Report every violation at once, not only the first one ajv meets.
    ajvOpts: { allErrors: true },
    customizeAjv: (ajv) => ajv.addFormat('email', EMAIL),
    handlers: {
      notFound: (c: Context): ContractVerdict => {
        const message = `${c.request.method.toUpperCase()} ${c.request.path} is not an operation of the contract`;
        return { kind: 'violation', violations: [{ at: 'path', message }] };
      },
      methodNotAllowed: (c: Context): ContractVerdict => {
        const message = `${c.request.method.toUpperCase()} is not allowed on ${c.request.path}`;
        return { kind: 'violation', violations: [{ at: 'method', message }] };
      },
      unauthorizedHandler: (): ContractVerdict => ({ kind: 'unauthorized' }),
      validationFail: (c: Context, request: ContractRequest): ContractVerdict => {
        const errors: AjvError[] = c.validation.errors ?? [];
        const violations = [
          ...errors.map((error) => toViolation(error)),
          ...bodyViolations(c.operation, request.headers, request.body),
        ];
        return { kind: 'violation', operationId: c.operation.operationId, violations };
      },
    },
  });
  await api.init();

  const components: unknown = api.definition.components;
  const schemes = isRecord(components) ? components.securitySchemes : undefined;
  for (const [name, scheme] of Object.entries(isRecord(schemes) ? schemes : {})) {
    if (!isRecord(scheme) || scheme.type !== 'http' || String(scheme.scheme).toLowerCase() !== 'bearer') {
      throw new Error(`the sandbox only implements HTTP bearer security, not ${name}`);
    }
    api.registerSecurityHandler(name, (c: Context) => isAuthorized(stringValues(c.request.headers)));
  }

  const operationIds = api.getOperations().flatMap((operation) => operation.operationId ?? []);
  for (const operationId of operationIds) {
    api.register(operationId, (c: Context, request: ContractRequest): ContractVerdict => {
      const violations = bodyViolations(c.operation, request.headers, request.body);
      return violations.length > 0
        ? { kind: 'violation', operationId, violations }
        : { kind: 'ok', operationId, query: stringValues(c.request.query) };
    });
  }

  const schemas = isRecord(components) ? components.schemas : undefined;
  const imageType = isRecord(schemas) ? schemas.ImageType : undefined;
  const imageTypes = isRecord(imageType) && Array.isArray(imageType.enum) ? imageType.enum.map(String) : [];
  if (imageTypes.length === 0) throw new Error('the contract defines no ImageType enum');

  function responseViolations(operationId: string, status: number, body: unknown): ContractViolation[] {
    const errors: AjvError[] = api.validateResponse(body, operationId, status).errors ?? [];
    return errors.map((error) => toViolation(error, ['response']));
  }

  return {
    operationIds,
    imageTypes,
    operationOf: (method, url) => api.matchOperation({ method, path: url, headers: {} })?.operationId,
    async check(request) {
      const verdict: ContractVerdict = await api.handleRequest(
        { method: request.method, path: request.url, headers: request.headers, body: request.body },
        request,
      );
      return verdict;
    },
    responseViolations,
    replyViolations(operationId, { status, contentType, body }) {
      const responses: unknown = api.getOperation(operationId)?.responses;
      const declared: unknown = isRecord(responses) ? (responses[String(status)] ?? responses.default) : undefined;
      // A status the contract does not list, or lists without content (its 400/401/429), constrains nothing.
      if (!isRecord(declared) || !isRecord(declared.content)) return [];
      const ranges = Object.keys(declared.content);
      const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
      if (!ranges.some((range) => mediaRangeCovers(range, mediaType))) {
        return [{ at: 'response.header.content-type', message: `"${mediaType}" is not one of ${ranges.join(', ')} for ${status}` }];
      }
      if (mediaType !== 'application/json') return [];
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return [{ at: 'response.body', message: 'is not JSON' }];
      }
      return responseViolations(operationId, status, parsed);
    },
  };
}
