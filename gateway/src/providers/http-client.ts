import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import type { ProviderConfig } from '../config/types.js';
import { GatewayError, kindForUpstreamStatus } from '../core/errors.js';
import { scrubSecrets } from '../core/scrub-secrets.js';
import { providerSecrets } from './provider-secrets.js';
import { traceHooks } from '../telemetry/trace-hooks.js';
import type { AbortSignalLike } from '../core/request-signal.js';

/**
 * One undici Agent for every upstream: it keeps a keep-alive pool per origin. The pool has no connection cap
 * by default, so however many streams a gateway serves, none waits inside it for a connection (a capped pool
 * queued the 1,025th concurrent stream until another ended). SWITCHYARD_UPSTREAM_CONNECTIONS sets a cap per
 * origin for upstreams that must not see more connections than that.
 */
let agent: Agent | undefined;

export function upstreamAgent(): Agent {
  agent ??= new Agent({
    connections: upstreamConnectionCap(process.env.SWITCHYARD_UPSTREAM_CONNECTIONS),
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  return agent;
}

/** The per-origin connection cap from its environment setting: a positive integer, else none (null). */
export function upstreamConnectionCap(setting: string | undefined): number | null {
  const n = Number(setting);
  return setting && Number.isInteger(n) && n > 0 ? n : null;
}

export async function closeUpstreamAgent(): Promise<void> {
  const a = agent;
  agent = undefined;
  await a?.close();
}

export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
  signal: AbortSignalLike;
  /** Called once the response headers arrived. */
  onHeaders?: () => void;
}

/** POSTs JSON upstream; connection-level failures become retryable GatewayErrors. */
export async function postUpstream(req: UpstreamRequest): Promise<Dispatcher.ResponseData> {
  try {
    const { origin, path } = targetOf(req.url);
    const res = await upstreamAgent().request({
      origin,
      path,
      method: 'POST',
      headers: traceHooks()?.inject(req.headers) ?? req.headers,
      body: req.body,
      signal: req.signal,
    });
    req.onHeaders?.();
    return res;
  } catch (err) {
    throw connectionError(err, req.signal);
  }
}

// Upstream URLs come from the config (a provider's base URL plus an endpoint), so they are few: each is parsed once.
const targets = new Map<string, { origin: string; path: string }>();
function targetOf(url: string): { origin: string; path: string } {
  let target = targets.get(url);
  if (!target) {
    const u = new URL(url);
    target = { origin: u.origin, path: u.pathname + u.search };
    if (targets.size >= 1000) targets.clear();
    targets.set(url, target);
  }
  return target;
}

/**
 * Reads a successful upstream answer as JSON and checks the one field its decoder relies on; a cut or
 * malformed body is an upstream error (retryable), never a crash.
 */
export async function readUpstreamJson<T>(
  res: Dispatcher.ResponseData,
  signal: AbortSignalLike,
  providerName: string,
  required: { field: string; missing: string },
): Promise<{ raw: string; value: T }> {
  let raw: string;
  try {
    raw = await res.body.text();
  } catch (err) {
    throw connectionError(err, signal);
  }
  let value: T;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new GatewayError('upstream', `Upstream ${providerName} returned a body that is not JSON`, { code: 'upstream_bad_response' });
  }
  if (!Array.isArray((value as Record<string, unknown> | null)?.[required.field])) {
    throw new GatewayError('upstream', `Upstream ${providerName} returned ${required.missing}`, { code: 'upstream_bad_response' });
  }
  return { raw, value };
}

/** A thrown transport error → GatewayError (aborts keep their reason). */
export function connectionError(err: unknown, signal?: AbortSignalLike): GatewayError {
  if (err instanceof GatewayError) return err;
  if (signal?.aborted) {
    const reason = signal.reason;
    if (reason instanceof GatewayError) return reason;
    return new GatewayError('upstream', 'Request aborted', { code: 'aborted', retryable: false, cause: err });
  }
  if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError || err instanceof undiciErrors.ConnectTimeoutError) {
    return new GatewayError('timeout', 'Upstream timed out', { cause: err });
  }
  const code = (err as { code?: string } | null)?.code;
  return new GatewayError('upstream', `Upstream connection failed${code ? ` (${code})` : ''}`, { code: 'upstream_connection_error', cause: err });
}

/**
 * Reads an upstream error body and turns it into a GatewayError that passes status and message on, with any
 * credential the upstream quoted (its own key, anything key-shaped) removed first.
 */
export async function upstreamStatusError(res: Dispatcher.ResponseData, provider: ProviderConfig): Promise<GatewayError> {
  let text = '';
  try {
    text = await res.body.text();
  } catch {
    // the body may be cut; the status still says enough
  }
  const message = scrubSecrets(extractUpstreamMessage(text) ?? `HTTP ${res.statusCode}`, providerSecrets(provider));
  const headers: Record<string, string> = {};
  for (const name of ['retry-after', 'retry-after-ms']) {
    const v = res.headers[name];
    if (typeof v === 'string') headers[name] = v;
  }
  return new GatewayError(kindForUpstreamStatus(res.statusCode), `Upstream ${provider.name} returned ${res.statusCode}: ${message}`, {
    status: res.statusCode,
    code: 'upstream_error',
    headers,
  });
}

function extractUpstreamMessage(text: string): string | undefined {
  if (!text) return undefined;
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof body.error === 'string') return body.error;
    if (body.error && typeof body.error.message === 'string') return body.error.message;
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON
  }
  return text.slice(0, 500);
}
