import type { Route } from '../routing/resolve-model.js';
import type { Runtime } from '../server/runtime.js';
import type { RequestContext } from './request-context.js';

/** What admission needs to know about a request, whatever surface it came through. */
export interface AdmissionInput {
  /** `max_tokens` (or its surface's equivalent) when the client set one. */
  maxTokens?: number;
  /** Estimated input tokens; computed only if admission needs it. */
  estimateInputTokens: () => number;
}

/**
 * The admission stage every surface runs after routing and before anything is sent upstream: rate limits and
 * budget reservations decide here whether the request goes ahead (throwing a GatewayError refuses it) and
 * may narrow the route (a budget past its soft limit downgrades the tier). Returns the route to dispatch.
 * What it reserves is kept on `ctx` so that `settleRequest` can settle or release it.
 */
export async function admitRequest(_runtime: Runtime, _ctx: RequestContext, route: Route, _input: AdmissionInput): Promise<Route> {
  return route;
}
