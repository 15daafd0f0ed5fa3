import { spawnSync } from 'node:child_process';

/** Whether `command args` runs and exits 0 here (a tool's `--version`). */
export const commandRuns = (command: string, args: readonly string[]): boolean => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

/**
 * Whether tests that drive a real tool run. Under CI always: .ci/run installs every such tool, so a missing one
 * fails those tests instead of skipping them (and the no-skips reporter fails the run on any skip). On a
 * developer machine without the tool they are skipped, with `warning` saying what is skipped and how to install it.
 */
export function toolRuns(found: boolean, warning: string): boolean {
  if (found || process.env.CI) return true;
  console.warn(warning);
  return false;
}
