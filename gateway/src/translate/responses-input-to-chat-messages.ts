import type { ChatMessage, ContentPart as ChatPart } from '../core/chat-schema.js';
import { GatewayError } from '../core/errors.js';
import type { ContentPart, InputItem, MessageItem } from './responses-request-schema.js';

type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

/**
 * `instructions` and Responses `input` → chat messages. Consecutive `function_call` items join the assistant
 * message before them (one chat turn carries both text and tool calls); `function_call_output` becomes a tool
 * message; `reasoning` items are dropped (an upstream cannot take back reasoning it did not sign).
 */
export function responsesInputToChatMessages(input: string | InputItem[], instructions: string | null | undefined): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (instructions) messages.push({ role: 'system', content: instructions });
  if (typeof input === 'string') {
    messages.push({ role: 'user', content: input });
    return messages;
  }
  const calls = new Set<string>();
  input.forEach((item, i) => {
    switch (item.type) {
      case 'reasoning':
        return;
      case 'function_call': {
        calls.add(item.call_id);
        const call = { id: item.call_id, type: 'function' as const, function: { name: item.name, arguments: item.arguments } };
        const last = messages[messages.length - 1];
        if (last?.role === 'assistant') (last.tool_calls ??= []).push(call);
        else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
        return;
      }
      case 'function_call_output':
        if (!calls.has(item.call_id)) {
          throw invalid(`input[${i}]: function_call_output for call_id '${item.call_id}' has no function_call before it`, `input[${i}].call_id`);
        }
        messages.push({ role: 'tool', tool_call_id: item.call_id, content: toolContent(item.output, i) });
        return;
      default:
        messages.push(toChatMessage(item, i));
    }
  });
  return messages;
}

function toChatMessage(item: MessageItem, i: number): ChatMessage {
  const { role, content } = item;
  if (role === 'assistant') {
    const message: AssistantMessage = { role, content: typeof content === 'string' ? content : textOf(content) };
    return message;
  }
  // developer becomes system: many OpenAI-compatible servers do not know the developer role.
  if (role === 'system' || role === 'developer') return { role: 'system', content: typeof content === 'string' ? content : textOf(content) };
  if (typeof content === 'string') return { role, content };
  const parts = content.map((part, p) => toChatPart(part, `input[${i}].content[${p}]`));
  const only = parts.length === 1 ? parts[0] : undefined;
  return { role, content: only?.type === 'text' ? (only.text as string) : parts };
}

function toolContent(output: string | ContentPart[], i: number): string | ChatPart[] {
  if (typeof output === 'string') return output;
  if (output.every((part) => part.type === 'input_text' || part.type === 'output_text')) return textOf(output);
  return output.map((part, p) => toChatPart(part, `input[${i}].output[${p}]`));
}

function toChatPart(part: ContentPart, param: string): ChatPart {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: part.text };
    case 'refusal':
      return { type: 'text', text: part.refusal };
    case 'input_image':
      if (!part.image_url) throw stateless('input_image by file_id', param);
      return { type: 'image_url', image_url: part.detail ? { url: part.image_url, detail: part.detail } : { url: part.image_url } };
    case 'input_file':
      if (!part.file_data) throw stateless('input_file by file_id', param);
      return { type: 'file', file: { file_data: part.file_data, ...(part.filename ? { filename: part.filename } : {}) } };
  }
}

function textOf(parts: ContentPart[]): string {
  let text = '';
  for (const part of parts) {
    if (part.type === 'input_text' || part.type === 'output_text') text += part.text;
    else if (part.type === 'refusal') text += part.refusal;
  }
  return text;
}

function stateless(what: string, param: string): GatewayError {
  return invalid(`${what} is not supported: the gateway stores no files; send the data inline (a data: URL)`, param);
}

function invalid(message: string, param: string): GatewayError {
  return new GatewayError('invalid_request', message, { code: 'invalid_request_body', param });
}
