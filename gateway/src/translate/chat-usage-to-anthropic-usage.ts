import type { Usage } from '../core/chat-response.js';

export interface MessagesUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/**
 * OpenAI usage → Anthropic usage. OpenAI's prompt_tokens include cached tokens, Anthropic's input_tokens do
 * not: input = prompt − cache read − cache creation, floored at 0. Cache fields come from the Anthropic-style
 * top-level fields when an upstream (LiteLLM, OpenRouter) sends them, else from prompt_tokens_details.
 */
export function chatUsageToAnthropicUsage(usage: Usage | null | undefined): MessagesUsage {
  const prompt = usage?.prompt_tokens ?? 0;
  const cacheRead = usage?.cache_read_input_tokens ?? usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const cacheCreation = usage?.cache_creation_input_tokens ?? usage?.prompt_tokens_details?.cache_creation_tokens ?? 0;
  return {
    input_tokens: Math.max(0, prompt - cacheRead - cacheCreation),
    output_tokens: usage?.completion_tokens ?? 0,
    cache_creation_input_tokens: cacheCreation,
    cache_read_input_tokens: cacheRead,
  };
}
