import { parseArgs } from 'node:util';

const HELP = `Usage: switchyard spend [--by key|team|user|model|day] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]

Spend of a running gateway (UTC days, default the last 30): cost, tokens, requests and savings against the
premium baseline model.

  --url URL          the gateway (default $SWITCHYARD_URL, else http://127.0.0.1:4000)
  --master-key KEY   (default $SWITCHYARD_MASTER_KEY)
`;

/** `switchyard spend`: prints GET /admin/spend as a table (or JSON). */
export async function runSpend(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      by: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      url: { type: 'string' },
      'master-key': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const base = (values.url ?? process.env.SWITCHYARD_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
  const masterKey = values['master-key'] ?? process.env.SWITCHYARD_MASTER_KEY;
  const query = new URLSearchParams();
  for (const name of ['by', 'from', 'to'] as const) if (values[name]) query.set(name, values[name]!);
  const res = await fetch(`${base}/admin/spend?${query}`, { headers: masterKey ? { authorization: `Bearer ${masterKey}` } : {} });
  const body = (await res.json()) as Record<string, any>;
  if (!res.ok) {
    process.stderr.write(`switchyard spend: ${res.status} ${body.error?.message ?? JSON.stringify(body)}\n`);
    return 1;
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return 0;
  }
  const rows = [...(body.rows as Array<Record<string, string | number>>), ...(body.total ? [body.total] : [])];
  process.stdout.write(`${body.by}\tcost_usd\tsavings_usd\tprompt_tokens\tcompletion_tokens\trequests\n`);
  for (const r of rows) process.stdout.write(`${r.name}\t${r.cost_usd}\t${r.savings_usd}\t${r.prompt_tokens}\t${r.completion_tokens}\t${r.requests}\n`);
  if (body.baseline) process.stdout.write(`(savings against ${body.baseline}, ${body.from} to ${body.to})\n`);
  if (body.note) process.stdout.write(`${body.note}\n`);
  return 0;
}
