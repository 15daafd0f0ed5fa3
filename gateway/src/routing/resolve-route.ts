import type { GatewayConfig } from '../config/types.js';
import type { ChatRequest } from '../core/chat-schema.js';
import { GatewayError } from '../core/errors.js';
import { classify, type TierDecision } from './classify.js';
import { routersOf, type CompiledRouter } from './compile-routers.js';
import { excludedModels } from './exclude-models.js';
import { latencyEstimates } from './latency-estimates.js';
import { resolveModel, type Route } from './resolve-model.js';
import { selectDeployments, type Selection } from './select-deployments.js';
import { extractSignals } from './signals/extract-signals.js';
import type { Signals } from './signals/types.js';

type HeaderGetter = (name: string) => string | undefined;

/** A router named by the model field: the router itself, or `router:tier` forcing one of its tiers. */
export function findRouter(config: GatewayConfig, model: string): { router: CompiledRouter; aliasTier?: string } | undefined {
  const routers = routersOf(config.extensions);
  if (!routers) return undefined;
  const direct = routers.byName.get(model);
  if (direct) return { router: direct };
  const colon = model.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const router = routers.byName.get(model.slice(0, colon));
  const tier = model.slice(colon + 1).toLowerCase();
  return router?.tiers.has(tier) ? { router, aliasTier: tier } : undefined;
}

export interface RoutedExplanation {
  route: Route;
  signals: Signals;
  decision: TierDecision;
  selection: Selection;
}

/**
 * Routes a request: a router name runs the classifier (signals → rules → tier → fitting deployments in the
 * tier's order); any other name resolves as a model or alias. Every surface calls this.
 */
export function resolveRoute(config: GatewayConfig, request: ChatRequest, header: HeaderGetter): Route {
  return resolveRouteFor(config, request.model, () => request, header);
}

/** resolveRoute for surfaces whose request is not a chat request: the chat view is built only when a router needs it. */
export function resolveRouteFor(config: GatewayConfig, model: string, chatView: () => ChatRequest, header: HeaderGetter): Route {
  const found = findRouter(config, model);
  if (!found) return resolveModel(config, model);
  return routeWith(config, found.router, chatView(), header, found.aliasTier).route;
}

/** Runs one router on a request and returns everything that went into the decision (for explain). */
export function routeWith(config: GatewayConfig, router: CompiledRouter, request: ChatRequest, header: HeaderGetter, aliasTier?: string): RoutedExplanation {
  const signals = extractSignals({ request, header, aliasTier });
  const decision = classify(router, signals);
  const selection = selectDeployments(config, router, decision.tier, {
    contextTokens: signals.context_tokens,
    tools: signals.tools > 0,
    vision: signals.images,
    excluded: excludedModels(config, header),
  }, latencyEstimates);
  if (selection.candidates.length === 0) {
    const skipped = selection.skipped.map((s) => `${s.deployment}: ${s.reason}`).join('; ');
    throw new GatewayError('invalid_request', `Router '${router.name}' has no model that can serve this request (${skipped})`, {
      code: 'no_fitting_model',
      param: 'model',
    });
  }
  const route: Route = {
    modelAsked: request.model,
    modelName: selection.candidates[0]!.modelName,
    candidates: selection.candidates,
    decision: {
      router: router.name,
      tier: selection.tier,
      ruleId: decision.ruleId,
      reason: decision.reason,
      signals,
      ...(selection.escalatedFrom ? { escalatedFrom: selection.escalatedFrom } : {}),
      client: signals.client,
    },
  };
  return { route, signals, decision, selection };
}

/** Adds the response headers that say why a routed request went where it did (none for plain model names). */
export function routeHeaders(route: Route, headers: Record<string, string> = {}): Record<string, string> {
  if (route.decision) {
    headers['x-switchyard-tier'] = route.decision.tier;
    headers['x-switchyard-rule'] = route.decision.ruleId;
    headers['x-switchyard-router'] = route.decision.router;
  }
  return headers;
}
