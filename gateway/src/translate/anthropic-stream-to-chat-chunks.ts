import type { ChatChunk, ChunkDelta, FinishReason } from '../core/chat-response.js';
import { GatewayError } from '../core/errors.js';
import type { AnthropicStreamEvent, AnthropicUsage } from './anthropic-types.js';
import { anthropicUsageToChatUsage } from './anthropic-usage-to-chat-usage.js';
import { mapAnthropicErrorType } from './map-anthropic-error-type.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';

/** Feeds Anthropic stream events in order and gets OpenAI chunks out. */
export interface AnthropicStreamTranslator {
  /** Translates one event into zero or more chunks; an `error` event throws a GatewayError. */
  push(event: AnthropicStreamEvent): ChatChunk[];
  /** True once `message_stop` arrived: a stream that ends before that was cut. */
  readonly finished: boolean;
}

type BlockState = { kind: 'tool'; toolIndex: number } | { kind: 'text' } | { kind: 'thinking' } | { kind: 'other' };

/** Creates the stateful translator for one Messages stream (`created` in Unix seconds). */
export function createAnthropicStreamTranslator(created: number = Math.floor(Date.now() / 1000)): AnthropicStreamTranslator {
  let id = 'msg_unknown';
  let model = '';
  let roleSent = false;
  let finished = false;
  let toolCount = 0;
  const blocks = new Map<number, BlockState>();
  const usage: AnthropicUsage = {};

  const chunk = (delta: ChunkDelta, finishReason: FinishReason | null = null): ChatChunk => {
    if (!roleSent) {
      roleSent = true;
      delta = { role: 'assistant', ...delta };
    }
    return { id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason }] };
  };

  const mergeUsage = (u: AnthropicUsage | undefined): void => {
    if (!u) return;
    for (const key of ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'] as const) {
      if (typeof u[key] === 'number') usage[key] = u[key];
    }
  };

  const push = (event: AnthropicStreamEvent): ChatChunk[] => {
    if (finished) return [];
    switch (event.type) {
      case 'message_start':
        id = event.message.id ?? id;
        model = event.message.model ?? model;
        mergeUsage(event.message.usage);
        return [chunk({ content: '' })];
      case 'content_block_start': {
        const block = event.content_block as Record<string, unknown>;
        if (block.type === 'tool_use') {
          const toolIndex = toolCount++;
          blocks.set(event.index, { kind: 'tool', toolIndex });
          const call = { index: toolIndex, id: String(block.id), type: 'function' as const, function: { name: String(block.name), arguments: '' } };
          return [chunk({ tool_calls: [call] })];
        }
        if (block.type === 'text') {
          blocks.set(event.index, { kind: 'text' });
          return typeof block.text === 'string' && block.text !== '' ? [chunk({ content: block.text })] : [];
        }
        if (block.type === 'thinking') {
          blocks.set(event.index, { kind: 'thinking' });
          return typeof block.thinking === 'string' && block.thinking !== '' ? [chunk({ reasoning_content: block.thinking })] : [];
        }
        blocks.set(event.index, { kind: 'other' });
        return [];
      }
      case 'content_block_delta': {
        const delta = event.delta as Record<string, unknown>;
        if (delta.type === 'text_delta' && typeof delta.text === 'string' && delta.text !== '') return [chunk({ content: delta.text })];
        if (delta.type === 'thinking_delta' && typeof delta.thinking === 'string' && delta.thinking !== '') {
          return [chunk({ reasoning_content: delta.thinking })];
        }
        const state = blocks.get(event.index);
        if (delta.type === 'input_json_delta' && state?.kind === 'tool' && typeof delta.partial_json === 'string' && delta.partial_json !== '') {
          return [chunk({ tool_calls: [{ index: state.toolIndex, function: { arguments: delta.partial_json } }] })];
        }
        // signature_delta and citations have no chat equivalent
        return [];
      }
      case 'message_delta':
        mergeUsage(event.usage);
        return [chunk({}, mapAnthropicStopReason(event.delta?.stop_reason))];
      case 'message_stop':
        finished = true;
        return [{ id, object: 'chat.completion.chunk', created, model, choices: [], usage: anthropicUsageToChatUsage(usage) }];
      case 'error': {
        const type = event.error?.type;
        throw new GatewayError(mapAnthropicErrorType(type), `Upstream stream error (${type ?? 'unknown'}): ${event.error?.message ?? 'no message'}`, {
          code: 'upstream_stream_error',
        });
      }
      default:
        // ping, content_block_stop and event types Anthropic adds later carry nothing to relay
        return [];
    }
  };

  return {
    push,
    get finished() {
      return finished;
    },
  };
}
