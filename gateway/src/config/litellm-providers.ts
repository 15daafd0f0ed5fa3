import { ANTHROPIC_BASE_URL, OPENROUTER_BASE_URL, OPENROUTER_HEADERS } from './defaults.js';
import type { ProviderKind } from './types.js';

/** How Switchyard reaches one LiteLLM provider prefix (`openrouter/…`, `ollama/…`). */
export interface LitellmProviderInfo {
  kind: ProviderKind;
  /** Used when `api_base` is absent; undefined means `api_base` is required. */
  defaultBase?: string;
  /** The variable LiteLLM reads the key from when `api_key` is absent. */
  keyEnv?: string;
  headers?: Readonly<Record<string, string>>;
  /** LiteLLM's api_base for this prefix omits the OpenAI-compatible `/v1` suffix (Ollama's native root). */
  appendV1?: boolean;
}

const openai = (defaultBase?: string, keyEnv?: string): LitellmProviderInfo => ({ kind: 'openai-compatible', defaultBase, keyEnv });

/** LiteLLM model prefixes Switchyard can serve, all through its OpenAI-compatible or Anthropic adapters. */
export const LITELLM_PROVIDERS: Readonly<Record<string, LitellmProviderInfo>> = {
  openai: openai('https://api.openai.com/v1', 'OPENAI_API_KEY'),
  custom_openai: openai(undefined, 'OPENAI_API_KEY'),
  openrouter: { ...openai(OPENROUTER_BASE_URL, 'OPENROUTER_API_KEY'), headers: OPENROUTER_HEADERS },
  anthropic: { kind: 'anthropic', defaultBase: ANTHROPIC_BASE_URL, keyEnv: 'ANTHROPIC_API_KEY' },
  ollama: { ...openai('http://localhost:11434'), appendV1: true },
  ollama_chat: { ...openai('http://localhost:11434'), appendV1: true },
  hosted_vllm: openai('http://localhost:8000/v1', 'HOSTED_VLLM_API_KEY'),
  vllm: openai('http://localhost:8000/v1'),
  lm_studio: openai('http://localhost:1234/v1', 'LM_STUDIO_API_KEY'),
  litellm_proxy: openai(undefined, 'LITELLM_PROXY_API_KEY'),
  groq: openai('https://api.groq.com/openai/v1', 'GROQ_API_KEY'),
  deepseek: openai('https://api.deepseek.com/v1', 'DEEPSEEK_API_KEY'),
  mistral: openai('https://api.mistral.ai/v1', 'MISTRAL_API_KEY'),
  together_ai: openai('https://api.together.xyz/v1', 'TOGETHERAI_API_KEY'),
  fireworks_ai: openai('https://api.fireworks.ai/inference/v1', 'FIREWORKS_AI_API_KEY'),
  xai: openai('https://api.x.ai/v1', 'XAI_API_KEY'),
  gemini: openai('https://generativelanguage.googleapis.com/v1beta/openai', 'GEMINI_API_KEY'),
  perplexity: openai('https://api.perplexity.ai', 'PERPLEXITYAI_API_KEY'),
  cerebras: openai('https://api.cerebras.ai/v1', 'CEREBRAS_API_KEY'),
  deepinfra: openai('https://api.deepinfra.com/v1/openai', 'DEEPINFRA_API_KEY'),
  nvidia_nim: openai('https://integrate.api.nvidia.com/v1', 'NVIDIA_NIM_API_KEY'),
  moonshot: openai('https://api.moonshot.ai/v1', 'MOONSHOT_API_KEY'),
  dashscope: openai('https://dashscope-intl.aliyuncs.com/compatible-mode/v1', 'DASHSCOPE_API_KEY'),
};

export interface ResolvedLitellmModel {
  prefix: string;
  info: LitellmProviderInfo;
  upstreamModel: string;
  /** True when the model had no known prefix and the provider was inferred from its name. */
  guessed: boolean;
}

/**
 * Splits `provider/id` into a known provider and the upstream id (the part after the first `/`).
 * Without a known prefix LiteLLM guesses from the model name; Switchyard follows its two common cases.
 */
export function resolveLitellmModel(model: string, customProvider?: string): ResolvedLitellmModel | { unknownPrefix: string } {
  if (customProvider !== undefined) {
    const info = LITELLM_PROVIDERS[customProvider];
    if (!info) return { unknownPrefix: customProvider };
    const id = model.startsWith(`${customProvider}/`) ? model.slice(customProvider.length + 1) : model;
    return { prefix: customProvider, info, upstreamModel: id, guessed: false };
  }
  const slash = model.indexOf('/');
  const prefix = slash === -1 ? '' : model.slice(0, slash);
  const info = LITELLM_PROVIDERS[prefix];
  if (info) return { prefix, info, upstreamModel: model.slice(slash + 1), guessed: false };
  if (slash !== -1 && KNOWN_UNSUPPORTED.has(prefix)) return { unknownPrefix: prefix };
  const guess = model.startsWith('claude') ? 'anthropic' : 'openai';
  return { prefix: guess, info: LITELLM_PROVIDERS[guess] as LitellmProviderInfo, upstreamModel: model, guessed: true };
}

/** Prefixes whose wire format or auth Switchyard does not speak; a model id with another slash is kept whole. */
const KNOWN_UNSUPPORTED = new Set([
  'azure', 'azure_ai', 'bedrock', 'bedrock_converse', 'sagemaker', 'vertex_ai', 'vertex_ai_beta', 'cohere', 'cohere_chat',
  'huggingface', 'replicate', 'watsonx', 'databricks', 'predibase', 'cloudflare', 'text-completion-openai',
  'text-completion-codestral', 'codestral', 'palm', 'ai21', 'nlp_cloud', 'aleph_alpha', 'petals', 'baseten',
  'triton', 'clarifai', 'oci', 'snowflake', 'github_copilot', 'sambanova', 'voyage', 'friendliai',
]);
