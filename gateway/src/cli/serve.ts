import { parseArgs } from 'node:util';
import { formatDiagnostics } from '../config/diagnostics.js';
import { loadConfig } from '../config/load-config.js';
import { startGateway } from '../server/start.js';
import { createLogger } from '../telemetry/logger.js';

const HELP = `Usage: switchyard serve [--config FILE] [--port PORT] [--host HOST]

  --config FILE   Switchyard or LiteLLM YAML config (default ./switchyard.yaml, else a built-in config)
  --port PORT     port to listen on (default: the config's, 4000)
  --host HOST     address to bind (default: the config's, 127.0.0.1)

SIGHUP reloads the config file; an invalid new config is reported and the old one kept.
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
  const stop = (signal: string) => {
    logger.info(`${signal} received, shutting down`);
    void gateway.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return -1;
}
