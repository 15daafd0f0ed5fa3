import pino, { type Logger, type DestinationStream } from 'pino';

/** Paths that may hold secrets anywhere in a logged object; pino replaces them before the line is written. */
export const REDACT_PATHS = [
  'apiKey', '*.apiKey', '*.*.apiKey', 'api_key', '*.api_key', '*.*.api_key',
  'masterKey', '*.masterKey', '*.*.masterKey', 'master_key', '*.master_key', '*.*.master_key',
  'authorization', '*.authorization', '*.*.authorization',
  'headers["x-api-key"]', '*.headers["x-api-key"]', 'headers["x-litellm-api-key"]', '*.headers["x-litellm-api-key"]',
  'key', '*.key',
];

/** The gateway's JSON logger; level from SWITCHYARD_LOG_LEVEL (default info). */
export function createLogger(destination?: DestinationStream): Logger {
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
