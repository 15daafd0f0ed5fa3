import type { Deployment, GatewayConfig } from '../config/types.js';
import { GatewayError } from '../core/errors.js';
import type { Signals } from './signals/types.js';

/** The outcome of routing: which public model answers and the deployments to try, in order. */
export interface Route {
  modelAsked: string;
  modelName: string;
  candidates: readonly Deployment[];
  /** Set when a router chose the model (see resolve-route.ts). */
  decision?: RouteDecision;
}

/** Why a router picked these candidates: carried into headers, logs and metrics. */
export interface RouteDecision {
  /** What the classifier saw (kept by reference for the web console). */
  signals?: Signals;
  router: string;
  tier: string;
  ruleId: string;
  reason: string;
  /** The tier first decided, when none of its models fit and a neighbouring tier served. */
  escalatedFrom?: string;
  /** The client the signals detected (opencode, roo-code, claude-code …), for metrics and traces. */
  client?: string;
}

/** A plain model name or alias → its model group; unknown names are a 404 that lists what is served. */
export function resolveModel(config: GatewayConfig, model: string): Route {
  const name = config.aliases.get(model) ?? model;
  const candidates = config.models.get(name);
  if (!candidates || candidates.length === 0) {
    const served = [...config.models.keys(), ...config.aliases.keys()];
    throw new GatewayError('not_found', `Model '${model}' is not served by this gateway. Available models: ${served.join(', ')}`, {
      code: 'model_not_found',
      param: 'model',
    });
  }
  return { modelAsked: model, modelName: name, candidates };
}
