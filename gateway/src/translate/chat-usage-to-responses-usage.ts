import type { Usage } from '../core/chat-response.js';
import type { ResponsesUsage } from './responses-types.js';

/** Chat usage → Responses usage. Input counts cached tokens too, as OpenAI's does; cached reads come from either dialect. */
export function chatUsageToResponsesUsage(usage: Usage): ResponsesUsage {
  const cached = usage.prompt_tokens_details?.cached_tokens ?? usage.cache_read_input_tokens ?? 0;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? 0;
  const input = usage.prompt_tokens ?? 0;
  const output = usage.completion_tokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: usage.total_tokens ?? input + output,
  };
}
