import type { ChatMessage, ChatRequest, ContentPart, ToolChoice, ToolDefinition } from '../core/chat-schema.js';
import { blockToChatPart, simplifyParts } from './messages-content-to-chat-parts.js';
import type { MessagesMessage, MessagesRequest, MessagesTool, MessagesToolChoice } from './messages-request-schema.js';
import { shortenToolName } from './shorten-tool-name.js';

export interface ChatTranslation {
  request: ChatRequest;
  /** Short tool name → the client's name, for names longer than 64 characters. */
  toolNames: Map<string, string>;
  /** Anthropic-defined tools (web_search_…, bash_…) that have no function schema and were left out. */
  droppedTools: string[];
}

const EFFORTS: Readonly<Record<string, string>> = { low: 'low', medium: 'medium', high: 'high', max: 'high', minimal: 'minimal' };

/** An Anthropic Messages request → the gateway's internal chat request (pure; throws a 400 for blocks chat cannot carry). */
export function messagesToChatRequest(req: MessagesRequest): ChatTranslation {
  const toolNames = new Map<string, string>();
  const short = (name: string): string => {
    const s = shortenToolName(name);
    if (s !== name) toolNames.set(s, name);
    return s;
  };
  const messages: ChatMessage[] = [];
  if (req.system !== undefined) {
    const system = systemMessage(req.system);
    if (system) messages.push(system);
  }
  req.messages.forEach((m, i) => messages.push(...toChatMessages(m, i, short)));

  const out: ChatRequest = { model: req.model, messages, max_tokens: req.max_tokens };
  if (req.stream !== undefined) out.stream = req.stream;
  if (req.stop_sequences?.length) out.stop = req.stop_sequences;
  if (req.temperature !== undefined) out.temperature = req.temperature;
  if (req.top_p !== undefined) out.top_p = req.top_p;
  if (req.metadata?.user_id) out.user = req.metadata.user_id;

  const droppedTools: string[] = [];
  const tools: ToolDefinition[] = [];
  for (const tool of req.tools ?? []) {
    if (tool.input_schema === undefined || (tool.type != null && tool.type !== 'custom')) droppedTools.push(tool.name);
    else tools.push(toChatTool(tool, short));
  }
  if (tools.length > 0) {
    out.tools = tools;
    if (req.tool_choice) Object.assign(out, toChatToolChoice(req.tool_choice, short));
  }
  const effort = reasoningEffort(req);
  if (effort) out.reasoning_effort = effort;
  return { request: out, toolNames, droppedTools };
}

function systemMessage(system: NonNullable<MessagesRequest['system']>): ChatMessage | undefined {
  if (typeof system === 'string') return system === '' ? undefined : { role: 'system', content: system };
  const parts = system.map((b, j) => blockToChatPart(b, `system[${j}]`)!);
  return parts.length === 0 ? undefined : { role: 'system', content: simplifyParts(parts) };
}

function toChatMessages(message: MessagesMessage, i: number, short: (name: string) => string): ChatMessage[] {
  const { role, content } = message;
  if (typeof content === 'string') return [{ role, content }];
  if (role === 'system') return [{ role, content: simplifyParts(content.map((b, j) => blockToChatPart(b, `messages[${i}].content[${j}]`)!)) }];
  if (role === 'assistant') return [assistantMessage(content, short)];

  // tool results go first, as role:tool messages; images they carry and the user's own blocks follow in one user turn
  const out: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  const resultMedia: ContentPart[] = [];
  content.forEach((block, j) => {
    const path = `messages[${i}].content[${j}]`;
    if (block.type !== 'tool_result') {
      const part = blockToChatPart(block, path);
      if (part) parts.push(part);
      return;
    }
    const texts: string[] = [];
    const mediaBefore = resultMedia.length;
    if (typeof block.content === 'string') texts.push(block.content);
    else {
      block.content?.forEach((b, k) => {
        const part = blockToChatPart(b, `${path}.content[${k}]`)!;
        // chat tool messages carry text only; images and files ride in the user turn that follows
        if (part.type === 'text') texts.push((part as { text: string }).text);
        else resultMedia.push(part);
      });
    }
    const media = resultMedia.length - mediaBefore;
    const text = texts.join('\n') || (block.is_error ? 'Error' : media > 0 ? '(attached in the next message)' : '');
    const tool: ChatMessage = { role: 'tool', tool_call_id: block.tool_use_id, content: text };
    out.push(block.cache_control ? { ...tool, cache_control: block.cache_control } : tool);
  });
  const userParts = [...resultMedia, ...parts];
  if (userParts.length > 0) out.push({ role: 'user', content: simplifyParts(userParts) });
  return out;
}

