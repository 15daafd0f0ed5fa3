import type { AssistantMessage, ChatCompletion, ToolCall } from '../core/chat-response.js';
import type { AnthropicMessagesResponse } from './anthropic-types.js';
import { anthropicUsageToChatUsage } from './anthropic-usage-to-chat-usage.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';

/** An Anthropic Messages response → an OpenAI chat completion (`created` in Unix seconds). */
export function anthropicToChatResponse(response: AnthropicMessagesResponse, created: number = Math.floor(Date.now() / 1000)): ChatCompletion {
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  const thinkingBlocks: Array<Record<string, unknown>> = [];
  for (const block of response.content) {
    const b = block as Record<string, unknown>;
    if (b.type === 'text' && typeof b.text === 'string') text += b.text;
    else if (b.type === 'thinking' && typeof b.thinking === 'string') {
      reasoning += b.thinking;
      thinkingBlocks.push({ type: 'thinking', thinking: b.thinking, signature: b.signature });
    } else if (b.type === 'redacted_thinking') thinkingBlocks.push({ type: 'redacted_thinking', data: b.data });
    else if (b.type === 'tool_use') {
      toolCalls.push({
        id: String(b.id),
        type: 'function',
        function: { name: String(b.name), arguments: JSON.stringify(b.input ?? {}) },
      });
    }
  }
  const message: AssistantMessage = { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text };
  if (reasoning !== '') message.reasoning_content = reasoning;
  // LiteLLM's convention: clients that echo thinking_blocks back let a thinking + tools loop continue
  if (thinkingBlocks.length > 0) message.thinking_blocks = thinkingBlocks;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: response.id,
    object: 'chat.completion',
    created,
    model: response.model,
    choices: [{ index: 0, message, finish_reason: mapAnthropicStopReason(response.stop_reason) }],
    usage: anthropicUsageToChatUsage(response.usage ?? {}),
  };
}
