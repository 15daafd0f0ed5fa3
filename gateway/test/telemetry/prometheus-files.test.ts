import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { families } from '../../src/telemetry/metrics.js';
import { exportedNames, metricNamesIn } from './dashboard-queries.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const promtool = (...args: string[]) => execFileSync('promtool', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('prometheus.yml and alert rules', () => {
  it('pass promtool check config and check rules', () => {
    expect(promtool('check', 'config', 'prometheus.yml')).toContain('SUCCESS');
    expect(promtool('check', 'rules', 'prometheus/alerts.yml')).toContain('SUCCESS');
  });

  it('pass their promtool unit tests (burn-rate prediction, error ratio, all deployments cooling, store down)', () => {
    expect(promtool('test', 'rules', 'prometheus/alerts.test.yml')).toContain('SUCCESS');
  });

  it('scrape the compose service `gateway` on port 4000 and use only exported metric names', () => {
    expect(readFileSync(`${ROOT}prometheus.yml`, 'utf8')).toContain("targets: ['gateway:4000']");
    const exported = exportedNames(Object.values(families).map((m) => (m as unknown as { name: string }).name), Object.values(families));
    const names = metricNamesIn(readFileSync(`${ROOT}prometheus/alerts.yml`, 'utf8'));
    expect(names.length).toBeGreaterThan(4);
    for (const n of names) expect(exported).toContain(n);
  });
});
