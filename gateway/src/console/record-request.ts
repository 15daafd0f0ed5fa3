import type { Runtime } from '../server/runtime.js';
import { savingsOf, type SettledSpend } from '../spend/settled-spend.js';
import type { RequestContext } from '../surfaces/request-context.js';
import { consoleStateOf } from './console-state.js';
import type { RequestEntry } from './request-ring.js';

/**
 * Records a finished request for the web console (called once, from the settle stage): one entry in the
 * request ring and a few additions to the per-minute aggregates.
 */
export function recordForConsole(runtime: Runtime, ctx: RequestContext, spend: SettledSpend): void {
  const { record, route, budget, principal } = ctx;
  const now = Date.now();
  const latencyMs = performance.now() - record.startedAt;
  const candidates = budget?.route.candidates ?? route?.candidates;
  const index = record.deployment && candidates ? candidates.findIndex((d) => d.id === record.deployment) : -1;
  const deployment = index >= 0 ? candidates![index] : undefined;
  const cost = spend.cost ?? 0;
  const savings = savingsOf(spend);
  const decision = (budget?.route ?? route)?.decision;
  const signals = decision?.signals;
  const status = record.status ?? 0;
  const entry: RequestEntry = {
    id: record.requestId,
    at: now,
    surface: record.surface,
    client: signals?.client,
    key: principal ? principal.alias ?? principal.keyId : undefined,
    modelAsked: record.modelAsked,
    model: deployment?.modelName,
    deployment: record.deployment,
    router: decision?.router,
    tier: decision?.tier,
    rule: decision?.ruleId,
    reason: decision?.reason,
    downgraded: budget?.downgraded,
    promptTokens: record.usage?.prompt_tokens,
    completionTokens: record.usage?.completion_tokens,
    costMicros: cost,
    savingsMicros: savings,
    latencyMs: Math.round(latencyMs * 10) / 10,
    ttftMs: record.ttftMs === undefined ? undefined : Math.round(record.ttftMs * 10) / 10,
    status,
    error: record.errorCode,
    fallbacks: index > 0 ? index : 0,
    stream: record.stream,
    aborted: record.aborted,
    signals: signals && {
      mode: signals.mode,
      task: signals.task,
      turn: signals.turn,
      depth: signals.depth,
      complexity: signals.complexity,
      context_tokens: signals.context_tokens,
      tools: signals.tools,
      images: signals.images,
      hint_tier: signals.hint_tier,
      role: signals.role,
      cues: signals.cues,
    },
  };
  const state = consoleStateOf(runtime);
  state.requests.push(entry);
  state.stats.record({
    at: now,
    status,
    latencyMs,
    costMicros: cost,
    savingsMicros: savings,
    tier: decision?.tier,
    ruleKey: decision ? `${decision.router}/${decision.ruleId}` : undefined,
    deployment: record.deployment,
    error: record.errorCode,
  });
}
