import type { Context, MiddlewareHandler } from 'hono';
import { authenticateAdmin } from '../auth/admin-access.js';
import type { Principal } from '../auth/authenticate.js';
import { openaiErrorBody, toGatewayError } from '../core/errors.js';
import type { Runtime } from './runtime.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** Who passed the admin guard (the master key, an admin virtual key, or `anonymous` without auth). */
    adminPrincipal: Principal;
  }
}

/**
 * Guards the whole `/admin` namespace with the master key or an admin virtual key, before routing: an unknown
 * admin path answers 401 like a known one, so the namespace cannot be mapped without a key, and every admin
 * route inherits the check. The principal is kept on the context for the handlers.
 */
export function adminGuard(runtime: Runtime): MiddlewareHandler {
  return async (c, next) => {
    try {
      c.set('adminPrincipal', await authenticateAdmin(runtime, (name) => c.req.header(name)));
    } catch (err) {
      const error = toGatewayError(err);
      return c.json(openaiErrorBody(error), error.status as 401, error.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
    }
    await next();
  };
}

/** The admin caller: as the guard found it, or checked here when a handler is mounted without the guard. */
export async function adminPrincipal(c: Context, runtime: Runtime): Promise<Principal> {
  return c.get('adminPrincipal') ?? (await authenticateAdmin(runtime, (name) => c.req.header(name)));
}
