import type { ChatRequest, ToolChoice, ToolDefinition } from '../core/chat-schema.js';
import type { Deployment } from '../config/types.js';
import type { AnthropicMessagesRequest, AnthropicTool, AnthropicToolChoice } from './anthropic-types.js';
import { cacheControlOf } from './chat-content-to-anthropic-blocks.js';
import { chatMessagesToAnthropic } from './chat-messages-to-anthropic.js';

/** Output cap used when neither the request nor the deployment names one (Anthropic requires max_tokens). */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

const THINKING_BUDGETS: Readonly<Record<string, number>> = { low: 1024, medium: 4096, high: 16384 };
const MIN_THINKING_BUDGET = 1024;

/** The gateway's internal chat request → an Anthropic Messages request for one deployment. */
export function chatToAnthropicRequest(request: ChatRequest, deployment: Deployment): AnthropicMessagesRequest {
  const { system, messages } = chatMessagesToAnthropic(request.messages);
  const maxTokens = resolveMaxTokens(request, deployment);
  const out: AnthropicMessagesRequest = {
    ...deployment.extraBody,
    model: deployment.upstreamModel,
    max_tokens: maxTokens,
    messages,
  };
  if (system.length > 0) out.system = system;
  if (request.stop != null) {
    const stops = (typeof request.stop === 'string' ? [request.stop] : request.stop).filter((s) => s.trim() !== '');
    if (stops.length > 0) out.stop_sequences = stops;
  }
  if (request.temperature != null) out.temperature = Math.min(request.temperature, 1); // Anthropic's range is 0..1
  if (request.top_p != null) out.top_p = request.top_p;
  if (typeof request.top_k === 'number') out.top_k = request.top_k;
  if (request.user) out.metadata = { user_id: request.user };
  if (request.tools && request.tools.length > 0) {
    out.tools = request.tools.map(toAnthropicTool);
    const choice = toAnthropicToolChoice(request.tool_choice, request.parallel_tool_calls);
    if (choice) out.tool_choice = choice;
  }
  const budget = thinkingBudget(request, maxTokens, out.tool_choice);
  if (budget !== undefined) {
    out.thinking = { type: 'enabled', budget_tokens: budget };
    // Anthropic rejects sampling overrides while thinking is on
    delete out.temperature;
    delete out.top_p;
    delete out.top_k;
  }
  return out;
}

function resolveMaxTokens(request: ChatRequest, deployment: Deployment): number {
  const asked = request.max_completion_tokens ?? request.max_tokens;
  const cap = deployment.maxOutputTokens;
  if (asked == null) return cap ?? DEFAULT_ANTHROPIC_MAX_TOKENS;
  // asking above the model's limit is a 400 upstream; clients often ask for a generic large number
  return cap !== undefined ? Math.min(asked, cap) : asked;
}

function toAnthropicTool(tool: ToolDefinition): AnthropicTool {
  const out: AnthropicTool = {
    name: tool.function.name,
    input_schema: { type: 'object', ...tool.function.parameters },
  };
  if (tool.function.description) out.description = tool.function.description;
  const cc = cacheControlOf(tool) ?? cacheControlOf(tool.function);
  if (cc) out.cache_control = cc;
  return out;
}

/** OpenAI tool_choice and parallel_tool_calls → Anthropic tool_choice (undefined leaves Anthropic's default, auto). */
export function toAnthropicToolChoice(choice: ToolChoice | null | undefined, parallel: boolean | null | undefined): AnthropicToolChoice | undefined {
  const noParallel = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any', ...noParallel };
  if (choice != null && typeof choice === 'object') return { type: 'tool', name: choice.function.name, ...noParallel };
  if (choice === 'auto' || parallel === false) return { type: 'auto', ...noParallel };
  return undefined;
}

function thinkingBudget(request: ChatRequest, maxTokens: number, choice: AnthropicToolChoice | undefined): number | undefined {
  const wanted = request.reasoning_effort ? THINKING_BUDGETS[request.reasoning_effort] : undefined;
  if (wanted === undefined) return undefined;
  // Anthropic refuses thinking together with a forced tool choice; the explicit tool choice wins
  if (choice?.type === 'any' || choice?.type === 'tool') return undefined;
  // a tool-use continuation with thinking on must replay the signed thinking block, which chat clients drop
  if (lastAssistantNeedsSignedThinking(request)) return undefined;
  const budget = Math.min(wanted, maxTokens - 1);
  return budget >= MIN_THINKING_BUDGET ? budget : undefined;
}

function lastAssistantNeedsSignedThinking(request: ChatRequest): boolean {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const m = request.messages[i]!;
    if (m.role !== 'assistant') continue;
    const hasThinking = Array.isArray(m.thinking_blocks) && m.thinking_blocks.length > 0;
    return (m.tool_calls?.length ?? 0) > 0 && !hasThinking;
  }
  return false;
}
