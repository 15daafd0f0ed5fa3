import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context } from 'hono';
import { authenticateRequest } from '../auth/authenticate.js';
import { GatewayError, openaiErrorBody, toGatewayError } from '../core/errors.js';
import { countTokensHandler, messagesHandler } from '../surfaces/anthropic-messages.js';
import { listModels, modelInfo } from '../surfaces/models.js';
import { chatCompletionsHandler } from '../surfaces/openai-chat.js';
import { responsesHandler } from '../surfaces/openai-responses.js';
import { jsonAnswer, sendAnswer, type SurfaceHandler } from '../surfaces/json-answer.js';
import { storeHealth } from '../spend/runtime-store.js';
import { metricsHandler } from '../telemetry/metrics-endpoint.js';
import { adminGuard } from './admin-guard.js';
import { checkReadiness } from './readiness.js';
import type { Runtime } from './runtime.js';

type Env = { Bindings: HttpBindings };

/**
 * The API surfaces (all POST), by path. The server calls them straight from Node's request event (see
 * requestListener): Hono's context, request and response objects cost about 10 µs a request (wrk A/B), a tenth
 * of a plain proxied request's whole cost.
 */
export function apiRoutes(runtime: Runtime): Map<string, SurfaceHandler> {
  const chat = chatCompletionsHandler(runtime);
  const responses = responsesHandler(runtime);
  return new Map([
    ['/v1/chat/completions', chat],
    ['/chat/completions', chat],
    ['/v1/responses', responses],
    ['/responses', responses],
    ['/v1/messages', messagesHandler(runtime)],
    ['/v1/messages/count_tokens', countTokensHandler(runtime)],
  ]);
}

/** Node's request listener: a POST to an API surface straight to it, anything else through the Hono app. */
export function requestListener(runtime: Runtime, routes: Map<string, SurfaceHandler>, app: (incoming: IncomingMessage, outgoing: ServerResponse) => unknown) {
  return (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    const url = incoming.url ?? '/';
    const query = url.indexOf('?');
    const handler = incoming.method === 'POST' ? routes.get(query === -1 ? url : url.slice(0, query)) : undefined;
    if (handler) void serveSurface(runtime, handler, incoming, outgoing);
    else void app(incoming, outgoing);
  };
}

/** Runs a surface and writes its JSON answer; a handler that throws (none should) is answered like Hono's onError below. */
async function serveSurface(runtime: Runtime, handler: SurfaceHandler, incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  try {
    sendAnswer(outgoing, await handler(incoming, outgoing));
  } catch (err) {
    runtime.logger.error({ err }, 'unhandled error');
    const error = toGatewayError(err);
    if (!outgoing.headersSent) sendAnswer(outgoing, jsonAnswer(JSON.stringify(openaiErrorBody(error)), {}, error.status));
    else outgoing.destroy();
  }
}

