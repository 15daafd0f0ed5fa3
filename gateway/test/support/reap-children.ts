import type { ChildProcess } from 'node:child_process';
import { afterAll } from 'vitest';

const live = new Set<ChildProcess>();

// Registered on the root suite of each test file that imports a spawning helper, so it runs when the file ends
// even if a beforeAll failed part way (before the file's own cleanup knew of the child) or a test forgot one.
afterAll(() => {
  for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  live.clear();
});

/** Kills `child` with SIGKILL when the current test file ends, if nothing stopped it before. */
export function reapAtFileEnd<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}
