import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadPipelineConfig, type PipelineConfig } from '../config/pipeline-config.js';
import type { Out } from './terminal-reporter.js';

/** Where a command reads and writes: the process by default, something else in a library or a test. */
export interface CliIo {
  stdout: Out;
  stderr: Out;
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** A mistake in the command line: exit 1 with the message and the command's usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit codes: 0 done (approved), 1 error, 2 stopped (cost cap or gateway budget), 3 needs a human (queued / changes requested). */
export const EXIT = { ok: 0, error: 1, stopped: 2, review: 3 } as const;

/** Options every command takes. */
export const COMMON_OPTIONS = {
  config: { type: 'string' },
  url: { type: 'string' },
  'max-cost': { type: 'string' },
  rounds: { type: 'string' },
  'no-stream': { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** parseArgs with a UsageError for unknown options and missing values. */
export function parseCommand<O extends ParseArgsConfig['options']>(args: string[], options: O): ReturnType<typeof parseArgs<{ args: string[]; options: typeof COMMON_OPTIONS & O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** pipeline.yaml plus environment, then the command line's overrides (--url, --max-cost, --rounds, --no-stream). */
export function configFor(values: Record<string, unknown>, io: CliIo): PipelineConfig {
  const config = loadPipelineConfig({ ...(typeof values.config === 'string' ? { file: values.config } : {}), cwd: io.cwd, env: io.env });
  const url = values.url as string | undefined;
  const maxCost = numberOption(values['max-cost'], '--max-cost', 0);
  const rounds = numberOption(values.rounds, '--rounds', 0, true);
  return {
    ...config,
    ...(url ? { gateway: { ...config.gateway, url: url.replace(/\/+$/, '') } } : {}),
    ...(maxCost !== undefined ? { maxCostPerTask: maxCost } : {}),
    ...(rounds !== undefined ? { reviewRounds: rounds } : {}),
    ...(values['no-stream'] ? { stream: false } : {}),
  };
}

function numberOption(value: unknown, name: string, min: number, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) throw new UsageError(`${name} expects a ${integer ? 'whole ' : ''}number >= ${min}, got "${String(value)}"`);
  return n;
}
