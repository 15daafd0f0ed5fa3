import type { MiddlewareHandler } from 'hono';
import { authenticate } from '../auth/authenticate.js';
import { openaiErrorBody, toGatewayError } from '../core/errors.js';
import type { Runtime } from './runtime.js';

/**
 * Guards the whole `/admin` namespace with the master key, before routing: an unknown admin path answers 401
 * like a known one, so the namespace cannot be mapped without the key, and every admin route inherits the check.
 */
export function adminGuard(runtime: Runtime): MiddlewareHandler {
  return async (c, next) => {
    try {
      authenticate(runtime.config.auth, (name) => c.req.header(name));
    } catch (err) {
      const error = toGatewayError(err);
      return c.json(openaiErrorBody(error), error.status as 401, { 'www-authenticate': 'Bearer' });
    }
    await next();
  };
}
