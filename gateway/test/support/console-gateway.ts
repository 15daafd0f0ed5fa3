import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import type { GatewayConfig } from '../../src/config/types.js';
import { compileBudgets } from '../../src/spend/budget-config.js';

/**
 * The built-in demo config (demo provider, `auto` routers) behind a master key, with global budgets and a
 * memory store in a fresh data dir: a real gateway the web console can be driven against. Set
 * SWITCHYARD_DEMO_SPEED=0 for instant demo answers.
 */
export function consoleDemoConfig(masterKey: string, budgets: unknown = { global: { daily_usd: 5, weekly_usd: 20, monthly_usd: 60 } }): { config: GatewayConfig; cleanup: () => void } {
  const loaded = loadConfig({ cwd: '/nonexistent-dir', env: {} });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const compiled = compileBudgets(budgets);
  if (!compiled.budgets) throw new Error(JSON.stringify(compiled.diagnostics));
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-console-'));
  const config: GatewayConfig = {
    ...loaded.config,
    auth: { mode: 'master_key', masterKey, explicitNone: false },
    store: { kind: 'memory', dataDir },
    extensions: { ...loaded.config.extensions, budgets: compiled.budgets },
  };
  return { config, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
}
