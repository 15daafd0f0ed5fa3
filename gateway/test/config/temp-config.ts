import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-config-'));
  dirs.push(dir);
  return dir;
}

/** Writes YAML text to a temporary file and returns its path. */
export function writeTempConfig(text: string, name = 'config.yaml'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}
