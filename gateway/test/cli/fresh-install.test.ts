import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
const temps: string[] = [];

interface PackageJson {
  bin?: Record<string, string>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const readPackage = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as PackageJson;

/** What a fresh clone holds: tracked and new files, nothing ignored (so no node_modules and no dist). */
function cloneFiles(): string[] {
  return execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
}

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

// The full README path (fresh clone, one `npm install`, `npx switchyard --help`) takes 35 s to several minutes
// on a loaded machine, so .ci/run checks it with scripts/check-fresh-install.sh; this test isolates npm's part.
describe('the CLI after a fresh install', () => {
  it('every workspace bin points at a file a fresh clone has, not at a build output', () => {
    const files = new Set(cloneFiles());
    const bin = readPackage('gateway/package.json').bin ?? {};
    expect(Object.keys(bin)).toContain('switchyard');
    for (const target of Object.values(bin)) expect(files.has(join('gateway', target))).toBe(true);
  });

  it('one npm install links a working `switchyard` although prepare builds dist/ only after linking', () => {
    // The real root and gateway manifests and bin files, without the dependencies (nothing to fetch); the
    // gateway's build, which prepare runs after bins are linked, writes a stand-in CLI to dist/cli/main.js.
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-fresh-'));
    temps.push(dir);
    const gateway = readPackage('gateway/package.json');
    const root = readPackage('package.json');
    delete gateway.dependencies;
    delete gateway.devDependencies;
    gateway.scripts = { build: `node -e "require('fs').mkdirSync('dist/cli',{recursive:true});require('fs').writeFileSync('dist/cli/main.js','console.log(\\'Usage: switchyard \\'+process.argv.slice(2).join(\\' \\'))')"` };
    mkdirSync(join(dir, 'gateway'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify(root));
    writeFileSync(join(dir, 'gateway/package.json'), JSON.stringify(gateway));
    for (const file of cloneFiles().filter((f) => f.startsWith('gateway/bin/'))) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      copyFileSync(join(ROOT, file), join(dir, file));
      chmodSync(join(dir, file), 0o755);
    }
    const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(install.status, install.stderr).toBe(0);
    const run = spawnSync('npx', ['--no-install', 'switchyard', '--help'], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('Usage: switchyard --help');
  }, 90_000);
});
