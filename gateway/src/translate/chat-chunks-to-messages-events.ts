import type { ChatChunk, ToolCallDelta, Usage } from '../core/chat-response.js';
import { GatewayError } from '../core/errors.js';
import { chatUsageToAnthropicUsage } from './chat-usage-to-anthropic-usage.js';
import type { MessagesAnswerOptions } from './chat-to-messages-response.js';
import { mapFinishReasonToStopReason } from './map-finish-reason-to-stop-reason.js';
import { originalToolName } from './shorten-tool-name.js';

/** One event of a Messages stream; the SSE `event:` name is its `type`. */
export interface MessagesEvent {
  type: string;
  [k: string]: unknown;
}

export interface MessagesStreamOptions extends MessagesAnswerOptions {
  /** Estimated input tokens for `message_start`; the final count goes in `message_delta`. */
  inputTokens: number;
}

/** Turns chat chunks into Messages stream events, one block at a time. */
export interface MessagesEventEncoder {
  /** Events one chunk completes (the first call also opens the message). Throws on tool arguments it cannot place. */
  push(chunk: ChatChunk): MessagesEvent[];
  /** Closes the message once the upstream stream ended: the open block, `message_delta` with usage, `message_stop`. */
  finish(): MessagesEvent[];
}

type Open = { kind: 'text' | 'thinking' } | { kind: 'tool'; chatIndex: number; id: string } | undefined;

/**
 * Creates the encoder for one answer. Blocks never interleave: a chunk of another kind closes the open block.
 * `message_delta` is only produced by `finish`, after the upstream's trailing usage chunk has arrived.
 */
export function createMessagesEventEncoder(opts: MessagesStreamOptions): MessagesEventEncoder {
  let started = false;
  let open: Open;
  let index = -1;
  let finishReason: string | null = null;
  let usage: Usage | undefined;
  let outputChars = 0;
  let toolCount = 0;
  const toolIndexes = new Set<number>();

  const start = (out: MessagesEvent[]): void => {
    started = true;
    const startUsage = { input_tokens: opts.inputTokens, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    const message = { id: opts.id, type: 'message', role: 'assistant', model: opts.model, content: [], stop_reason: null, stop_sequence: null, usage: startUsage };
    out.push({ type: 'message_start', message });
  };
  const close = (out: MessagesEvent[]): void => {
    if (open) out.push({ type: 'content_block_stop', index });
    open = undefined;
  };
  const openBlock = (out: MessagesEvent[], next: NonNullable<Open>, block: Record<string, unknown>): void => {
    close(out);
    open = next;
    out.push({ type: 'content_block_start', index: ++index, content_block: block });
  };

  const pushTool = (out: MessagesEvent[], call: ToolCallDelta): void => {
    const chatIndex = call.index ?? 0;
    const args = call.function?.arguments ?? '';
    const isNew = open?.kind !== 'tool' || open.chatIndex !== chatIndex || (call.id !== undefined && call.id !== open.id);
    if (isNew) {
      if (call.id === undefined && call.function?.name === undefined && toolIndexes.has(chatIndex)) {
        if (args === '') return;
        throw new GatewayError('upstream', 'Upstream interleaved the arguments of parallel tool calls, which a Messages stream cannot carry', {
          code: 'upstream_stream_error',
        });
      }
      toolIndexes.add(chatIndex);
      const id = call.id ?? `toolu_${opts.id}_${toolCount}`;
      toolCount++;
      const name = originalToolName(opts.toolNames, call.function?.name ?? '');
      openBlock(out, { kind: 'tool', chatIndex, id }, { type: 'tool_use', id, name, input: {} });
    }
    if (args !== '') {
      outputChars += args.length;
      out.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: args } });
    }
  };

  return {
    push(chunk) {
      const out: MessagesEvent[] = [];
      if (!started) start(out);
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) return out;
      const delta = choice.delta ?? {};
      const reasoning = delta.reasoning_content ?? (typeof delta.reasoning === 'string' ? delta.reasoning : undefined);
      if (reasoning) {
        if (open?.kind !== 'thinking') openBlock(out, { kind: 'thinking' }, { type: 'thinking', thinking: '', signature: '' });
        outputChars += reasoning.length;
        out.push({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: reasoning } });
      }
      if (typeof delta.content === 'string' && delta.content !== '') {
        if (open?.kind !== 'text') openBlock(out, { kind: 'text' }, { type: 'text', text: '' });
        outputChars += delta.content.length;
        out.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: delta.content } });
      }
      if (delta.tool_calls) for (const call of delta.tool_calls) pushTool(out, call);
      if (choice.finish_reason) finishReason = choice.finish_reason;
      return out;
    },

    finish() {
      const out: MessagesEvent[] = [];
      if (!started) start(out);
      close(out);
      const final = chatUsageToAnthropicUsage(usage);
      if (!usage) {
        // an upstream that ignores include_usage: estimates beat zeros for budgets and context meters
        final.input_tokens = opts.inputTokens;
        final.output_tokens = Math.ceil(outputChars / 4);
      }
      const stopReason = mapFinishReasonToStopReason(finishReason, toolCount > 0);
      out.push({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: final });
      out.push({ type: 'message_stop' });
      return out;
    },
  };
}
