import { parseArgs } from 'node:util';
import { formatDiagnostics } from '../config/diagnostics.js';
import { loadConfig } from '../config/load-config.js';
import { tuneHeap } from '../server/heap-flags.js';
import { startGateway } from '../server/start.js';
import { closeStdoutLog, createLogger, logFlushMs } from '../telemetry/logger.js';

const HELP = `Usage: switchyard serve [--config FILE] [--port PORT] [--host HOST]

  --config FILE   Switchyard or LiteLLM YAML config (default ./switchyard.yaml, else a built-in config)
  --port PORT     port to listen on (default: the config's, 4000)
  --host HOST     address to bind (default: the config's, 127.0.0.1)

SIGHUP reloads the config file; an invalid new config is reported and the old one kept.
SIGTERM or SIGINT drains: /health/readiness answers 503, new connections are refused, requests and streams
in flight finish (at most SWITCHYARD_DRAIN_TIMEOUT_S seconds, default 30), then the process exits.
A second signal exits at once.
Log lines are buffered and written every SWITCHYARD_LOG_FLUSH_MS (default 100) or per 4 KB; 0 writes each
line at once.
`;

/** `switchyard serve`; resolves -1 because the process keeps running until a signal stops it. */
export async function runServe(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string', short: 'c' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    process.stderr.write(`--port must be an integer between 0 and 65535, got '${values.port}'\n`);
    return 1;
  }
  const drain = drainSeconds(process.env.SWITCHYARD_DRAIN_TIMEOUT_S);
  if (drain === undefined) {
    process.stderr.write(`SWITCHYARD_DRAIN_TIMEOUT_S must be a number of seconds >= 0, got '${process.env.SWITCHYARD_DRAIN_TIMEOUT_S}'\n`);
    return 1;
  }
  if (logFlushMs(process.env.SWITCHYARD_LOG_FLUSH_MS) === undefined) {
    process.stderr.write(`SWITCHYARD_LOG_FLUSH_MS must be a number of milliseconds >= 0, got '${process.env.SWITCHYARD_LOG_FLUSH_MS}'\n`);
    return 1;
  }
  const graceMs = drain * 1000;
  tuneHeap();
  const logger = createLogger();
  const load = () => loadConfig(values.config === undefined ? {} : { path: values.config });
  const result = load();
  if (!result.ok) {
    process.stderr.write(formatDiagnostics([...result.errors, ...result.warnings]) + '\n');
    return 1;
  }
  for (const w of result.warnings) logger.warn({ path: w.path }, w.message);

  const gateway = await startGateway({ config: result.config, logger, ...(port === undefined ? {} : { port }), ...(values.host ? { host: values.host } : {}) });
  const { config } = result;
  logger.info({ url: gateway.url, config: config.source, models: [...config.models.keys()] }, `Switchyard listening on ${gateway.url}`);
  if (config.source === 'builtin:demo') {
    logger.info('No config and no OPENROUTER_API_KEY: serving the built-in demo provider (fake models demo-cheap, demo-standard, demo-premium)');
  }

  process.on('SIGHUP', () => {
    const next = load();
    if (!next.ok) {
      logger.error({ problems: next.errors.map((e) => `${e.path}: ${e.message}`) }, 'Config reload failed; keeping the running config');
      return;
    }
    gateway.reload(next.config);
    logger.info({ config: next.config.source, models: [...next.config.models.keys()] }, 'Config reloaded');
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn(`${signal} received again: exiting without waiting for requests in flight`);
      exitAfterLogs(1);
      return;
    }
    stopping = true;
    logger.info({ grace_s: graceMs / 1000 }, `${signal} received: draining requests in flight, then exiting`);
    void gateway.drain(graceMs).then(
      () => {
        logger.info('drained, exiting');
        exitAfterLogs(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        exitAfterLogs(1);
      },
    );
    // the store or an upstream pool that never closes must not keep the process alive
    setTimeout(() => exitAfterLogs(0), graceMs + 5_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return -1;
}

/** Exits once the buffered log lines are written (see closeStdoutLog); a reader that stalls gets a second. */
function exitAfterLogs(code: number): void {
  setTimeout(() => process.exit(code), 1_000).unref();
  closeStdoutLog(() => process.exit(code));
}

/** How long a shutdown waits for requests in flight (SWITCHYARD_DRAIN_TIMEOUT_S, default 30 s); undefined when invalid. */
function drainSeconds(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return 30;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
