import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { authenticateRequest, extractKey } from '../auth/authenticate.js';
import { GatewayError, openaiErrorBody, toGatewayError } from '../core/errors.js';
import type { Runtime } from '../server/runtime.js';
import { registry, setScrapeSources } from './metrics.js';
import { scrapeSourcesOf } from './metrics-sources.js';
import { telemetryOf } from './telemetry-config.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `GET /metrics` in the Prometheus text format. With `telemetry.metrics.bearer_token` the scraper must send
 * that token; with LiteLLM's `require_auth_for_metrics_endpoint` any key the gateway accepts will do.
 */
export function metricsHandler(runtime: Runtime) {
  setScrapeSources(scrapeSourcesOf(runtime));
  return async (c: Context): Promise<Response> => {
    const telemetry = telemetryOf(runtime.config.extensions);
    const header = (name: string) => c.req.header(name);
    try {
      if (telemetry.metricsBearerToken !== undefined) {
        const token = extractKey(header);
        if (!token || !timingSafeEqual(digest(token), digest(telemetry.metricsBearerToken))) {
          throw new GatewayError('authentication', 'GET /metrics needs `Authorization: Bearer <telemetry.metrics.bearer_token>`', { code: 'invalid_metrics_token' });
        }
      } else if (telemetry.metricsRequireApiKey) {
        await authenticateRequest(runtime, header);
      }
    } catch (err) {
      const error = toGatewayError(err);
      return c.json(openaiErrorBody(error), error.status as 401, { 'www-authenticate': 'Bearer' });
    }
    return c.body(await registry.metrics(), 200, { 'content-type': registry.contentType });
  };
}
