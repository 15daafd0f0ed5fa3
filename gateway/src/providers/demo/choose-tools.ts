import type { ChatRequest, ToolDefinition } from '../../core/chat-schema.js';
import { synthesizeArguments } from './synthesize-arguments.js';

/** A tool call the demo provider decided to make. */
export interface PlannedToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

// The demo may drive a real agent in someone's working copy: it prefers tools that only look at things.
const CHANGES_THINGS = /write|edit|delete|remove|patch|replace|move|rename|apply|create|insert|kill|commit|push/i;

/**
 * Which tools to call: none with `tool_choice: "none"`; the named tool when one is forced; one or two with
 * `"required"`; otherwise one, but only when the last message is a user message (after tool results it answers).
 */
export function chooseToolCalls(request: ChatRequest): PlannedToolCall[] {
  const tools = request.tools ?? [];
  const choice = request.tool_choice ?? 'auto';
  if (tools.length === 0 || choice === 'none') return [];
  if (typeof choice === 'object') {
    const tool = tools.find((t) => t.function.name === choice.function.name);
    return tool ? [{ name: tool.function.name, arguments: synthesizeArguments(tool.function.parameters) ?? {} }] : [];
  }
  if (choice === 'required') {
    const calls = satisfiableTools(tools, request.parallel_tool_calls === false ? 1 : 2);
    return calls.length > 0 ? calls : [{ name: tools[0]!.function.name, arguments: {} }];
  }
  const last = request.messages[request.messages.length - 1];
  return last?.role === 'user' ? satisfiableTools(tools, 1) : [];
}

function satisfiableTools(tools: ToolDefinition[], limit: number): PlannedToolCall[] {
  const ordered = [...tools.filter((t) => !CHANGES_THINGS.test(t.function.name)), ...tools.filter((t) => CHANGES_THINGS.test(t.function.name))];
  const out: PlannedToolCall[] = [];
  for (const tool of ordered) {
    const args = synthesizeArguments(tool.function.parameters);
    if (args) out.push({ name: tool.function.name, arguments: args });
    if (out.length === limit) break;
  }
  return out;
}
