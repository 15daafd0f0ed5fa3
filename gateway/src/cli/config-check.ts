import { parseArgs } from 'node:util';
import { formatDiagnostics } from '../config/diagnostics.js';
import { loadConfig } from '../config/load-config.js';

const HELP = `Usage: switchyard config check FILE

Validates a Switchyard or LiteLLM config file and prints every problem with its YAML path.
Exits 0 when the file is valid (warnings are printed but do not fail), 1 otherwise.
`;

/** `switchyard config check FILE` */
export function runConfigCheck(args: string[]): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const file = positionals[0];
  if (!file) {
    process.stderr.write(HELP);
    return 1;
  }
  const result = loadConfig({ path: file });
  if (result.warnings.length > 0) process.stdout.write(formatDiagnostics(result.warnings) + '\n');
  if (!result.ok) {
    process.stdout.write(formatDiagnostics(result.errors) + '\n');
    process.stdout.write(`${file}: ${result.errors.length} error(s)\n`);
    return 1;
  }
  const { config } = result;
  const deployments = [...config.models.values()].reduce((n, group) => n + group.length, 0);
  process.stdout.write(`${file}: OK (${config.format} format, ${config.models.size} models, ${deployments} deployments)\n`);
  return 0;
}
