import type { Logger } from 'pino';
import type { Usage } from '../core/chat-response.js';

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
}

/** Starts a record; `performance.now()` timestamps keep latency precise and monotonic. */
export function startRecord(requestId: string, surface: string): RequestRecord {
  return { requestId, surface, startedAt: performance.now() };
}

/** Writes the single log line for a finished request. */
export function logRequest(logger: Logger, record: RequestRecord): void {
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
  };
  if (status >= 500) logger.error(line);
  else if (status >= 400) logger.warn(line);
  else logger.info(line);
}

const round = (ms: number) => Math.round(ms * 100) / 100;
