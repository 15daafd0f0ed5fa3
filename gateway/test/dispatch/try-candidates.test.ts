import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../src/config/types.js';
import { GatewayError } from '../../src/core/errors.js';
import { memoryCooldowns } from '../../src/dispatch/cooldowns.js';
import { DEFAULT_POLICY, type ResiliencePolicy } from '../../src/dispatch/resilience-policy.js';
import { tryCandidates, type DispatchRoute } from '../../src/dispatch/try-candidates.js';
import { testConfig } from '../support/test-gateway.js';

const config = testConfig([
  { name: 'm', baseUrl: 'http://127.0.0.1:1/v1' },
  { name: 'm', baseUrl: 'http://127.0.0.1:2/v1' },
]);
const [d0, d1] = config.models.get('m')! as Deployment[];

function route(policy: Partial<ResiliencePolicy>, cooldowns = memoryCooldowns()): DispatchRoute {
  return {
    modelAsked: 'm',
    modelName: 'm',
    candidates: [d0!, d1!],
    resilience: { policy: { ...DEFAULT_POLICY, baseDelayMs: 0, ...policy }, cooldowns, contextFallbacks: [] },
  };
}

const failing = (status: number, headers: Record<string, string> = {}) =>
  new GatewayError('upstream', `Upstream returned ${status}`, { status, code: 'upstream_error', headers });

describe('tryCandidates', () => {
  it('waits for a cooling deployment when its return is within the configured bound', async () => {
    const cooldowns = memoryCooldowns();
    const cool = { ...DEFAULT_POLICY.cooldown, failures: 1, cooldownMs: 60 };
    cooldowns.fail(d0!.id, Date.now(), cool);
    cooldowns.fail(d1!.id, Date.now(), cool);
    const tried: string[] = [];
    const result = await tryCandidates(route({ cooldown: { ...cool, waitMs: 1000 } }, cooldowns), async (d) => {
      tried.push(d.id);
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(tried).toEqual([d0!.id]);
  });

  it('refuses with 503 and retry-after instead when the wait would pass the bound', async () => {
    const cooldowns = memoryCooldowns();
    const cool = { ...DEFAULT_POLICY.cooldown, failures: 1, cooldownMs: 5000 };
    cooldowns.fail(d0!.id, Date.now(), cool);
    cooldowns.fail(d1!.id, Date.now(), cool);
    const err = await tryCandidates(route({ cooldown: { ...cool, waitMs: 100 } }, cooldowns), async () => 'never').catch((e) => e);
    expect(err).toMatchObject({ status: 503, code: 'all_deployments_cooling', headers: { 'retry-after': '5' } });
  });

  it('stops at the deadline and reports the last failure', async () => {
    const tried: string[] = [];
    const err = await tryCandidates(route({ deadlineMs: 40, retries: 5, baseDelayMs: 30, maxDelayMs: 30 }), async (d) => {
      tried.push(d.id);
      throw failing(503);
    }, undefined).catch((e) => e);
    expect(err.status).toBe(503);
    // 2 candidates × (1 + 5 retries) = 12 attempts without a deadline; full jitter makes the exact count
    // random, but 11 waits of up to 30 ms fitting in 40 ms is a one-in-a-million draw
    expect(tried.length).toBeLessThan(12);
  });

  it('gives up on a context overflow when no larger window is left', async () => {
    const err = await tryCandidates(route({}), async () => {
      throw failing(400);
    }).catch((e) => e);
    expect(err.status).toBe(400);
    const overflow = new GatewayError('invalid_request', 'Upstream returned 400: maximum context length exceeded', { status: 400, code: 'upstream_error' });
    const tried: string[] = [];
    await tryCandidates(route({}), async (d) => {
      tried.push(d.id);
      throw overflow;
    }).catch(() => {});
    // both have the same window: the second cannot hold the prompt either
    expect(tried).toEqual([d0!.id]);
  });

  it('stops retrying as soon as the client has gone', async () => {
    const controller = new AbortController();
    const tried: string[] = [];
    const err = await tryCandidates(route({ retries: 3, baseDelayMs: 10_000, maxDelayMs: 10_000 }), async (d) => {
      tried.push(d.id);
      setTimeout(() => controller.abort(new GatewayError('upstream', 'Client disconnected', { code: 'aborted', retryable: false })), 5);
      throw failing(502);
    }, controller.signal).catch((e) => e);
    expect(err.code).toBe('aborted');
    expect(tried).toEqual([d0!.id]);
  });
});
