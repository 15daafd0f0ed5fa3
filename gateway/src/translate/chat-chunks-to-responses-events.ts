import type { ChatChunk, FinishReason, Usage } from '../core/chat-response.js';
import { GatewayError } from '../core/errors.js';
import { responseObject, type ResponseIdentity } from './chat-to-responses-response.js';
import { chatUsageToResponsesUsage } from './chat-usage-to-responses-usage.js';
import { functionCallItem, messageItem, outputItemId, reasoningItem, reasoningOf, responseStatusFor } from './responses-output-items.js';
import type { OutputItem, ResponseEcho, ResponseObject, ResponsesStreamEvent } from './responses-types.js';

/** Chat chunks in, Responses stream events out. Stateful, no I/O. */
export interface ResponsesStreamTranslator {
  /** `response.created` and `response.in_progress`. */
  start(): ResponsesStreamEvent[];
  /** The events one chunk completes; throws a GatewayError when tool call deltas interleave. */
  push(chunk: ChatChunk): ResponsesStreamEvent[];
  /** Closes the open item and ends with `response.completed` (or `response.incomplete`), usage included. */
  finish(): ResponsesStreamEvent[];
  /** Ends a stream that broke mid-way with `response.failed`. */
  fail(error: { code: string; message: string }): ResponsesStreamEvent[];
}

interface OpenItem {
  kind: 'message' | 'function_call' | 'reasoning';
  id: string;
  outputIndex: number;
  /** Text, arguments or reasoning so far. */
  text: string;
  callId: string;
  name: string;
}

const NONE: ResponsesStreamEvent[] = [];
const NO_LOGPROBS: readonly never[] = Object.freeze([]);

/**
 * Output items never interleave: an item is opened when its first delta arrives and closed when another kind of
 * delta, a finish reason or the end arrives. The terminal event waits for the end of the upstream stream, so it
 * carries the usage the upstream sends after its finish reason.
 */
