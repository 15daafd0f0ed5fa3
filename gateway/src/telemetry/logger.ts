import pino, { type Logger, type DestinationStream } from 'pino';

/** Paths that may hold secrets anywhere in a logged object; pino replaces them before the line is written. */
export const REDACT_PATHS = [
  'apiKey', '*.apiKey', '*.*.apiKey', 'api_key', '*.api_key', '*.*.api_key',
  'masterKey', '*.masterKey', '*.*.masterKey', 'master_key', '*.master_key', '*.*.master_key',
  'authorization', '*.authorization', '*.*.authorization',
  'headers["x-api-key"]', '*.headers["x-api-key"]', 'headers["x-litellm-api-key"]', '*.headers["x-litellm-api-key"]',
  'key', '*.key',
];

/**
 * The gateway's JSON logger; level from SWITCHYARD_LOG_LEVEL (default info). Without a destination it writes to
 * stdout asynchronously: lines logged while a write is in flight leave together in the next one, instead of
 * one blocking write per request line. pino flushes what is pending when the process exits.
 */
export function createLogger(destination: DestinationStream = pino.destination({ dest: 1, sync: false })): Logger {
  return pino(
    {
      level: process.env.SWITCHYARD_LOG_LEVEL ?? 'info',
      base: { service: 'switchyard' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
