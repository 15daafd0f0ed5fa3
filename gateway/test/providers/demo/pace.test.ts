import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/core/errors.js';
import { DEMO_MODELS } from '../../../src/providers/demo/catalog.js';
import { NON_STREAM_CAP_MS, completionDelayMs, delayScaleFromEnv, generationDelayMs, waitFor } from '../../../src/providers/demo/pace.js';

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('pace', () => {
  it('reads the delay scale from SWITCHYARD_DEMO_SPEED', () => {
    expect(delayScaleFromEnv({})).toBe(1);
    expect(delayScaleFromEnv({ SWITCHYARD_DEMO_SPEED: '0' })).toBe(0);
    expect(delayScaleFromEnv({ SWITCHYARD_DEMO_SPEED: '0.25' })).toBe(0.25);
    expect(delayScaleFromEnv({ SWITCHYARD_DEMO_SPEED: 'fast' })).toBe(1);
    expect(delayScaleFromEnv({ SWITCHYARD_DEMO_SPEED: '-2' })).toBe(1);
  });

  it('derives delays from the latency profile and caps non-streamed answers', () => {
    const premium = DEMO_MODELS.find((m) => m.name === 'demo-premium')!;
    expect(completionDelayMs(premium, 60)).toBe(premium.ttftMs + 1000);
    expect(completionDelayMs(premium, 100_000)).toBe(NON_STREAM_CAP_MS);
    expect(generationDelayMs(premium, 6)).toBe(100);
  });

  it('rejects with a GatewayError when aborted and leaves no timer behind', async () => {
    const before = timers();
    const controller = new AbortController();
    const waiting = waitFor(60_000, controller.signal);
    expect(timers()).toBe(before + 1);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'GatewayError', code: 'aborted' });
    expect(timers()).toBe(before);
  });

  it('passes a GatewayError abort reason on, and checks the signal even without a delay', async () => {
    const reason = new GatewayError('timeout', 'Attempt timed out');
    await expect(waitFor(0, AbortSignal.abort(reason))).rejects.toBe(reason);
    await expect(waitFor(0, new AbortController().signal)).resolves.toBeUndefined();
  });
});