/** The HTTP surface of the gateway. Request bodies are read from the Node request directly (see read-body.ts). */
export function createApp(runtime: Runtime, routes = apiRoutes(runtime)): Hono<Env> {
  const app = new Hono<Env>();
  // Before every route, so admin routes added anywhere below (or unknown admin paths) are authenticated first.
  const guard = adminGuard(runtime);
  app.use('/admin', guard);
  app.use('/admin/*', guard);
  // Also routed here: a path only Hono's router matches (percent-encoded letters) still reaches its surface.
  for (const [path, handler] of routes) {
    app.post(path, async (c) => {
      await serveSurface(runtime, handler, c.env.incoming, c.env.outgoing);
      return RESPONSE_ALREADY_SENT;
    });
  }
  // The admin API, the web console and the OpenAPI document load on first use: their zod schemas and the
  // document cost a gateway that only proxies about 1 MB of heap.
  const keys = () => import('../surfaces/admin-keys.js');
  const consoleReads = () => import('../surfaces/admin-console.js');
  app.post('/admin/route/explain', lazy(async () => (await import('../surfaces/admin-route-explain.js')).routeExplainHandler(runtime)));
  app.get('/admin/budgets', lazy(async () => (await import('../surfaces/admin-budgets.js')).budgetsHandler(runtime)));
  app.get('/admin/spend', lazy(async () => (await import('../surfaces/admin-spend.js')).spendHandler(runtime)));
  app.post('/admin/keys', lazy(async () => (await keys()).createKeyHandler(runtime)));
  app.get('/admin/keys', lazy(async () => (await keys()).listKeysHandler(runtime)));
  app.delete('/admin/keys/:id', lazy(async () => (await keys()).revokeKeyHandler(runtime)));
  app.post('/admin/keys/:id/rotate', lazy(async () => (await keys()).rotateKeyHandler(runtime)));
  app.get('/admin/session', lazy(async () => (await keys()).sessionHandler(runtime)));
  // The web console's reads (issue 14): live aggregates from the settle stage, and its static files.
  app.get('/admin/overview', lazy(async () => (await consoleReads()).overviewHandler(runtime)));
  app.get('/admin/requests', lazy(async () => (await consoleReads()).requestsHandler(runtime)));
  app.get('/admin/routing', lazy(async () => (await consoleReads()).routingHandler(runtime)));
  app.get('/admin/models', lazy(async () => (await consoleReads()).modelsHandler(runtime)));
  app.get('/admin/alerts', lazy(async () => (await consoleReads()).alertsHandler(runtime)));
  app.get('/openapi.json', lazy(async () => {
    const { openapiDocument } = await import('../surfaces/admin-openapi.js');
    return (c) => c.json(openapiDocument());
  }));
  const ui = lazy(async () => (await import('../console/serve-ui.js')).uiHandler(runtime));
  app.get('/ui', ui);
  app.get('/ui/*', ui);
  // Claude Code preconnects with HEAD /api/hello; Hono answers HEAD from the GET route without a body
  app.get('/api/hello', (c) => c.json({ ok: true }));

  const models = (c: Context<Env>) => withAuth(c, runtime, () => listModels(runtime.config, runtime.startedAt));
  app.get('/v1/models', models);
  app.get('/models', models);
  const info = (c: Context<Env>) => withAuth(c, runtime, () => modelInfo(runtime.config));
  app.get('/v1/model/info', info);
  app.get('/model/info', info);

  app.get('/metrics', metricsHandler(runtime));
  app.get('/health', (c) => c.json(health(runtime)));
  app.get('/health/readiness', async (c) => {
    const readiness = await checkReadiness(runtime);
    return c.json({ ...health(runtime), ...readiness }, readiness.ready ? 200 : 503);
  });
  app.get('/health/liveliness', (c) => c.json("I'm alive!"));
  app.get('/health/liveness', (c) => c.json("I'm alive!"));

  app.notFound((c) => c.json(openaiErrorBody(new GatewayError('not_found', `No route for ${c.req.method} ${c.req.path}`, { code: 'route_not_found' })), 404));
  app.onError((err, c) => {
    runtime.logger.error({ err }, 'unhandled error');
    const error = toGatewayError(err);
    return c.json(openaiErrorBody(error), error.status as 500);
  });
  return app;
}

type Handler = (c: Context<Env>) => Response | Promise<Response>;

/** A handler built on its first request by `load` (which imports its module); a failed import is retried on the next. */
function lazy(load: () => Promise<Handler>): Handler {
  let handler: Promise<Handler> | undefined;
  return async (c) => {
    handler ??= load().catch((err: unknown) => {
      handler = undefined;
      throw err;
    });
    return (await handler)(c);
  };
}

async function withAuth(c: Context<Env>, runtime: Runtime, body: () => unknown): Promise<Response> {
  try {
    await authenticateRequest(runtime, (name) => c.req.header(name));
    return c.json(body());
  } catch (err) {
    const error = toGatewayError(err);
    return c.json(openaiErrorBody(error), error.status as 401);
  }
}

function health(runtime: Runtime) {
  const { config } = runtime;
  return {
    status: 'healthy',
    uptime_s: Math.round((Date.now() - runtime.startedAt) / 1000),
    config: config.source,
    models: config.models.size,
    store: config.store.kind,
    budget_store: storeHealth(runtime),
  };
}
