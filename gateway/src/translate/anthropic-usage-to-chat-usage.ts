import type { Usage } from '../core/chat-response.js';
import type { AnthropicUsage } from './anthropic-types.js';

/**
 * Anthropic usage → OpenAI usage. Anthropic's input_tokens excludes cached tokens, OpenAI's prompt_tokens
 * includes them; the Anthropic cache fields also stay at top level because Roo Code reads them there.
 */
export function anthropicUsageToChatUsage(usage: AnthropicUsage): Usage {
  const input = usage.input_tokens ?? 0;
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const output = usage.output_tokens ?? 0;
  const prompt = input + cacheRead + cacheWrite;
  return {
    prompt_tokens: prompt,
    completion_tokens: output,
    total_tokens: prompt + output,
    prompt_tokens_details: { cached_tokens: cacheRead, cache_creation_tokens: cacheWrite },
    cache_read_input_tokens: cacheRead,
    cache_creation_input_tokens: cacheWrite,
  };
}
