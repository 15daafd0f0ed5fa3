/** Error kinds the gateway reports; each maps to one HTTP status and to the OpenAI and Anthropic error types. */
export type ErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'request_too_large'
  | 'rate_limit'
  | 'budget_exceeded'
  | 'upstream'
  | 'timeout'
  | 'overloaded'
  | 'unavailable'
  | 'internal';

interface KindInfo {
  status: number;
  openaiType: string;
  anthropicType: string;
  retryable: boolean;
}

const KINDS: Record<ErrorKind, KindInfo> = {
  invalid_request: { status: 400, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error', retryable: false },
  authentication: { status: 401, openaiType: 'authentication_error', anthropicType: 'authentication_error', retryable: false },
  permission: { status: 403, openaiType: 'permission_error', anthropicType: 'permission_error', retryable: false },
  not_found: { status: 404, openaiType: 'not_found_error', anthropicType: 'not_found_error', retryable: false },
  request_too_large: { status: 413, openaiType: 'invalid_request_error', anthropicType: 'request_too_large', retryable: false },
  rate_limit: { status: 429, openaiType: 'rate_limit_error', anthropicType: 'rate_limit_error', retryable: true },
  budget_exceeded: { status: 429, openaiType: 'budget_exceeded', anthropicType: 'rate_limit_error', retryable: false },
  upstream: { status: 502, openaiType: 'api_error', anthropicType: 'api_error', retryable: true },
  timeout: { status: 504, openaiType: 'timeout_error', anthropicType: 'api_error', retryable: true },
  overloaded: { status: 529, openaiType: 'api_error', anthropicType: 'overloaded_error', retryable: true },
  unavailable: { status: 503, openaiType: 'api_error', anthropicType: 'api_error', retryable: true },
  internal: { status: 500, openaiType: 'api_error', anthropicType: 'api_error', retryable: false },
};

export interface GatewayErrorOptions {
  status?: number;
  code?: string | null;
  param?: string | null;
  retryable?: boolean;
  headers?: Record<string, string>;
  cause?: unknown;
}

/** The one error type of the gateway: rendered in the caller's API shape at the edge. */
export class GatewayError extends Error {
  readonly kind: ErrorKind;
  readonly status: number;
  readonly code: string | null;
  readonly param: string | null;
  readonly retryable: boolean;
  readonly headers: Record<string, string>;

  constructor(kind: ErrorKind, message: string, opts: GatewayErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'GatewayError';
    this.kind = kind;
    this.status = opts.status ?? KINDS[kind].status;
    this.code = opts.code ?? null;
    this.param = opts.param ?? null;
    this.retryable = opts.retryable ?? KINDS[kind].retryable;
    this.headers = opts.headers ?? {};
  }

  get openaiType(): string {
    return KINDS[this.kind].openaiType;
  }

  get anthropicType(): string {
    return KINDS[this.kind].anthropicType;
  }
}

/** Retryable upstream statuses (408, 409, 429, 5xx, 529); 400/401/403/404/413/422 are the caller's to fix. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Maps an upstream HTTP status to the kind the gateway reports; the status itself is passed on. */
export function kindForUpstreamStatus(status: number): ErrorKind {
  if (status === 400 || status === 422) return 'invalid_request';
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 529) return 'overloaded';
  if (status === 503) return 'unavailable';
  return 'upstream';
}

/** Any thrown value → GatewayError, hiding internals (no stack or driver message reaches a client). */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  return new GatewayError('internal', 'Internal gateway error', { cause: err });
}

/** `{error:{message,type,code,param}}`, the OpenAI error body. */
export function openaiErrorBody(err: GatewayError): { error: { message: string; type: string; code: string | null; param: string | null } } {
  return { error: { message: err.message, type: err.openaiType, code: err.code ?? err.kind, param: err.param } };
}

/** `{type:"error",error:{type,message}}`, the Anthropic error body. */
export function anthropicErrorBody(err: GatewayError, requestId?: string): { type: 'error'; error: { type: string; message: string }; request_id?: string } {
  return { type: 'error', error: { type: err.anthropicType, message: err.message }, ...(requestId ? { request_id: requestId } : {}) };
}
