import type { Deployment, GatewayConfig } from '../config/types.js';
import { GatewayError } from '../core/errors.js';

/** The outcome of routing: which public model answers and the deployments to try, in order. */
export interface Route {
  modelAsked: string;
  modelName: string;
  candidates: readonly Deployment[];
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
