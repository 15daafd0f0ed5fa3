import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { estimateTokenCount } from 'tokenx';
import { describe, expect, it } from 'vitest';
import { countJoinedTokens, countTextTokens, RememberedCounts } from '../../src/core/count-text-tokens.js';

// Characters from every class the heuristic tells apart: ASCII letters, digits, punctuation and spaces, Unicode
// spaces, the listed languages' letters in both cases, CJK, kana, hangul, emoji with their components, lone surrogates.
const ALPHABET = [
  ...'abcXYZ019 \t\n\r.,!?;(){}[]<>:/\\|@#$%^&*+=`~_"-\'',
  '\u00a0', '\u2003', '\u3000', '\ufeff', '\u2028',
  ...'äöüßẞÄÖÜéèÉÈçÇœŒÿŸñÑąĄłŁšŠřŘ',
  ...'приветПРИВЕТёЁ', ...'αβγΑΒΓάώ',
  ...'漢字中文', ...'ひらがなカタカナ', ...'한국어', '\uff21',
  '😀', '👍', '🏽', '\u200d', '\ufe0f', '❤', '©', '#', '*', '\u20e3', '🇫', '🇷',
  '\ud800', '\udc00',
];

const REPO_ROOT = join(import.meta.dirname, '../../..');

function sampleFiles(): string[] {
  const texts = [readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'), readFileSync(join(REPO_ROOT, 'gateway/src/core/count-text-tokens.ts'), 'utf8')];
  const fixtures = join(REPO_ROOT, 'gateway/test/fixtures');
  for (const name of readdirSync(fixtures, { recursive: true }) as string[]) {
    if (/\.(json|ya?ml|md|txt)$/.test(name)) texts.push(readFileSync(join(fixtures, name), 'utf8'));
  }
  return texts;
}

describe('countTextTokens', () => {
  it('counts what tokenx counts on generated text from every character class', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 80 }), (chars) => {
        const text = chars.join('');
        expect(countTextTokens(text)).toBe(estimateTokenCount(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('counts what tokenx counts on arbitrary Unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        expect(countTextTokens(text)).toBe(estimateTokenCount(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('counts texts joined by newlines as tokenx counts the joined text', () => {
    const part = fc.array(fc.constantFrom(...ALPHABET, '  ', '\n\n'), { maxLength: 12 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), (parts) => {
        expect(countJoinedTokens(parts)).toBe(estimateTokenCount(parts.join('\n')));
      }),
      { numRuns: 5000 },
    );
  });

  it('counts what tokenx counts on real documents, code and configs', () => {
    const texts = sampleFiles();
    expect(texts.length).toBeGreaterThan(3);
    for (const text of texts) expect(countTextTokens(text)).toBe(estimateTokenCount(text));
  });

  it('counts the edge cases by the rules', () => {
    expect(countTextTokens('')).toBe(0);
    expect(countTextTokens('   ')).toBe(0);
    expect(countTextTokens('\n  ')).toBe(1); // indentation carries structure
    expect(countTextTokens('1234567')).toBe(3); // digits: one per 3
    expect(countTextTokens('abcdefghijkl')).toBe(2); // one per 6
    expect(countTextTokens('-----')).toBe(3); // punctuation: one per 2
    expect(countTextTokens('Größe')).toBe(2); // German: 2.6 characters per token
    expect(countTextTokens('日本語')).toBe(3); // CJK: one per character
  });

  it('counts long texts it has seen before as it counted them the first time', () => {
    const texts = sampleFiles().filter((text) => text.trim().length >= 1024);
    expect(texts.length).toBeGreaterThan(1);
    const parts = [...texts, '  short  ', ...texts];
    const expected = estimateTokenCount(parts.join('\n'));
    expect(countJoinedTokens(parts)).toBe(expected);
    // the same texts again, as new string objects (a later request's)
    expect(countJoinedTokens(parts.map((text) => JSON.parse(JSON.stringify(text)) as string))).toBe(expected);
  });
});

describe('RememberedCounts', () => {
  it('keeps two generations of texts and moves a text it finds in the older one to the newer one', () => {
    const counts = new RememberedCounts(10);
    counts.set('aaaa', 1);
    counts.set('bbbb', 2);
    counts.set('cccc', 3); // the first generation is full: it becomes the older one
    expect(counts.get('aaaa')).toBe(1); // found in the older generation, moved to the newer one
    counts.set('dddd', 4); // full again: the generation holding 'bbbb' is dropped
    expect(counts.get('bbbb')).toBeUndefined();
    expect([counts.get('aaaa'), counts.get('cccc'), counts.get('dddd')]).toEqual([1, 3, 4]);
    expect(counts.heldChars).toBeLessThanOrEqual(20);
  });

  it('does not remember a text longer than a generation', () => {
    const counts = new RememberedCounts(10);
    counts.set('x'.repeat(11), 2);
    expect(counts.get('x'.repeat(11))).toBeUndefined();
    expect(counts.heldChars).toBe(0);
  });
});
