import type { GatewayConfig } from '../config/types.js';
import type { ChatRequest } from '../core/chat-schema.js';
import { GatewayError } from '../core/errors.js';
import { routersOf, type CompiledRouter } from './compile-routers.js';
import { findRouter, routeWith } from './resolve-route.js';
import type { Signals } from './signals/types.js';

type HeaderGetter = (name: string) => string | undefined;

/** What `route explain` and `POST /admin/route/explain` return. */
export interface RouteExplanation {
  router: string;
  signals: Signals;
  rules: Array<{ id: string; tier: string; matched: boolean }>;
  decision: { tier: string; rule: string; reason: string; escalated_from?: string; score?: number };
  model: string;
  candidates: Array<{ deployment: string; model: string; input_price?: number; output_price?: number }>;
  skipped: Array<{ deployment: string; reason: string }>;
}

/** The router to explain with: the one named, else the request's model if it is a router, else `auto` or the first one. */
export function pickRouter(config: GatewayConfig, model: string | undefined, name?: string): { router: CompiledRouter; aliasTier?: string } {
  const routers = routersOf(config.extensions);
  if (!routers || routers.byName.size === 0) {
    throw new GatewayError('not_found', `The config (${config.source}) declares no routers; add a routers: section`, { code: 'no_routers' });
  }
  const wanted = name ?? model;
  const found = wanted ? findRouter(config, wanted) : undefined;
  if (found) return found;
  if (name) throw new GatewayError('not_found', `No router '${name}'; routers: ${[...routers.byName.keys()].join(', ')}`, { code: 'router_not_found' });
  return { router: routers.byName.get('auto') ?? [...routers.byName.values()][0]! };
}

/** Runs a router on a request and reports every step: signals, each rule's match, the decision and the candidates. */
export function explainRoute(config: GatewayConfig, request: ChatRequest, header: HeaderGetter, routerName?: string): RouteExplanation {
  const { router, aliasTier } = pickRouter(config, request.model, routerName);
  const { route, signals, selection, decision } = routeWith(config, router, { ...request, model: router.name }, header, aliasTier);
  const d = route.decision!;
  return {
    router: router.name,
    signals,
    rules: router.ruleSet.rules.map((r) => ({ id: r.id, tier: r.tier, matched: r.test(signals) })),
    decision: { tier: d.tier, rule: d.ruleId, reason: d.reason, ...(d.escalatedFrom ? { escalated_from: d.escalatedFrom } : {}), ...(decision.score !== undefined ? { score: decision.score } : {}) },
    model: route.modelName,
    candidates: route.candidates.map((c) => ({ deployment: c.id, model: c.modelName, input_price: c.prices.input, output_price: c.prices.output })),
    skipped: selection.skipped,
  };
}

/** A one-user-message request for explaining a bare prompt. */
export function promptRequest(prompt: string, model = 'auto'): ChatRequest {
  return { model, messages: [{ role: 'user', content: prompt }] };
}
