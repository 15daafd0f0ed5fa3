import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chatRequestSchema } from '../core/chat-schema.js';
import { formatDiagnostics } from '../config/diagnostics.js';
import { loadConfig } from '../config/load-config.js';
import { explainRoute, promptRequest, type RouteExplanation } from '../routing/explain-route.js';

const HELP = `Usage: switchyard route explain [--config FILE] [--router NAME] [--header "name: value" …] [--json] "prompt"
       switchyard route explain [--config FILE] [--router NAME] --request body.json

Shows how a router decides: the signals of the request, each rule and whether it matched, the tier, and
the models it would try in order. --request reads an OpenAI chat completions body (as a client sends it);
--header adds request headers such as "user-agent: opencode/1.0" or "x-switchyard-tier: premium".
`;

/** `switchyard route explain` */
export function runRouteExplain(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      router: { type: 'string' },
      request: { type: 'string' },
      header: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const prompt = positionals.join(' ');
  if (values.help || (!values.request && prompt === '')) {
    (values.help ? process.stdout : process.stderr).write(HELP);
    return values.help ? 0 : 1;
  }
  const loaded = loadConfig({ path: values.config });
  if (!loaded.ok) {
    process.stderr.write(formatDiagnostics(loaded.errors) + '\n');
    return 1;
  }
  const request = values.request ? chatRequestSchema.parse(JSON.parse(readFileSync(values.request, 'utf8'))) : promptRequest(prompt);
  const headers = new Map<string, string>();
  for (const h of values.header ?? []) {
    const colon = h.indexOf(':');
    if (colon > 0) headers.set(h.slice(0, colon).trim().toLowerCase(), h.slice(colon + 1).trim());
  }
  const explanation = explainRoute(loaded.config, request, (name) => headers.get(name), values.router);
  process.stdout.write(values.json ? JSON.stringify(explanation, null, 2) + '\n' : formatExplanation(explanation));
  return 0;
}

/** The explanation as text a person reads top to bottom. */
export function formatExplanation(e: RouteExplanation): string {
  const { instruction, cues, ...rest } = e.signals;
  const lines = [`router   ${e.router}`, 'signals'];
  for (const [k, v] of Object.entries(rest)) lines.push(`  ${k.padEnd(18)} ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : JSON.stringify(v)}`);
  lines.push(`  ${'cues'.padEnd(18)} ${Object.entries(cues).filter(([, v]) => v !== false && v !== 0).map(([k, v]) => (v === true ? k : `${k}=${v}`)).join(' ') || '-'}`);
  lines.push(`  ${'instruction'.padEnd(18)} ${JSON.stringify(instruction.length > 100 ? `${instruction.slice(0, 97)}...` : instruction)}`);
  lines.push('rules');
  for (const r of e.rules) lines.push(`  ${r.matched ? '✓' : ' '} ${r.id.padEnd(24)} → ${r.tier}`);
  const d = e.decision;
  lines.push(`decision tier ${d.tier} by rule ${d.rule}: ${d.reason}${d.score !== undefined ? ` (score ${d.score.toFixed(3)})` : ''}${d.escalated_from ? ` (escalated from ${d.escalated_from}: no model there fits)` : ''}`);
  lines.push(`model    ${e.model}`);
  lines.push(`try      ${e.candidates.map((c) => c.deployment).join(' → ')}`);
  for (const s of e.skipped) lines.push(`skipped  ${s.deployment}: ${s.reason}`);
  return lines.join('\n') + '\n';
}
