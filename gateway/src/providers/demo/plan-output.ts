import type { ChatRequest } from '../../core/chat-schema.js';
import type { ToolCall, Usage } from '../../core/chat-response.js';
import type { DemoModelSpec } from './catalog.js';
import { chooseToolCalls } from './choose-tools.js';
import { composePipelineAnswer, pipelineRoleOf } from './compose-pipeline-answer.js';
import { composeAnswer, composeReasoning, composeToolSummary } from './compose-answer.js';
import { estimateChatTokens as estimatePromptTokens } from '../../core/estimate-tokens.js';
import { countTokens, truncateToTokens } from './estimate-tokens.js';
import { hashOf, lastUserTurn, trailingToolResults } from './inspect-request.js';

/** Everything one demo answer consists of, before it is shaped as a completion or a stream. */
export interface DemoOutput {
  /** Thinking text; empty when the model does not reason or the request did not ask for it. */
  reasoning: string;
  content: string | null;
  toolCalls: ToolCall[];
  finishReason: 'stop' | 'length' | 'tool_calls';
  usage: Usage;
}

/** Decides the whole answer for a request: deterministic in the request, bounded by the output token limit. */
export function planOutput(spec: DemoModelSpec, request: ChatRequest, idSeed: string): DemoOutput {
  const turn = lastUserTurn(request);
  const results = trailingToolResults(request);
  const seed = hashOf(turn.text);
  const planned = chooseToolCalls(request);
  const effort = request.reasoning_effort;
  const reasons = spec.capabilities.reasoning && !!effort && effort !== 'none';

  let budget = outputLimit(spec, request);
  let truncated = false;
  const spend = (text: string): string => {
    const kept = truncateToTokens(text, budget);
    if (kept !== text) truncated = true;
    budget -= countTokens(kept);
    return kept;
  };

  const reasoning = reasons
    ? spend(composeReasoning(spec, turn, effort, { toolNames: planned.map((c) => c.name), afterTools: results.length > 0 }))
    : '';
  const reasoningTokens = countTokens(reasoning);

  let content: string | null = null;
  const toolCalls: ToolCall[] = [];
  if (planned.length === 0) {
    const role = results.length > 0 ? undefined : pipelineRoleOf(request);
    content = spend(role ? composePipelineAnswer(spec, role, turn.text) : results.length > 0 ? composeToolSummary(spec, turn, results) : composeAnswer(spec, turn, seed));
  } else {
    for (const [i, call] of planned.entries()) {
      const nameTokens = countTokens(call.name);
      if (budget <= nameTokens) {
        truncated = true;
        break;
      }
      budget -= nameTokens;
      toolCalls.push({ id: `call_demo_${idSeed.slice(0, 12)}_${i}`, type: 'function', function: { name: call.name, arguments: spend(JSON.stringify(call.arguments)) } });
    }
  }

  const completionTokens = reasoningTokens + countTokens(content ?? '') + toolCalls.reduce((n, c) => n + countTokens(c.function.name) + countTokens(c.function.arguments), 0);
  const promptTokens = estimatePromptTokens(request);
  const usage: Usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  if (reasons) usage.completion_tokens_details = { reasoning_tokens: reasoningTokens };

  const finishReason = truncated ? 'length' : toolCalls.length > 0 ? 'tool_calls' : 'stop';
  return { reasoning, content, toolCalls, finishReason, usage };
}

/** The request's output limit, never above what the model can produce. */
export function outputLimit(spec: DemoModelSpec, request: ChatRequest): number {
  const asked = request.max_completion_tokens ?? request.max_tokens ?? spec.maxOutputTokens;
  return Math.min(asked, spec.maxOutputTokens);
}
