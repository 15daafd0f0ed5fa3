import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { classify } from '../../src/routing/classify.js';
import { compileRuleSetText } from '../../src/routing/compile-rule-set.js';
import type { CompiledRouter } from '../../src/routing/compile-routers.js';
import { extractSignals } from '../../src/routing/signals/extract-signals.js';
import { writeTempConfig } from '../config/temp-config.js';
import * as rec from './client-requests.js';

const RULES = `
rules:
  - id: titles
    when: { task: title }
    tier: cheap
    reason: a title
  - id: either
    when:
      any: [{ client: [cline, roo-code] }, { user_agent: { matches: "^my-bot/\\\\d" } }]
      not: { turn: tool_result }
    tier: premium
    reason: an agent instruction
  - id: ranged
    when: { complexity: { between: [0.3, 0.9] }, depth: { lte: 3 }, instruction: { contains: "QUEUE" } }
    tier: standard
    reason: a queue question
default: { tier: cheap, reason: everything else }
`;

function routerFor(text: string): CompiledRouter {
  const { ruleSet, diagnostics } = compileRuleSetText(text, 'inline');
  if (!ruleSet) throw new Error(JSON.stringify(diagnostics));
  const tiers = new Map(['cheap', 'standard', 'premium'].map((name) => [name, { name, models: [], order: 'listed' as const, weights: new Map() }]));
  return { name: 'auto', ruleSet, tiers, explore: 0 };
}

const decide = (router: CompiledRouter, r: rec.Recorded) => classify(router, extractSignals({ request: r.body, header: (n) => r.headers[n] }));

describe('rule engine', () => {
  const router = routerFor(RULES);

  it('takes the first matching rule, with any / not / list / regex matchers', () => {
    expect(decide(router, rec.opencodeTitle)).toEqual({ tier: 'cheap', ruleId: 'titles', reason: 'a title' });
    expect(decide(router, rec.clinePlan).ruleId).toBe('either');
    expect(decide(router, rec.rooToolResult).ruleId).toBe('default');
    const bot = { headers: { 'user-agent': 'my-bot/2' }, body: rec.opencodeAgent.body };
    expect(decide(router, bot).ruleId).toBe('either');
  });

  it('matches ranges and substrings case-insensitively', () => {
    const long = 'How do I implement a bounded queue with back-pressure in TypeScript, and what should happen when producers outrun consumers for minutes at a time?';
    const s = extractSignals({ request: { model: 'auto', messages: [{ role: 'user', content: long }] }, header: () => undefined });
    expect(classify(router, s).ruleId).toBe('ranged');
  });

  it('lets an explicit tier hint win over the rules', () => {
    const s = extractSignals({ request: rec.opencodeTitle.body, header: (n) => (n === 'x-switchyard-tier' ? 'premium' : rec.opencodeTitle.headers[n]) });
    expect(classify(router, s)).toMatchObject({ tier: 'premium', ruleId: 'hint' });
  });

  it('reports problems at their path in the rule file', () => {
    const bad = `
rules:
  - id: a
    when: { complexity: { gte: high }, clinet: opencode, turn: { matches: "(" } }
    tier: premium
    reason: r
  - id: a
    when: { tools: { matches: x }, all: [] }
    tier: cheap
    reason: r
  - { id: b, tier: cheap }
default: { tier: cheap, reason: d }
`;
    const first = compileRuleSetText(bad, 'inline').diagnostics.map((d) => `${d.path}: ${d.message}`);
    expect(first.join('\n')).toContain('rules[2].reason: required');
    const fixed = bad.replace('  - { id: b, tier: cheap }\n', '');
    const paths = compileRuleSetText(fixed, 'inline').diagnostics.map((d) => `${d.path}: ${d.message}`);
    expect(paths).toEqual(expect.arrayContaining([
      'rules[0].when.complexity.gte: expected a number',
      expect.stringMatching(/^rules\[0\]\.when\.clinet: unknown signal "clinet"/),
      expect.stringMatching(/^rules\[0\]\.when\.turn\.matches: invalid regular expression/),
      expect.stringMatching(/^rules\[1\]\.id: duplicate rule id "a"/),
      'rules[1].when.tools.matches: matches applies to text signals; this signal is a number',
      'rules[1].when.all: expected a non-empty list of conditions',
    ]));
  });

  it('ships rule sets that compile and explain themselves', () => {
    for (const name of ['default', 'coding-agents', 'yolo']) {
      const loaded = loadConfig({ path: writeTempConfig(`
providers: { d: { kind: demo } }
models: [{ name: m, provider: d }]
routers:
  r: { rules: ${name}, tiers: { cheap: [m], standard: [m], premium: [m], fast: [m] } }
`), env: {} });
      expect(loaded.ok, JSON.stringify(loaded)).toBe(true);
    }
  });
});

describe('routers in the config', () => {
  it('names the YAML path of each problem', () => {
    const loaded = loadConfig({ path: writeTempConfig(`
providers: { d: { kind: demo } }
models: [{ name: m, provider: d }]
aliases: { fast: m }
routers:
  auto: { rules: coding-agents, tiers: { cheap: [nope], standard: [fast], premium: { models: [m], order: sideways } } }
  m: { rules: missing-rules, tiers: { cheap: [m] } }
  yolo: { rules: yolo, tiers: { cheap: [m] } }
`), env: {} });
    expect(loaded.ok).toBe(false);
    const lines = loaded.ok ? [] : loaded.errors.map((e) => `${e.path}: ${e.message}`);
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^routers\.auto\.tiers\.premium(\.order)?: /),
    ]));
    const loaded2 = loadConfig({ path: writeTempConfig(`
providers: { d: { kind: demo } }
models: [{ name: m, provider: d }]
aliases: { fast: m }
routers:
  auto: { rules: coding-agents, tiers: { cheap: [nope], standard: [fast], premium: [m] } }
  m: { rules: missing-rules, tiers: { cheap: [m] } }
  yolo: { rules: yolo, tiers: { cheap: [m] } }
`), env: {} });
    const lines2 = loaded2.ok ? [] : loaded2.errors.map((e) => `${e.path}: ${e.message}`);
    expect(lines2).toEqual(expect.arrayContaining([
      expect.stringMatching(/^routers\.auto\.tiers\.cheap\[0\]: unknown model "nope"/),
      expect.stringMatching(/^routers\.m: router "m" has the same name as a model/),
      expect.stringMatching(/^routers\.m\.rules: rule set "missing-rules" not found/),
      expect.stringMatching(/^routers\.yolo\.tiers: rule set yolo can route to tier "fast"/),
    ]));
  });

  it('gives the built-in demo config the auto, pipeline and auto:yolo routers', () => {
    const loaded = loadConfig({ cwd: '/nonexistent-dir', env: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const routers = loaded.config.extensions.routers as { byName: Map<string, CompiledRouter> };
    expect([...routers.byName.keys()]).toEqual(['auto', 'pipeline', 'auto:yolo']);
    expect([...routers.byName.get('auto')!.tiers.keys()]).toEqual(['cheap', 'standard', 'premium']);
  });
});
