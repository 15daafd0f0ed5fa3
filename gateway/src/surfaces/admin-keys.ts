import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { z } from 'zod';
import { isRootPrincipal } from '../auth/admin-access.js';
import type { Principal } from '../auth/authenticate.js';
import { createVirtualKey, findActiveKey, listVirtualKeys, revokeVirtualKey, rotateVirtualKey, shownKey } from '../auth/virtual-keys.js';
import { GatewayError, openaiErrorBody, toGatewayError } from '../core/errors.js';
import { readJsonBody } from '../http/read-body.js';
import { adminPrincipal } from '../server/admin-guard.js';
import type { Runtime } from '../server/runtime.js';

type Ctx = Context<{ Bindings: HttpBindings }>;

/** A key spec is a few hundred bytes; anything near this is not one. */
const KEY_SPEC_MAX_BYTES = 64 * 1024;

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
  /** May also use the admin API and the web console; only the master key may create such a key. */
  admin: z.boolean().optional(),
});

/** Runs an admin action behind an admin key (the master key or an admin virtual key), rendering errors in the OpenAI shape. */
async function admin(c: Ctx, runtime: Runtime, action: (principal: Principal) => Promise<Response>): Promise<Response> {
  try {
    return await action(await adminPrincipal(c, runtime));
  } catch (err) {
    const error = toGatewayError(err);
    if (error.kind === 'internal') runtime.logger.error({ err: error.cause ?? error }, 'admin keys failed');
    return c.json(openaiErrorBody(error), error.status as 400);
  }
}

/** `POST /admin/keys`: creates a virtual key and returns the plain key, once. */
export function createKeyHandler(runtime: Runtime) {
  return (c: Ctx) =>
    admin(c, runtime, async (principal) => {
      const body = await readJsonBody(c.env.incoming, Math.min(KEY_SPEC_MAX_BYTES, runtime.config.server.maxBodyBytes));
      const parsed = createKeySchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const param = issue.path.join('.') || null;
        throw new GatewayError('invalid_request', `${param ?? 'body'}: ${issue.message}`, { code: 'invalid_key_spec', param });
      }
      const spec = parsed.data;
      if (spec.admin && !isRootPrincipal(principal)) throw mintRefused('create');
      const expiresAt = spec.expires_at ?? (spec.expires_in_days ? new Date(Date.now() + spec.expires_in_days * 86_400_000).toISOString() : undefined);
      const { team, user, models, budgets } = spec;
      const { key, record } = await createVirtualKey(runtime, { alias: spec.alias, team, user, models, budgets, expiresAt, admin: spec.admin, createdBy: principal.keyId });
      audit(runtime, 'created', record, principal);
      return c.json({ key, ...shownKey(record) }, 201);
    });
}

const keyNotFound = (id: string) => new GatewayError('not_found', `No active key '${id}'`, { code: 'key_not_found' });

/** The audit line of a key change: which key, and who changed it (never the secret). */
function audit(runtime: Runtime, action: 'created' | 'revoked' | 'rotated', key: { id: string; alias: string; admin?: boolean }, by: Principal): void {
  runtime.logger.info({ keyId: key.id, alias: key.alias, admin: key.admin === true, by: by.keyId }, `virtual key ${action}`);
}

const mintRefused = (verb: string) =>
  new GatewayError('permission', `Only the master key may ${verb} an admin key (an admin virtual key manages ordinary keys)`, { code: 'admin_key_needs_master' });

/** `GET /admin/keys`: every key without secrets. */
export function listKeysHandler(runtime: Runtime) {
  return (c: Ctx) => admin(c, runtime, async () => c.json({ keys: await listVirtualKeys(runtime) }));
}

/** `DELETE /admin/keys/:id`: revokes a key by id or alias (any admin may revoke any key, admin keys included). */
export function revokeKeyHandler(runtime: Runtime) {
  return (c: Ctx) =>
    admin(c, runtime, async (principal) => {
      const id = c.req.param('id') ?? '';
      const revoked = await revokeVirtualKey(runtime, id);
      if (!revoked) throw keyNotFound(id);
      audit(runtime, 'revoked', revoked, principal);
      return c.json({ revoked: id });
    });
}

/** `POST /admin/keys/:id/rotate`: a new secret for the same key (same id, alias and budgets); the old one stops working. */
export function rotateKeyHandler(runtime: Runtime) {
  return (c: Ctx) =>
    admin(c, runtime, async (principal) => {
      const id = c.req.param('id') ?? '';
      const target = await findActiveKey(runtime, id);
      if (!target) throw keyNotFound(id);
      // a new secret for an admin key is a new admin credential
      if (target.admin && !isRootPrincipal(principal)) throw mintRefused('rotate');
      const rotated = await rotateVirtualKey(runtime, target.id);
      if (!rotated) throw keyNotFound(id);
      audit(runtime, 'rotated', rotated.record, principal);
      return c.json({ key: rotated.key, ...shownKey(rotated.record) });
    });
}

/** `GET /admin/session`: who the admin key is and what it may do, so the console can say so and hide what it may not. */
export function sessionHandler(runtime: Runtime) {
  return (c: Ctx) =>
    admin(c, runtime, async (principal) => {
      const root = isRootPrincipal(principal);
      return c.json({
        key_id: principal.keyId,
        ...(principal.alias ? { alias: principal.alias } : {}),
        role: root ? principal.keyId : 'admin_key',
        can_manage_admin_keys: root,
      });
    });
}
