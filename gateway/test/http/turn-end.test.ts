import { describe, expect, it } from 'vitest';
import { turnEnd } from '../../src/http/turn-end.js';

describe('turnEnd', () => {
  it('gives every caller in one turn the same promise, resolved after what the turn queued before it', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('immediate queued first'));
    const first = turnEnd();
    expect(turnEnd()).toBe(first);
    await first.then(() => order.push('turn end'));
    expect(order).toEqual(['immediate queued first', 'turn end']);
    const next = turnEnd();
    expect(next).not.toBe(first);
    await next;
  });
});
