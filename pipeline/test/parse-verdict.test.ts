import { describe, expect, it } from 'vitest';
import { parseVerdict } from '../src/review/parse-verdict.js';

describe('the review verdict block', () => {
  it('reads JSON or YAML, the last block winning', () => {
    expect(parseVerdict('```verdict\n{"verdict":"request_changes","findings":[{"severity":"major","file":"a.ts","message":"null check"}]}\n```')).toEqual({
      verdict: 'request_changes',
      findings: [{ severity: 'major', file: 'a.ts', message: 'null check' }],
    });
    const yaml = 'first\n```verdict\nverdict: request_changes\n```\nthen, after a second look:\n```verdict\nverdict: approve\nfindings:\n  - severity: minor\n    message: rename x\n  - just a string\n```';
    expect(parseVerdict(yaml)).toEqual({ verdict: 'approve', findings: [{ severity: 'minor', message: 'rename x' }, { severity: 'major', message: 'just a string' }] });
  });

  it('never approves by accident: no block, bad syntax or an unknown verdict request changes', () => {
    for (const text of ['Looks good to me!', '```verdict\n{"verdict": "approve",\n```', '```verdict\n{"verdict":"lgtm"}\n```', '```json\n{"verdict":"approve"}\n```']) {
      const v = parseVerdict(text);
      expect(v.verdict).toBe('request_changes');
      expect(v.malformed).toBeTruthy();
      expect(v.findings[0]!.message).toMatch(/verdict block/);
    }
  });

  it('keeps unknown severities as major and drops findings without a message', () => {
    expect(parseVerdict('```verdict\n{"verdict":"request_changes","findings":[{"severity":"critical","message":"x"},{"severity":"minor"}]}\n```').findings).toEqual([{ severity: 'major', message: 'x' }]);
  });
});