export function createResponsesStreamTranslator(echo: ResponseEcho, identity: ResponseIdentity): ResponsesStreamTranslator {
  let seq = 0;
  const output: OutputItem[] = [];
  const toolItems = new Map<number, OpenItem>();
  let open: OpenItem | undefined;
  let finish: FinishReason | null = null;
  let usage: Usage | undefined;
  let answered = false;

  const event = (out: ResponsesStreamEvent[], type: string, fields: Record<string, unknown>): void => {
    out.push({ type, sequence_number: seq++, ...fields });
  };
  const snapshot = (state: Partial<ResponseObject> = {}): ResponseObject =>
    responseObject(echo, identity, { status: 'in_progress', incomplete_details: null, output: [], usage: null, ...state });

  function openItem(out: ResponsesStreamEvent[], kind: OpenItem['kind'], callId = '', name = ''): OpenItem {
    closeItem(out);
    const outputIndex = output.length;
    const prefix = kind === 'message' ? 'msg' : kind === 'function_call' ? 'fc' : 'rs';
    const item: OpenItem = { kind, id: outputItemId(identity.id, prefix, outputIndex), outputIndex, text: '', callId, name };
    open = item;
    const at = { output_index: outputIndex };
    const ref = { item_id: item.id, output_index: outputIndex, content_index: 0 };
    if (kind === 'message') {
      event(out, 'response.output_item.added', { ...at, item: { type: 'message', id: item.id, role: 'assistant', status: 'in_progress', content: [] } });
      event(out, 'response.content_part.added', { ...ref, part: { type: 'output_text', text: '', annotations: [] } });
    } else if (kind === 'reasoning') {
      event(out, 'response.output_item.added', { ...at, item: { type: 'reasoning', id: item.id, summary: [], content: [] } });
      event(out, 'response.content_part.added', { ...ref, part: { type: 'reasoning_text', text: '' } });
    } else {
      event(out, 'response.output_item.added', { ...at, item: functionCallItem(item.id, callId, name, '', 'in_progress') });
    }
    return item;
  }

  function closeItem(out: ResponsesStreamEvent[]): void {
    const item = open;
    if (!item) return;
    open = undefined;
    const itemStatus = responseStatusFor(finish).status === 'completed' ? 'completed' : 'incomplete';
    const ref = { item_id: item.id, output_index: item.outputIndex, content_index: 0 };
    let done: OutputItem;
    if (item.kind === 'message') {
      done = messageItem(item.id, item.text, itemStatus);
      event(out, 'response.output_text.done', { ...ref, text: item.text, logprobs: [] });
      event(out, 'response.content_part.done', { ...ref, part: done.content[0] });
      answered = true;
    } else if (item.kind === 'reasoning') {
      done = reasoningItem(item.id, item.text);
      event(out, 'response.reasoning_text.done', { ...ref, text: item.text });
      event(out, 'response.content_part.done', { ...ref, part: done.content[0] });
    } else {
      done = functionCallItem(item.id, item.callId, item.name, item.text, 'completed');
      event(out, 'response.function_call_arguments.done', { item_id: item.id, output_index: item.outputIndex, name: item.name, arguments: item.text });
      answered = true;
    }
    output.push(done);
    event(out, 'response.output_item.done', { output_index: item.outputIndex, item: done });
  }

  function pushToolDeltas(out: ResponsesStreamEvent[], deltas: NonNullable<ChatChunk['choices'][number]['delta']['tool_calls']>): void {
    for (const delta of deltas) {
      let item = toolItems.get(delta.index);
      if (!item) {
        const callId = delta.id ?? `call_${identity.id.slice(5)}_${delta.index}`;
        item = openItem(out, 'function_call', callId, delta.function?.name ?? '');
        toolItems.set(delta.index, item);
      } else if (item !== open) {
        throw new GatewayError('upstream', 'Upstream interleaved tool call deltas, which a Responses stream cannot express', { code: 'upstream_stream_error' });
      } else if (item.name === '' && delta.function?.name) {
        item.name = delta.function.name;
      }
      const args = delta.function?.arguments;
      if (args) {
        item.text += args;
        out.push({ type: 'response.function_call_arguments.delta', sequence_number: seq++, item_id: item.id, output_index: item.outputIndex, delta: args });
      }
    }
  }

  function appendText(out: ResponsesStreamEvent[], kind: 'message' | 'reasoning', text: string): void {
    const item = open?.kind === kind ? open : openItem(out, kind);
    item.text += text;
    // deltas are the hot path: one object each, built directly
    if (kind === 'message') {
      out.push({ type: 'response.output_text.delta', sequence_number: seq++, item_id: item.id, output_index: item.outputIndex, content_index: 0, delta: text, logprobs: NO_LOGPROBS });
    } else {
      out.push({ type: 'response.reasoning_text.delta', sequence_number: seq++, item_id: item.id, output_index: item.outputIndex, content_index: 0, delta: text });
    }
  }

  return {
    start() {
      const out: ResponsesStreamEvent[] = [];
      event(out, 'response.created', { response: snapshot() });
      event(out, 'response.in_progress', { response: snapshot() });
      return out;
    },

    push(chunk) {
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) return NONE;
      const out: ResponsesStreamEvent[] = [];
      const { delta } = choice;
      const reasoning = reasoningOf(delta);
      if (reasoning !== undefined) appendText(out, 'reasoning', reasoning);
      if (typeof delta.content === 'string' && delta.content !== '') appendText(out, 'message', delta.content);
      if (delta.tool_calls) pushToolDeltas(out, delta.tool_calls);
      if (choice.finish_reason) {
        finish = choice.finish_reason;
        closeItem(out);
      }
      return out;
    },

    finish() {
      const out: ResponsesStreamEvent[] = [];
      closeItem(out);
      // a reply with neither text nor tool calls still answers with an (empty) message, as the non-stream path does
      if (!answered) {
        openItem(out, 'message');
        closeItem(out);
      }
      const { status, incomplete_details } = responseStatusFor(finish);
      const response = snapshot({ status, incomplete_details, output: output.slice(), usage: usage ? chatUsageToResponsesUsage(usage) : null });
      event(out, status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
      return out;
    },

    fail(error) {
      const out: ResponsesStreamEvent[] = [];
      event(out, 'response.failed', { response: snapshot({ status: 'failed', error, output: output.slice(), usage: usage ? chatUsageToResponsesUsage(usage) : null }) });
      return out;
    },
  };
}
