import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { z } from 'zod';
import { openaiErrorBody, toGatewayError } from '../core/errors.js';
import { readJsonBody } from '../http/read-body.js';
import { explainRoute, promptRequest } from '../routing/explain-route.js';
import { adminPrincipal } from '../server/admin-guard.js';
import type { Runtime } from '../server/runtime.js';
import { parseChatRequest } from './parse-chat-request.js';

type Ctx = Context<{ Bindings: HttpBindings }>;

export const explainPromptSchema = z.object({ prompt: z.string().min(1), router: z.string().min(1).optional() });

/**
 * `POST /admin/route/explain`: the body is either `{prompt, router?}` or a chat completions body (its model
 * naming the router); the caller's headers (user-agent, x-switchyard-tier, …) count as the request's own.
 */
export function routeExplainHandler(runtime: Runtime) {
  return async (c: Ctx): Promise<Response> => {
    const config = runtime.config;
    try {
      await adminPrincipal(c, runtime);
      const body = await readJsonBody(c.env.incoming, config.server.maxBodyBytes);
      const asPrompt = explainPromptSchema.safeParse(body);
      const router = c.req.query('router') ?? (asPrompt.success ? asPrompt.data.router : undefined);
      const request = asPrompt.success ? promptRequest(asPrompt.data.prompt) : parseChatRequest({ model: 'auto', ...(body as object) });
      return c.json(explainRoute(config, request, (name) => c.req.header(name), router));
    } catch (err) {
      const error = toGatewayError(err);
      return c.json(openaiErrorBody(error), error.status as 400);
    }
  };
}
