import { z } from 'zod';
import { EXTENSION_SECTIONS } from './defaults.js';
import { booleanish, numberish, strictObject } from './strict-object.js';

const nonEmpty = z.string().min(1);
const positive = numberish.pipe(z.number().positive());
const positiveInt = numberish.pipe(z.number().int().positive());

const url = nonEmpty.refine((s) => URL.canParse(s), { message: 'not a valid URL: write it in full, e.g. https://api.example.com/v1' });

export const serverSchema = strictObject({
  host: nonEmpty.optional(),
  port: numberish.pipe(z.number().int().min(0).max(65535)).optional(),
  max_body_mb: positive.optional(),
});

const auth = z.union([z.literal('none'), strictObject({ master_key: nonEmpty })], {
  error: 'expected `none` or a mapping `{master_key: ${SWITCHYARD_MASTER_KEY}}`',
});

export const storeSchema = strictObject({
  kind: z.enum(['memory', 'redis']).optional(),
  url: url.optional(),
  data_dir: nonEmpty.optional(),
  /** memory: the journal size (MB) past which it is folded into a snapshot. */
  journal_compact_mb: z.number().positive().optional(),
}).superRefine((s, ctx) => {
  if (s.kind === 'redis' && s.url === undefined) {
    ctx.addIssue({ code: 'custom', path: ['url'], message: 'required when kind is redis, e.g. redis://127.0.0.1:6379' });
  }
});

const provider = strictObject({
  kind: z.enum(['openai-compatible', 'anthropic', 'demo']),
  base_url: url.optional(),
  api_key: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** Ask for the request's cost in the usage (default: on for OpenRouter). */
  report_cost: z.boolean().optional(),
}).superRefine((p, ctx) => {
  if (p.kind === 'openai-compatible' && p.base_url === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['base_url'],
      message: 'required for kind openai-compatible: the API root that serves /chat/completions, e.g. https://api.openai.com/v1',
    });
  }
});

const price = numberish.pipe(z.number().min(0));

const model = strictObject({
  name: nonEmpty,
  provider: nonEmpty,
  model: nonEmpty.optional(),
  tier: nonEmpty.optional(),
  prices: strictObject({
    input: price.optional(),
    output: price.optional(),
    cache_read: price.optional(),
    cache_write: price.optional(),
  }).optional(),
  context_window: positiveInt.optional(),
  max_output_tokens: positiveInt.optional(),
  capabilities: strictObject({
    tools: booleanish.optional(),
    vision: booleanish.optional(),
    caching: booleanish.optional(),
    reasoning: booleanish.optional(),
  }).optional(),
  rpm: positiveInt.optional(),
  tpm: positiveInt.optional(),
  timeout_s: positive.optional(),
  first_byte_timeout_s: positive.optional(),
  idle_timeout_s: positive.optional(),
  extra_body: z.record(z.string(), z.unknown()).optional(),
});

const extensionSections = Object.fromEntries(
  EXTENSION_SECTIONS.map((name) => [name, z.unknown().optional()]),
) as Record<(typeof EXTENSION_SECTIONS)[number], z.ZodOptional<z.ZodUnknown>>;

/** The native Switchyard config file, strictly: unknown keys anywhere are errors. */
export const nativeConfigSchema = strictObject({
  server: serverSchema.optional(),
  auth: auth.optional(),
  store: storeSchema.optional(),
  providers: z.record(nonEmpty, provider),
  models: z.array(model).min(1),
  aliases: z.record(nonEmpty, nonEmpty).optional(),
  ...extensionSections,
});

export type NativeConfigFile = z.infer<typeof nativeConfigSchema>;
export type NativeModelEntry = z.infer<typeof model>;
export type NativeProviderEntry = z.infer<typeof provider>;
