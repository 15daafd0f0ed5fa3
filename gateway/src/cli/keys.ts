import { parseArgs } from 'node:util';

const HELP = `Usage: switchyard keys <create|list|revoke|rotate> [options]   manage virtual keys of a running gateway

  create --alias NAME [--team T] [--user U] [--models a,b] [--expires-in-days N]
         [--daily-usd X] [--weekly-usd X] [--monthly-usd X]   the key's own spend caps
         [--admin]   the key may also use the admin API and the web console (needs the master key)
  list               id, alias, team, user, state, preview, role (admin or api)
  revoke ID_OR_ALIAS
  rotate ID_OR_ALIAS   a new secret for the same key (its budgets and role carry over); the old one stops working

  --url URL          the gateway (default $SWITCHYARD_URL, else http://127.0.0.1:4000)
  --master-key KEY   the master key or an admin virtual key (default $SWITCHYARD_MASTER_KEY)
`;

/** `switchyard keys …`: the admin keys API over HTTP; the plain key is printed once, on create. */
export async function runKeys(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      'master-key': { type: 'string' },
      alias: { type: 'string' },
      team: { type: 'string' },
      user: { type: 'string' },
      models: { type: 'string' },
      'expires-in-days': { type: 'string' },
      'daily-usd': { type: 'string' },
      'weekly-usd': { type: 'string' },
      'monthly-usd': { type: 'string' },
      admin: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [sub, target] = positionals;
  if (values.help || !sub || !['create', 'list', 'revoke', 'rotate'].includes(sub)) {
    process.stdout.write(HELP);
    return values.help ? 0 : 1;
  }
  const base = (values.url ?? process.env.SWITCHYARD_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
  const masterKey = values['master-key'] ?? process.env.SWITCHYARD_MASTER_KEY;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(masterKey ? { authorization: `Bearer ${masterKey}` } : {}) };

  let res: Response;
  if (sub === 'create') {
    if (!values.alias) {
      process.stderr.write('keys create needs --alias NAME\n');
      return 1;
    }
    const budgets: Record<string, number> = {};
    for (const w of ['daily', 'weekly', 'monthly'] as const) if (values[`${w}-usd`]) budgets[`${w}_usd`] = Number(values[`${w}-usd`]);
    const body = {
      alias: values.alias,
      ...(Object.keys(budgets).length ? { budgets } : {}),
      ...(values.team ? { team: values.team } : {}),
      ...(values.user ? { user: values.user } : {}),
      ...(values.models ? { models: values.models.split(',').map((m) => m.trim()).filter(Boolean) } : {}),
      ...(values['expires-in-days'] ? { expires_in_days: Number(values['expires-in-days']) } : {}),
      ...(values.admin ? { admin: true } : {}),
    };
    res = await fetch(`${base}/admin/keys`, { method: 'POST', headers, body: JSON.stringify(body) });
  } else if (sub === 'list') {
    res = await fetch(`${base}/admin/keys`, { headers });
  } else {
    if (!target) {
      process.stderr.write(`keys ${sub} needs the key id or alias\n`);
      return 1;
    }
    const path = `${base}/admin/keys/${encodeURIComponent(target)}`;
    res = sub === 'rotate' ? await fetch(`${path}/rotate`, { method: 'POST', headers }) : await fetch(path, { method: 'DELETE', headers });
  }
  const body = (await res.json()) as Record<string, any>;
  if (!res.ok) {
    process.stderr.write(`switchyard keys ${sub}: ${res.status} ${body.error?.message ?? JSON.stringify(body)}\n`);
    return 1;
  }
  if (values.json) process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  else if (sub === 'create' || sub === 'rotate') process.stdout.write(`${body.key}\n(id ${body.id}, alias ${body.alias}${body.admin ? ', admin' : ''}: store the key now, it is not shown again)\n`);
  else if (sub === 'list') {
    for (const k of body.keys as Array<Record<string, string | boolean>>) {
      const state = k.revokedAt ? 'revoked' : typeof k.expiresAt === 'string' && Date.parse(k.expiresAt) < Date.now() ? 'expired' : 'active';
      process.stdout.write(`${k.id}\t${k.alias}\t${k.team ?? '-'}\t${k.user ?? '-'}\t${state}\t${k.preview}\t${k.admin ? 'admin' : 'api'}\n`);
    }
  } else process.stdout.write(`revoked ${body.revoked}\n`);
  return 0;
}
