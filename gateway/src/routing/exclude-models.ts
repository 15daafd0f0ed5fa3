import type { Deployment, GatewayConfig } from '../config/types.js';
import { GatewayError } from '../core/errors.js';

type HeaderGetter = (name: string) => string | undefined;

/** The request header naming models that must not answer (the pipeline's cross-review sends the coder's model). */
export const EXCLUDE_MODELS_HEADER = 'x-switchyard-exclude-models';

const NONE: ReadonlySet<string> = new Set();

/** The public model names a request excludes: comma-separated, aliases resolved; empty when the header is absent. */
export function excludedModels(config: GatewayConfig, header: HeaderGetter): ReadonlySet<string> {
  const raw = header(EXCLUDE_MODELS_HEADER);
  if (!raw) return NONE;
  const names = new Set<string>();
  for (const part of raw.split(',')) {
    const name = part.trim();
    if (name) names.add(config.aliases.get(name) ?? name);
  }
  return names;
}

/** What `dropExcluded` filters: a route's candidates and, once resilience is planned, its context-window fallbacks. */
interface ExcludableRoute {
  modelName: string;
  candidates: readonly Deployment[];
  resilience?: { contextFallbacks: readonly Deployment[] };
}

/**
 * The route without the excluded models' deployments, fallbacks included, so no retry or fallback can reach
 * them. A route left with nothing to try is the caller's error (400): it excluded every model that could serve.
 */
export function dropExcluded<R extends ExcludableRoute>(route: R, excluded: ReadonlySet<string>): R {
  if (excluded.size === 0) return route;
  const keep = (d: Deployment) => !excluded.has(d.modelName);
  const candidates = route.candidates.filter(keep);
  if (candidates.length === 0) {
    throw new GatewayError('invalid_request', `Every model that could serve '${route.modelName}' is excluded by ${EXCLUDE_MODELS_HEADER} (${[...excluded].join(', ')})`, {
      code: 'all_models_excluded',
      param: EXCLUDE_MODELS_HEADER,
    });
  }
  const resilience = route.resilience && { ...route.resilience, contextFallbacks: route.resilience.contextFallbacks.filter(keep) };
  return { ...route, modelName: candidates[0]!.modelName, candidates, ...(resilience ? { resilience } : {}) };
}
