import type { Context } from 'hono';
import { z } from 'zod';
import { authenticate } from '../auth/authenticate.js';
import { createVirtualKey, listVirtualKeys, revokeVirtualKey, rotateVirtualKey } from '../auth/virtual-keys.js';
import { GatewayError, openaiErrorBody, toGatewayError } from '../core/errors.js';
import type { Runtime } from '../server/runtime.js';

export const createKeySchema = z.strictObject({
  alias: z.string().min(1).max(100),
  team: z.string().min(1).optional(),
  user: z.string().min(1).optional(),
  models: z.array(z.string().min(1)).optional(),
  /** The key's own caps, on top of the config's budgets. */
  budgets: z.strictObject({ daily_usd: z.number().positive().optional(), weekly_usd: z.number().positive().optional(), monthly_usd: z.number().positive().optional() }).optional(),
  /** ISO date-time, or days from now. */
  expires_at: z.iso.datetime({ offset: true }).optional(),
  expires_in_days: z.number().positive().optional(),
});

/** Runs an admin action behind the master key, rendering errors in the OpenAI shape. */
async function admin(c: Context, runtime: Runtime, action: () => Promise<Response>): Promise<Response> {
  try {
    authenticate(runtime.config.auth, (name) => c.req.header(name));
    return await action();
  } catch (err) {
    const error = toGatewayError(err);
    if (error.kind === 'internal') runtime.logger.error({ err: error.cause ?? error }, 'admin keys failed');
    return c.json(openaiErrorBody(error), error.status as 400);
  }
}

/** `POST /admin/keys`: creates a virtual key and returns the plain key, once. */
export function createKeyHandler(runtime: Runtime) {
  return (c: Context) =>
    admin(c, runtime, async () => {
      const parsed = createKeySchema.safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new GatewayError('invalid_request', `${issue.path.join('.') || 'body'}: ${issue.message}`, { code: 'invalid_key_spec' });
      }
      const spec = parsed.data;
      const expiresAt = spec.expires_at ?? (spec.expires_in_days ? new Date(Date.now() + spec.expires_in_days * 86_400_000).toISOString() : undefined);
      const { key, record } = await createVirtualKey(runtime, { alias: spec.alias, team: spec.team, user: spec.user, models: spec.models, budgets: spec.budgets, expiresAt });
      const { hash: _hash, ...shown } = record;
      return c.json({ key, ...shown }, 201);
    });
}

/** `GET /admin/keys`: every key without secrets. */
export function listKeysHandler(runtime: Runtime) {
  return (c: Context) => admin(c, runtime, async () => c.json({ keys: await listVirtualKeys(runtime) }));
}

/** `DELETE /admin/keys/:id`: revokes a key by id or alias. */
export function revokeKeyHandler(runtime: Runtime) {
  return (c: Context) =>
    admin(c, runtime, async () => {
      const id = c.req.param('id') ?? '';
      if (!(await revokeVirtualKey(runtime, id))) throw new GatewayError('not_found', `No active key '${id}'`, { code: 'key_not_found' });
      return c.json({ revoked: id });
    });
}

/** `POST /admin/keys/:id/rotate`: a new secret for the same key (same id, alias and budgets); the old one stops working. */
export function rotateKeyHandler(runtime: Runtime) {
  return (c: Context) =>
    admin(c, runtime, async () => {
      const id = c.req.param('id') ?? '';
      const rotated = await rotateVirtualKey(runtime, id);
      if (!rotated) throw new GatewayError('not_found', `No active key '${id}'`, { code: 'key_not_found' });
      const { hash: _hash, ...shown } = rotated.record;
      return c.json({ key: rotated.key, ...shown });
    });
}
