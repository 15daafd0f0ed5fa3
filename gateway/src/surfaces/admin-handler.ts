import type { Context } from 'hono';
import type { z } from 'zod';
import { GatewayError, openaiErrorBody, toGatewayError } from '../core/errors.js';
import { adminPrincipal } from '../server/admin-guard.js';
import type { Runtime } from '../server/runtime.js';

/**
 * A read-only admin endpoint: an admin key (the master key or an admin virtual key) first (whatever the query), then the query validated by `query`
 * (a zod schema, also published in /openapi.json), then `action`. Errors in the OpenAI shape.
 */
export function adminGet<Q extends z.ZodType>(runtime: Runtime, name: string, query: Q, action: (q: z.output<Q>, c: Context) => unknown) {
  return async (c: Context): Promise<Response> => {
    try {
      await adminPrincipal(c, runtime);
      const parsed = query.safeParse(c.req.query());
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const param = issue.path.join('.') || 'query';
        throw new GatewayError('invalid_request', `${param}: ${issue.message}`, { param });
      }
      return c.json(await action(parsed.data, c));
    } catch (err) {
      const error = toGatewayError(err);
      if (error.kind === 'internal') runtime.logger.error({ err: error.cause ?? error }, `${name} failed`);
      return c.json(openaiErrorBody(error), error.status as 400);
    }
  };
}
