import type { Deployment } from '../config/types.js';
import type { Route } from '../routing/resolve-model.js';
import { routeHeaders } from '../routing/resolve-route.js';
import { spendHeaders } from '../spend/request-cost.js';
import type { RequestContext } from './request-context.js';

/**
 * The headers every surface's answer carries: the request id, the model and deployment that served it, why the
 * router sent it there, and its cost when known before the body. Built in one object: spreading the route and
 * spend headers into a literal showed in the profile.
 */
export function servedHeaders(ctx: RequestContext, route: Route, deployment: Deployment): Record<string, string> {
  const headers: Record<string, string> = {
    'x-switchyard-request-id': ctx.requestId,
    'x-switchyard-model': deployment.modelName,
    'x-switchyard-deployment': `${deployment.provider.name}/${deployment.upstreamModel}`,
  };
  return spendHeaders(ctx, deployment, routeHeaders(route, headers));
}
