import { z } from 'zod';
import { booleanish, numberish } from './strict-object.js';

const nonEmpty = z.string().min(1);
const optNumber = numberish.pipe(z.number().min(0)).optional();
const optBoolean = booleanish.optional();
const stringMap = z.record(z.string(), z.string());

/** `litellm_params` of one model_list entry: the fields Switchyard reads are typed, the rest kept. */
export const litellmParamsSchema = z.looseObject({
  model: nonEmpty,
  api_base: nonEmpty.refine((s) => URL.canParse(s), { message: 'not a valid URL: write it in full, e.g. http://localhost:11434' }).optional(),
  api_key: z.string().optional(),
  custom_llm_provider: nonEmpty.optional(),
  rpm: optNumber,
  tpm: optNumber,
  timeout: optNumber,
  stream_timeout: optNumber,
  input_cost_per_token: optNumber,
  output_cost_per_token: optNumber,
  cache_read_input_token_cost: optNumber,
  cache_creation_input_token_cost: optNumber,
  headers: stringMap.optional(),
  extra_headers: stringMap.optional(),
  extra_body: z.record(z.string(), z.unknown()).optional(),
});

/** `model_info`: free-form metadata in LiteLLM; only the fields Switchyard reads are typed. */
export const litellmModelInfoSchema = z.looseObject({
  max_input_tokens: optNumber,
  max_tokens: optNumber,
  max_output_tokens: optNumber,
  supports_vision: optBoolean,
  supports_function_calling: optBoolean,
  supports_prompt_caching: optBoolean,
  supports_reasoning: optBoolean,
  input_cost_per_token: optNumber,
  output_cost_per_token: optNumber,
  cache_read_input_token_cost: optNumber,
  cache_creation_input_token_cost: optNumber,
  tier: nonEmpty.optional(),
});

export const litellmEntrySchema = z.looseObject({
  model_name: nonEmpty,
  litellm_params: litellmParamsSchema,
  model_info: litellmModelInfoSchema.optional(),
});

const section = z.record(z.string(), z.unknown()).optional();

/** A LiteLLM proxy config.yaml, leniently: unknown sections and settings are warned about, not rejected. */
export const litellmFileSchema = z.looseObject({
  model_list: z.array(z.unknown()).min(1),
  router_settings: section,
  litellm_settings: section,
  general_settings: section,
  environment_variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

export type LitellmEntry = z.infer<typeof litellmEntrySchema>;
export type LitellmParams = z.infer<typeof litellmParamsSchema>;
