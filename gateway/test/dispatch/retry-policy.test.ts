import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/core/errors.js';
import { backoffDelay, retryDelay } from '../../src/dispatch/backoff.js';
import { classifyFailure, parseRetryAfter } from '../../src/dispatch/classify-failure.js';
import { cooldownAfterFailure, memoryCooldowns } from '../../src/dispatch/cooldowns.js';
import { DEFAULT_POLICY, retriesFor, retryClassOf } from '../../src/dispatch/resilience-policy.js';

const upstream = (status: number, message = 'boom', headers: Record<string, string> = {}) =>
  new GatewayError('upstream', `Upstream p returned ${status}: ${message}`, { status, code: 'upstream_error', headers });

describe('classifyFailure', () => {
  it('retries 408, 409, 429, 5xx and 529, and not 400, 401, 403, 404, 413, 422', () => {
    for (const status of [408, 409, 429, 500, 502, 503, 504, 529]) expect(classifyFailure(upstream(status)).retryable, String(status)).toBe(true);
    for (const status of [400, 401, 403, 404, 413, 422]) expect(classifyFailure(upstream(status)).retryable, String(status)).toBe(false);
  });

  it('retries connection errors and timeouts, never a client abort', () => {
    expect(classifyFailure(new GatewayError('upstream', 'Upstream connection failed (ECONNRESET)', { code: 'upstream_connection_error' })).retryable).toBe(true);
    expect(classifyFailure(new GatewayError('timeout', 'Upstream did not answer within 5 ms', { code: 'upstream_timeout' })).retryable).toBe(true);
    const abort = classifyFailure(new GatewayError('upstream', 'Client disconnected', { code: 'aborted', retryable: false }));
    expect(abort).toMatchObject({ aborted: true, retryable: false });
  });

  it('spots a context-window overflow on a 400 or 413', () => {
    expect(classifyFailure(upstream(400, "This model's maximum context length is 8192 tokens")).contextOverflow).toBe(true);
    expect(classifyFailure(upstream(400, 'prompt is too long: 210000 tokens > 200000 maximum')).contextOverflow).toBe(true);
    expect(classifyFailure(upstream(400, 'bad temperature')).contextOverflow).toBe(false);
    expect(classifyFailure(upstream(500, 'context length exceeded')).contextOverflow).toBe(false);
  });

  it('reads retry-after-ms, retry-after seconds and retry-after dates', () => {
    expect(classifyFailure(upstream(429, 'x', { 'retry-after': '7' })).retryAfterMs).toBe(7000);
    expect(parseRetryAfter({ 'retry-after-ms': '1500', 'retry-after': '9' })).toBe(1500);
    expect(parseRetryAfter({ 'retry-after': new Date(10_000).toUTCString() }, 4_000)).toBe(6000);
    expect(parseRetryAfter({ 'retry-after': 'soon' })).toBeUndefined();
    expect(parseRetryAfter({})).toBeUndefined();
  });
});

describe('backoff', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };

  it('draws full jitter below a doubling ceiling capped at the maximum', () => {
    expect(backoffDelay(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(200);
    expect(backoffDelay(10, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it('honours retry-after up to the cap and never waits past the deadline', () => {
    expect(retryDelay(0, 2000, policy, 60_000)).toBe(2000);
    expect(retryDelay(0, 6000, policy, 60_000)).toBeUndefined();
    expect(retryDelay(0, 2000, policy, 1500)).toBeUndefined();
    expect(retryDelay(1, undefined, policy, 60_000, () => 0.5)).toBe(100);
  });

  it('gives each failure class its own retry count', () => {
    const p = { ...DEFAULT_POLICY, retries: 1, retriesByClass: { rate_limit: 3 } };
    expect(retriesFor(p, retryClassOf(429, 'rate_limit'))).toBe(3);
    expect(retriesFor(p, retryClassOf(502, 'upstream'))).toBe(1);
    expect(retryClassOf(undefined, 'timeout')).toBe('timeout');
    expect(retryClassOf(undefined, 'upstream')).toBe('connection');
  });
});

describe('cooldowns', () => {
  const policy = { failures: 2, windowMs: 1000, cooldownMs: 5000, longRetryAfterMs: 30_000, waitMs: 0 };

  it('cools after enough failures in the window, or at once on a long retry-after', () => {
    expect(cooldownAfterFailure(1, policy, 0)).toBeUndefined();
    expect(cooldownAfterFailure(2, policy, 100)).toBe(5100);
    expect(cooldownAfterFailure(1, policy, 0, 60_000)).toBe(60_000);
  });

  it('skips a cooling deployment, then hands out one half-open probe', () => {
    const c = memoryCooldowns();
    expect(c.fail('d', 0, policy)).toBeUndefined();
    expect(c.fail('d', 2000, policy)).toBeUndefined(); // the first failure left the window
    expect(c.fail('d', 2500, policy)).toBe(7500);
    expect(c.check('d', 3000)).toEqual({ state: 'cooling', untilMs: 7500 });
    expect(c.check('d', 8000)).toEqual({ state: 'probe' });
    expect(c.check('d', 8001).state).toBe('cooling');
    // a failed probe cools again at once; a good one clears everything
    expect(c.fail('d', 8100, policy)).toBe(13_100);
    expect(c.check('d', 13_200)).toEqual({ state: 'probe' });
    c.succeed('d');
    expect(c.check('d', 13_300)).toEqual({ state: 'ok' });
  });
});
