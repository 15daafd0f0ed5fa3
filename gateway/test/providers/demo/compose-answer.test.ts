import { describe, expect, it } from 'vitest';
import { composeAnswer, composeReasoning, composeToolSummary, pick, summarize } from '../../../src/providers/demo/compose-answer.js';
import { hashOf } from '../../../src/providers/demo/inspect-request.js';

const speaker = { name: 'demo-premium', tier: 'premium' as const };

describe('compose-answer', () => {
  it('summarizes to one line of at most 80 characters', () => {
    expect(summarize('  short\n\ttext ')).toBe('short text');
    const long = summarize('word '.repeat(40));
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long.endsWith('…')).toBe(true);
  });

  it('picks variations deterministically from a hash', () => {
    const seed = hashOf('hello');
    expect(pick(seed, 4)).toBe(pick(hashOf('hello'), 4));
    const seen = new Set(Array.from({ length: 40 }, (_, i) => pick(hashOf(`q${i}`), 4)));
    expect(seen.size).toBeGreaterThan(1);
  });

  it('answers naming the demo provider, the model, its tier and the question, in several sentences', () => {
    const text = composeAnswer(speaker, { text: 'How do I reverse a linked list in Rust?', images: 2 }, hashOf('x'));
    expect(text).toContain('Switchyard demo provider');
    expect(text).toContain('demo-premium');
    expect(text).toContain('premium tier');
    expect(text).toContain('"How do I reverse a linked list in Rust?"');
    expect(text).toContain('2 images');
    expect(text.split('. ').length).toBeGreaterThanOrEqual(4);
    expect(composeAnswer(speaker, { text: 'same', images: 0 }, hashOf('same'))).toBe(composeAnswer(speaker, { text: 'same', images: 0 }, hashOf('same')));
  });

  it('summarises tool output', () => {
    const text = composeToolSummary(speaker, { text: 'run it', images: 0 }, [{ toolCallId: 'c1', name: 'bash', output: 'switchyard-demo\n' }]);
    expect(text).toContain('bash returned "switchyard-demo"');
    expect(text).toContain('demo-premium');
    expect(text).toContain('"run it"');
  });

  it('thinks longer at higher effort and states the plan', () => {
    const turn = { text: 'list files', images: 0 };
    const low = composeReasoning(speaker, turn, 'low', { toolNames: ['bash'], afterTools: false });
    const high = composeReasoning(speaker, turn, 'high', { toolNames: ['bash'], afterTools: false });
    expect(low).toContain('call bash');
    expect(high.length).toBeGreaterThan(low.length);
    expect(composeReasoning(speaker, turn, 'medium', { toolNames: [], afterTools: true })).toContain('tool results are back');
  });
});
