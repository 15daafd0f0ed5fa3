import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { heapFlags } from '../../src/server/heap-flags.js';

describe('heap flags', () => {
  it('turns allocation-site pretenuring off unless node was told either way', () => {
    expect(heapFlags([])).toEqual(['--no-allocation-site-pretenuring']);
    expect(heapFlags(['--enable-source-maps', '--max-old-space-size=512'])).toEqual(['--no-allocation-site-pretenuring']);
    expect(heapFlags(['--allocation-site-pretenuring'])).toEqual([]);
    expect(heapFlags(['--no-allocation_site_pretenuring'])).toEqual([]);
  });

  it('names a flag this V8 knows: node refuses an unknown one', () => {
    for (const flag of heapFlags([])) {
      expect(() => execFileSync(process.execPath, [flag, '-e', '0'], { stdio: 'pipe' })).not.toThrow();
      expect(() => execFileSync(process.execPath, [`${flag}-misspelt`, '-e', '0'], { stdio: 'pipe' })).toThrow();
    }
  });
});
