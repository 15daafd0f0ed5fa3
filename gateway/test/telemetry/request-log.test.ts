import fc from 'fast-check';
import pino, { type LoggerOptions } from 'pino';
import { describe, expect, it } from 'vitest';
import { logRequest, type RequestRecord } from '../../src/telemetry/request-log.js';
import { lineSink } from '../support/line-sink.js';

const OPTIONS: LoggerOptions = { base: { service: 'switchyard' }, timestamp: () => ',"time":"2026-12-02T09:17:05.042Z"' };

/** A logger writing to an array; `throughPino` adds a mixin that adds nothing, which sends the line through pino. */
function capture(throughPino: boolean, level = 'info') {
  const { sink, lines } = lineSink();
  const logger = pino({ ...OPTIONS, level, ...(throughPino ? { mixin: () => ({}) } : {}) }, sink);
  return { logger, lines };
}

const finished = (fields: Partial<RequestRecord>): RequestRecord => ({ requestId: 'r-1', surface: 'openai.chat', startedAt: performance.now(), ...fields });

describe('the request log line', () => {
  it('carries the request in a fixed order, leaving out what it does not know', () => {
    const { logger, lines } = capture(false);
    logRequest(logger, finished({ modelAsked: 'auto', deployment: 'cheap#0', stream: true, status: 200, ttftMs: 12.3456, usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 }, aborted: true }));
    logRequest(logger, finished({ status: 400, errorCode: 'invalid_request_body' }));
    const [full, refused] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(full!)).toEqual(['level', 'time', 'service', 'msg', 'request_id', 'surface', 'model', 'deployment', 'stream', 'status', 'latency_ms', 'ttft_ms', 'prompt_tokens', 'completion_tokens', 'aborted']);
    expect(full).toMatchObject({ level: 30, time: '2026-12-02T09:17:05.042Z', service: 'switchyard', msg: 'request', request_id: 'r-1', model: 'auto', stream: true, status: 200, ttft_ms: 12.35, prompt_tokens: 10, completion_tokens: 3, aborted: true });
    expect(full!.latency_ms).toBeTypeOf('number');
    expect(refused).toEqual({ level: 40, time: '2026-12-02T09:17:05.042Z', service: 'switchyard', msg: 'request', request_id: 'r-1', surface: 'openai.chat', status: 400, latency_ms: refused!.latency_ms, error: 'invalid_request_body' });
    expect(lines.every((l) => l.endsWith('}\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
  });

  it('is logged at error for a 5xx and warn for a 4xx, and not at all below the logger level', () => {
    const { logger, lines } = capture(false, 'warn');
    logRequest(logger, finished({ status: 200 }));
    logRequest(logger, finished({ status: 429 }));
    logRequest(logger, finished({ status: 502 }));
    logRequest(logger, finished({}));
    expect(lines.map((l) => (JSON.parse(l) as { level: number }).level)).toEqual([40, 50]);
  });

  const text = (unit: 'grapheme' | 'binary') => fc.string({ unit, maxLength: 30 });
  const record = (unit: 'grapheme' | 'binary') =>
    fc.record(
      {
        requestId: text(unit),
        surface: text(unit),
        startedAt: fc.constant(0),
        modelAsked: text(unit),
        deployment: text(unit),
        stream: fc.boolean(),
        status: fc.integer({ min: 0, max: 599 }),
        ttftMs: fc.double({ noNaN: true, noDefaultInfinity: true }),
        usage: fc.record({ prompt_tokens: fc.oneof(fc.nat(), fc.constant(null), text(unit)), completion_tokens: fc.nat(), total_tokens: fc.nat() }, { requiredKeys: ['total_tokens'] }),
        errorCode: text(unit),
        aborted: fc.boolean(),
      },
      { requiredKeys: ['requestId', 'surface', 'startedAt'] },
    ) as fc.Arbitrary<RequestRecord>;

  it('is the line pino itself writes for the same fields, byte for byte', () => {
    fc.assert(
      fc.property(record('grapheme'), (r) => {
        const fast = capture(false);
        const slow = capture(true);
        logRequest(fast.logger, r);
        logRequest(slow.logger, r);
        // latency is measured at the call, so the two calls may differ there alone
        const sameLatency = (l: string) => l.replace(/"latency_ms":[^,}]+/, '"latency_ms":0');
        expect(fast.lines.map(sameLatency)).toEqual(slow.lines.map(sameLatency));
      }),
      { numRuns: 1000 },
    );
  });

  it('stays one JSON line with the same values for any text, lone surrogates and control characters included', () => {
    fc.assert(
      fc.property(record('binary'), (r) => {
        const { logger, lines } = capture(false);
        logRequest(logger, r);
        expect(lines).toHaveLength(1);
        expect(lines[0]!.slice(0, -1)).not.toContain('\n');
        const line = JSON.parse(lines[0]!) as Record<string, unknown>;
        const sent = { request_id: r.requestId, surface: r.surface, model: r.modelAsked, deployment: r.deployment, error: r.errorCode };
        expect(line).toMatchObject(Object.fromEntries(Object.entries(sent).filter(([, v]) => v !== undefined)));
        if (r.usage?.prompt_tokens !== undefined) expect(line.prompt_tokens).toEqual(r.usage.prompt_tokens);
      }),
      { numRuns: 1000 },
    );
  });
});
