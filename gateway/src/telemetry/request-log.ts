import pino, { type Logger } from 'pino';
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

// The request line is built from known fields only (no headers, no bodies), so it needs no redaction pass. It is
// serialised here and written as pino writes a line, with the logger's own level prefix, time and bindings:
// pino's generic serialiser (a walk over the object, a type switch per field) cost twice the line itself.
const { streamSym, timeSym, chindingsSym, lsCacheSym, endSym, mixinSym, formattersSym, hooksSym, needsMetadataGsym } = pino.symbols;

/** A pino logger's own parts, read through `pino.symbols`. */
type PinoParts = Record<symbol, unknown>;

/** Writes the single log line for a finished request: info, warn for a 4xx, error for a 5xx. */
export function logRequest(logger: Logger, record: RequestRecord): void {
  const status = record.status ?? 0;
  const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  const fields = requestLineFields(record, status, round(performance.now() - record.startedAt), record.span ? traceHooks()?.traceId(record.span) : undefined);
  const parts = logger as unknown as PinoParts;
  const stream = parts[streamSym] as PinoParts & { write(line: string): unknown };
  // a logger that adds to its lines, or a stream that reads their level, gets the line through pino
  if (parts[mixinSym] || (parts[formattersSym] as { log?: unknown }).log || (parts[hooksSym] as { streamWrite?: unknown }).streamWrite || stream[needsMetadataGsym]) {
    logger[level](JSON.parse(`{${fields.slice(1)}}`) as object);
    return;
  }
  const prefix = (parts[lsCacheSym] as Record<number, string>)[logger.levels.values[level]!];
  stream.write(`${prefix}${(parts[timeSym] as () => string)()}${parts[chindingsSym] as string}${fields}${parts[endSym] as string}`);
}

/**
 * The request line's fields as JSON members, each after a comma, in a fixed order; absent ones are left out.
 * Text is written as a JSON string, escaped where it needs it (the model asked comes from the client), and any
 * other value through JSON.stringify, so a number that is not finite is written as null, as pino writes it.
 */
function requestLineFields(record: RequestRecord, status: number, latencyMs: number, traceId: string | undefined): string {
  let line = `,"msg":"request","request_id":${quoted(record.requestId)},"surface":${quoted(record.surface)}`;
  if (record.modelAsked !== undefined) line += `,"model":${quoted(record.modelAsked)}`;
  if (record.deployment !== undefined) line += `,"deployment":${quoted(record.deployment)}`;
  if (record.stream !== undefined) line += `,"stream":${record.stream}`;
  line += `,"status":${status},"latency_ms":${JSON.stringify(latencyMs)}`;
  if (record.ttftMs !== undefined) line += `,"ttft_ms":${JSON.stringify(round(record.ttftMs))}`;
  const usage = record.usage;
  if (usage?.prompt_tokens !== undefined) line += `,"prompt_tokens":${JSON.stringify(usage.prompt_tokens)}`;
  if (usage?.completion_tokens !== undefined) line += `,"completion_tokens":${JSON.stringify(usage.completion_tokens)}`;
  if (record.errorCode !== undefined) line += `,"error":${quoted(record.errorCode)}`;
  if (record.aborted) line += ',"aborted":true';
  if (traceId !== undefined) line += `,"trace_id":${quoted(traceId)}`;
  return line;
}

/** Text that needs no escape is quoted as it is (twice as fast as JSON.stringify); the rest is escaped. */
const PLAIN_TEXT = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
function quoted(text: string): string {
  return PLAIN_TEXT.test(text) ? `"${text}"` : JSON.stringify(text);
}

const round = (ms: number) => Math.round(ms * 100) / 100;
