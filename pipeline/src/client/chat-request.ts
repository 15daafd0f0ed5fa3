import type { Role } from '../config/roles.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** One role's request to the gateway: the body fields and the routing hints that go in headers. */
export interface ChatCall {
  role: Role;
  risk: string;
  area: string;
  model: string;
  tier?: string;
  temperature: number;
  maxTokens: number;
  messages: ChatMessage[];
  /** Models that must not answer (cross-review): `x-switchyard-exclude-models`. */
  exclude?: readonly string[];
}

/** What came back: the text and everything run.json records about the step. */
export interface ChatAnswer {
  text: string;
  model: string;
  tier?: string;
  rule?: string;
  requestId?: string;
  inputTokens?: number;
  outputTokens?: number;
  /** From `x-switchyard-cost-usd` (a header, or a trailer on streams); undefined when the gateway did not say. */
  costMicros?: number;
  latencyMs: number;
  finishReason?: string;
}

/** What a caller sees while a call runs: the route as soon as headers arrive, then text as it streams. */
export interface CallObserver {
  routed?(route: { model: string; tier?: string; rule?: string }): void;
  text?(delta: string): void;
}

/** The request headers of a call (the key, if any, is added by the client). */
export function callHeaders(call: ChatCall): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'switchyard-pipeline/0.1',
    'x-switchyard-role': call.role,
    'x-switchyard-risk': call.risk,
    'x-switchyard-area': call.area,
    ...(call.tier ? { 'x-switchyard-tier': call.tier } : {}),
    ...(call.exclude && call.exclude.length > 0 ? { 'x-switchyard-exclude-models': call.exclude.join(',') } : {}),
  };
}

/** The chat completions body of a call. */
export function callBody(call: ChatCall, stream: boolean): Record<string, unknown> {
  return {
    model: call.model,
    messages: call.messages,
    temperature: call.temperature,
    max_tokens: call.maxTokens,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
}

/** USD text ("0.003000") → integer micro-dollars, so totals add up without float drift. */
export function usdToMicros(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 1_000_000) : undefined;
}
