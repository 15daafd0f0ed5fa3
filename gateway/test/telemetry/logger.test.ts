import { describe, expect, it } from 'vitest';
import { createLogger, isoTimeField } from '../../src/telemetry/logger.js';
import { lineSink } from '../support/line-sink.js';

describe('logger redaction', () => {
  it('replaces keys wherever a logged object carries them', () => {
    const { sink, lines } = lineSink();
    const logger = createLogger(sink);
    logger.info({
      provider: { name: 'or', apiKey: 'sk-or-v1-secret-a' },
      config: { auth: { masterKey: 'sk-master-secret-b' }, general: { master_key: 'sk-master-secret-c' } },
      headers: { authorization: 'Bearer sk-secret-d', 'x-api-key': 'sk-secret-e' },
      litellm_params: { api_key: 'sk-secret-f' },
    }, 'config loaded');
    const out = lines.join('');
    for (const s of ['secret-a', 'secret-b', 'secret-c', 'secret-d', 'secret-e', 'secret-f']) expect(out).not.toContain(s);
    expect(JSON.parse(out).provider).toEqual({ name: 'or', apiKey: '[redacted]' });
  });
});

describe('log timestamps', () => {
  it('match toISOString to the millisecond, across second, minute, day and year boundaries', () => {
    const starts = [Date.UTC(2026, 11, 31, 23, 59, 59), Date.UTC(2026, 1, 28, 12, 0, 0), 0, Date.UTC(2030, 5, 1, 7, 8, 9)];
    for (const start of starts) {
      for (let ms = start - 1500; ms < start + 1500; ms += 7) expect(isoTimeField(ms)).toBe(`,"time":"${new Date(ms).toISOString()}"`);
    }
    // out of order, as clocks may step back
    expect(isoTimeField(Date.UTC(2026, 0, 1))).toBe(',"time":"2026-01-01T00:00:00.000Z"');
    expect(isoTimeField(Date.UTC(2025, 0, 1, 0, 0, 0, 5))).toBe(',"time":"2025-01-01T00:00:00.005Z"');
  });

  it('is the time field of every line', () => {
    const { sink, lines } = lineSink();
    const logger = createLogger(sink);
    const before = Date.now();
    logger.info('hello');
    const time = Date.parse(JSON.parse(lines[0]!).time);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());
  });
});
