import type { Logger } from 'pino';
import type { Usage } from '../core/chat-response.js';
import { traceHooks } from './trace-hooks.js';

/** What the gateway learns about one request as it flows; logged as one line when it ends. */
export interface RequestRecord {
  requestId: string;
  surface: string;
  startedAt: number;
  modelAsked?: string;
  deployment?: string;
  stream?: boolean;
  status?: number;
  errorCode?: string;
  ttftMs?: number;
  usage?: Usage;
  aborted?: boolean;
  /** Ms spent in dispatch (upstream attempts, backoff, cooldown waits) up to the answer or the first chunk. */
  dispatchMs?: number;
  /** The parsed request, for span attributes (parameters; messages only when the config opts in). */
  request?: unknown;
  /** The request's server span when tracing is on (opaque outside tracing.ts). */
  span?: unknown;
}

/** Starts a record; `performance.now()` timestamps keep latency precise and monotonic. */
export function startRecord(requestId: string, surface: string): RequestRecord {
  return { requestId, surface, startedAt: performance.now() };
}

// The request line is built from known fields only (no headers, no bodies), so it skips the redaction pass
// that every other log line gets; that pass costs more than the rest of the line.
const requestLoggers = new WeakMap<Logger, Logger>();
function requestLogger(logger: Logger): Logger {
  let child = requestLoggers.get(logger);
  if (!child) {
    child = logger.child({}, { redact: { paths: [] } });
    requestLoggers.set(logger, child);
  }
  return child;
}

/** Writes the single log line for a finished request. */
export function logRequest(parent: Logger, record: RequestRecord): void {
  const logger = requestLogger(parent);
  const latencyMs = round(performance.now() - record.startedAt);
  const status = record.status ?? 0;
  const line = {
    msg: 'request',
    request_id: record.requestId,
    surface: record.surface,
    model: record.modelAsked,
    deployment: record.deployment,
    stream: record.stream,
    status,
    latency_ms: latencyMs,
    ttft_ms: record.ttftMs === undefined ? undefined : round(record.ttftMs),
    prompt_tokens: record.usage?.prompt_tokens,
    completion_tokens: record.usage?.completion_tokens,
    error: record.errorCode,
    aborted: record.aborted || undefined,
    trace_id: record.span ? traceHooks()?.traceId(record.span) : undefined,
  };
  if (status >= 500) logger.error(line);
  else if (status >= 400) logger.warn(line);
  else logger.info(line);
}

const round = (ms: number) => Math.round(ms * 100) / 100;
