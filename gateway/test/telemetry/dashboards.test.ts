import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dashboardFiles } from '../../../dashboards/src/generate.js';
import { families } from '../../src/telemetry/metrics.js';
import { dashboardQueries, exportedNames, metricNamesIn } from './dashboard-queries.js';

const DIR = new URL('../../../dashboards/', import.meta.url);

describe('dashboards/', () => {
  it('holds exactly what the typed definitions generate (run `npm run dashboards` after editing dashboards/src)', () => {
    for (const [name, json] of Object.entries(dashboardFiles())) {
      expect(readFileSync(new URL(name, DIR), 'utf8'), name).toBe(json);
    }
  });

  it('has Cost, Routing and Reliability dashboards with instance, model and team variables', () => {
    for (const json of Object.values(dashboardFiles())) {
      const d = JSON.parse(json);
      const names = d.templating.list.map((v: { name: string }) => v.name);
      expect(names).toEqual(expect.arrayContaining(['instance', 'model', 'team']));
    }
    expect(Object.keys(dashboardFiles()).sort()).toEqual(['cost.json', 'reliability.json', 'routing.json']);
  });

  it('queries only metric families the gateway exports', () => {
    const exported = exportedNames(Object.values(families).map((m) => (m as unknown as { name: string }).name), Object.values(families));
    const queries = dashboardQueries(Object.values(dashboardFiles()).map((j) => JSON.parse(j)));
    expect(queries.length).toBeGreaterThan(30);
    for (const q of queries) {
      const names = metricNamesIn(q.expr);
      expect(names.length, q.expr).toBeGreaterThan(0);
      for (const n of names) expect(exported, `${q.panel}: ${n}`).toContain(n);
    }
  });
});