function assistantMessage(content: Exclude<MessagesMessage['content'], string>, short: (name: string) => string): ChatMessage {
  const parts: ContentPart[] = [];
  const toolCalls: NonNullable<Extract<ChatMessage, { role: 'assistant' }>['tool_calls']> = [];
  let reasoning = '';
  let cacheControl: unknown;
  for (const block of content) {
    if (block.type === 'text') parts.push(block.cache_control ? { type: 'text', text: block.text, cache_control: block.cache_control } : { type: 'text', text: block.text });
    else if (block.type === 'tool_use') {
      toolCalls.push({ id: block.id, type: 'function', function: { name: short(block.name), arguments: JSON.stringify(block.input) } });
      if (block.cache_control) cacheControl = block.cache_control;
    } else if (block.type === 'thinking' && !block.signature) {
      // unsigned thinking came from an OpenAI-compatible upstream through this gateway; such models (DeepSeek,
      // Kimi) want it back. Signed thinking is Anthropic's and means nothing to them.
      reasoning += block.thinking;
    }
    // redacted thinking and Anthropic-hosted tool blocks have no chat equivalent
  }
  const allPlain = parts.every((p) => (p as { cache_control?: unknown }).cache_control === undefined);
  const text = allPlain ? parts.map((p) => (p as { text: string }).text).join('') : parts;
  const message: Extract<ChatMessage, { role: 'assistant' }> = { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning) message.reasoning_content = reasoning;
  if (cacheControl) message.cache_control = cacheControl;
  return message;
}

function toChatTool(tool: MessagesTool, short: (name: string) => string): ToolDefinition {
  const fn: ToolDefinition['function'] = { name: short(tool.name), parameters: tool.input_schema };
  if (tool.description) fn.description = tool.description;
  const out: ToolDefinition = { type: 'function', function: fn };
  return tool.cache_control ? { ...out, cache_control: tool.cache_control } : out;
}

/** Anthropic tool_choice → chat `tool_choice` and `parallel_tool_calls`. */
export function toChatToolChoice(choice: MessagesToolChoice, short: (name: string) => string = (n) => n): { tool_choice: ToolChoice; parallel_tool_calls?: false } {
  const noParallel = 'disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use === true ? { parallel_tool_calls: false as const } : {};
  switch (choice.type) {
    case 'auto':
      return { tool_choice: 'auto', ...noParallel };
    case 'any':
      return { tool_choice: 'required', ...noParallel };
    case 'tool':
      return { tool_choice: { type: 'function', function: { name: short(choice.name) } }, ...noParallel };
    case 'none':
      return { tool_choice: 'none' };
  }
}

/** `output_config.effort` wins; else an enabled thinking budget picks low/medium/high; disabled thinking means none. */
export function reasoningEffort(req: Pick<MessagesRequest, 'thinking' | 'output_config'>): string | undefined {
  if (req.thinking?.type === 'disabled') return undefined;
  const effort = req.output_config?.effort;
  if (effort) return EFFORTS[effort] ?? effort;
  const budget = req.thinking?.type === 'enabled' ? req.thinking.budget_tokens : undefined;
  if (budget === undefined) return undefined;
  return budget <= 2048 ? 'low' : budget <= 8192 ? 'medium' : 'high';
}
