import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import type { ProviderConfig } from '../config/types.js';
import { GatewayError, kindForUpstreamStatus } from '../core/errors.js';
import { scrubSecrets } from '../core/scrub-secrets.js';
import { providerSecrets } from './provider-secrets.js';
import { traceHooks } from '../telemetry/trace-hooks.js';

/**
 * One undici Agent for every upstream: it keeps a keep-alive pool per origin. The connection cap is sized
 * above the concurrency a gateway serves so that slow upstreams never queue requests inside the gateway.
 */
let agent: Agent | undefined;

export function upstreamAgent(): Agent {
  agent ??= new Agent({
    connections: Number(process.env.SWITCHYARD_UPSTREAM_CONNECTIONS ?? 1024),
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  return agent;
}

export async function closeUpstreamAgent(): Promise<void> {
  const a = agent;
  agent = undefined;
  await a?.close();
}

export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
  /** Called once the response headers arrived. */
  onHeaders?: () => void;
}

/** POSTs JSON upstream; connection-level failures become retryable GatewayErrors. */
export async function postUpstream(req: UpstreamRequest): Promise<Dispatcher.ResponseData> {
  try {
    const res = await upstreamAgent().request({
      origin: new URL(req.url).origin,
      path: pathOf(req.url),
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

function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/**
 * Reads a successful upstream answer as JSON and checks the one field its decoder relies on; a cut or
 * malformed body is an upstream error (retryable), never a crash.
 */
export async function readUpstreamJson<T>(
  res: Dispatcher.ResponseData,
  signal: AbortSignal,
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
export function connectionError(err: unknown, signal?: AbortSignal): GatewayError {
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
