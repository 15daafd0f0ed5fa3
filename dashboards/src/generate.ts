import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { costDashboard } from './cost.js';
import { reliabilityDashboard } from './reliability.js';
import { routingDashboard } from './routing.js';

/** The committed dashboards/ files and their content, generated from the typed definitions beside this file. */
export function dashboardFiles(): Record<string, string> {
  return {
    'cost.json': render(costDashboard()),
    'routing.json': render(routingDashboard()),
    'reliability.json': render(reliabilityDashboard()),
  };
}

/** Panel ids numbered in order, so the JSON is stable and panel links work. */
function render(dashboard: { panels?: Array<{ id?: number }> }): string {
  dashboard.panels?.forEach((p, i) => (p.id = i + 1));
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}

// `npm run dashboards` regenerates the files.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = new URL('../', import.meta.url);
  for (const [name, json] of Object.entries(dashboardFiles())) writeFileSync(new URL(name, dir), json);
  console.log(`wrote ${Object.keys(dashboardFiles()).join(', ')} to dashboards/`);
}
