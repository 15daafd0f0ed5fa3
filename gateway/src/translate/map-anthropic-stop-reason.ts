import type { FinishReason } from '../core/chat-response.js';

const STOP_REASONS: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
  pause_turn: 'stop',
};

/** Anthropic `stop_reason` → OpenAI `finish_reason`; reasons Anthropic adds later read as a normal stop. */
export function mapAnthropicStopReason(reason: string | null | undefined): FinishReason {
  return (reason && STOP_REASONS[reason]) || 'stop';
}
