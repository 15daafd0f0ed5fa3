import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DEFAULT_TEMPERATURE, ROLES, type Role } from './roles.js';

/** A problem with pipeline.yaml or an override, with where it is and what to do. */
export class PipelineConfigError extends Error {
  override name = 'PipelineConfigError';
}

const roleSchema = z.strictObject({
  /** A model name or a router of the gateway (`pipeline`, `auto`, …). */
  model: z.string().min(1).optional(),
  /** A tier of that router, sent as `x-switchyard-tier`. */
  tier: z.string().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().positive().optional(),
  /** Only the plan reviewer can be switched off (it is off unless enabled). */
  enabled: z.boolean().optional(),
});

const fileSchema = z.strictObject({
  gateway: z.strictObject({
    url: z.url().optional(),
    /** The environment variable holding the gateway key (default SWITCHYARD_API_KEY); keys never go in the file. */
    api_key_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
    timeout_s: z.number().positive().optional(),
  }).optional(),
  /** The model every role asks for unless it names its own (default `pipeline`, the gateway's built-in router). */
  router: z.string().min(1).optional(),
  roles: z.strictObject(Object.fromEntries(ROLES.map((r) => [r, roleSchema.optional()])) as Record<Role, z.ZodOptional<typeof roleSchema>>).optional(),
  /** Revise rounds after the first review before a task goes to the human review queue. */
  review_rounds: z.number().int().min(0).max(10).optional(),
  /** USD; a task stops cleanly once it has spent this much. */
  max_cost_per_task: z.number().positive().optional(),
  max_tokens: z.number().int().positive().optional(),
  stream: z.boolean().optional(),
  /** Retries of a request the gateway marks retryable (`x-should-retry: true`). */
  retries: z.number().int().min(0).max(10).optional(),
  /** Where task folders go (default ./pipeline-out). */
  output_dir: z.string().min(1).optional(),
  /** Where the review queue and the history live (default ./.switchyard/pipeline). */
  home: z.string().min(1).optional(),
});

export interface RoleSettings {
  model: string;
  tier?: string;
  temperature: number;
  maxTokens: number;
  enabled: boolean;
}

export interface PipelineConfig {
  /** The file it was read from, or `defaults`. */
  source: string;
  gateway: { url: string; apiKey?: string; timeoutMs: number };
  roles: Readonly<Record<Role, RoleSettings>>;
  reviewRounds: number;
  maxCostPerTask?: number;
  stream: boolean;
  retries: number;
  outputDir: string;
  home: string;
}

export const DEFAULT_CONFIG_FILE = 'pipeline.yaml';
const DEFAULT_URL = 'http://127.0.0.1:4000';

/**
 * pipeline.yaml (the given file, else ./pipeline.yaml when present, else defaults) with environment overrides:
 * SWITCHYARD_URL, SWITCHYARD_API_KEY, SWITCHYARD_<ROLE>_MODEL / _TIER / _TEMPERATURE (PLANNER, PLAN_REVIEWER,
 * CODER, REVIEWER), SWITCHYARD_PIPELINE_ROUNDS, SWITCHYARD_PIPELINE_MAX_COST, SWITCHYARD_PIPELINE_HOME.
 */
export function loadPipelineConfig(opts: { file?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): PipelineConfig {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const file = opts.file ? resolve(cwd, opts.file) : existsSync(resolve(cwd, DEFAULT_CONFIG_FILE)) ? resolve(cwd, DEFAULT_CONFIG_FILE) : undefined;
  const raw = file ? readConfigFile(file) : {};
  const parsed = fileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new PipelineConfigError(`${file}: invalid pipeline config\n${lines.join('\n')}`);
  }
  return resolveConfig(parsed.data, env, cwd, file ?? 'defaults');
}

function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PipelineConfigError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    return parseYaml(text);
  } catch (err) {
    throw new PipelineConfigError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
}

function resolveConfig(file: z.infer<typeof fileSchema>, env: NodeJS.ProcessEnv, cwd: string, source: string): PipelineConfig {
  const router = file.router ?? 'pipeline';
  const maxTokens = file.max_tokens ?? 4096;
  const roles = {} as Record<Role, RoleSettings>;
  for (const role of ROLES) {
    const r = file.roles?.[role] ?? {};
    const prefix = `SWITCHYARD_${role.toUpperCase()}_`;
    const tier = envText(env, `${prefix}TIER`) ?? r.tier;
    roles[role] = {
      model: envText(env, `${prefix}MODEL`) ?? r.model ?? router,
      ...(tier ? { tier } : {}),
      temperature: envNumber(env, `${prefix}TEMPERATURE`, { min: 0, max: 2 }) ?? r.temperature ?? DEFAULT_TEMPERATURE[role],
      maxTokens: r.max_tokens ?? maxTokens,
      enabled: role === 'plan_reviewer' ? r.enabled ?? false : r.enabled ?? true,
    };
    if (!roles[role].enabled && role !== 'plan_reviewer') throw new PipelineConfigError(`${source}: roles.${role}.enabled: only plan_reviewer can be switched off`);
  }
  const keyVar = file.gateway?.api_key_env ?? 'SWITCHYARD_API_KEY';
  const apiKey = envText(env, keyVar);
  const maxCost = envNumber(env, 'SWITCHYARD_PIPELINE_MAX_COST', { min: 0 }) ?? file.max_cost_per_task;
  const url = envText(env, 'SWITCHYARD_URL') ?? file.gateway?.url ?? DEFAULT_URL;
  if (!/^https?:\/\//.test(url)) throw new PipelineConfigError(`gateway url "${url}" must start with http:// or https://`);
  return {
    source,
    gateway: { url: url.replace(/\/+$/, ''), ...(apiKey ? { apiKey } : {}), timeoutMs: (file.gateway?.timeout_s ?? 600) * 1000 },
    roles,
    reviewRounds: envNumber(env, 'SWITCHYARD_PIPELINE_ROUNDS', { min: 0, max: 10, integer: true }) ?? file.review_rounds ?? 2,
    ...(maxCost !== undefined ? { maxCostPerTask: maxCost } : {}),
    stream: file.stream ?? true,
    retries: file.retries ?? 2,
    outputDir: resolve(cwd, file.output_dir ?? 'pipeline-out'),
    home: resolve(cwd, envText(env, 'SWITCHYARD_PIPELINE_HOME') ?? file.home ?? '.switchyard/pipeline'),
  };
}

function envText(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function envNumber(env: NodeJS.ProcessEnv, name: string, range: { min?: number; max?: number; integer?: boolean }): number | undefined {
  const text = envText(env, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  const ok = Number.isFinite(n) && (range.min === undefined || n >= range.min) && (range.max === undefined || n <= range.max) && (!range.integer || Number.isInteger(n));
  if (!ok) {
    const bounds = [range.min !== undefined ? `>= ${range.min}` : '', range.max !== undefined ? `<= ${range.max}` : ''].filter(Boolean).join(' and ');
    throw new PipelineConfigError(`${name}="${text}" is not a ${range.integer ? 'whole ' : ''}number${bounds ? ` ${bounds}` : ''}`);
  }
  return n;
}
