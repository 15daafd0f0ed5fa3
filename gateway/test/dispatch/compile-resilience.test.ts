import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load-config.js';
import { resiliencePolicyOf } from '../../src/dispatch/compile-resilience.js';

const NATIVE = `
providers:
  up: { kind: openai-compatible, base_url: "http://127.0.0.1:9999/v1" }
models:
  - { name: a, provider: up }
  - { name: b, provider: up }
  - { name: big, provider: up, context_window: 1000000, timeout_s: 60, first_byte_timeout_s: 2, idle_timeout_s: 0.5 }
aliases:
  bee: b
`;

const LITELLM = `
model_list:
  - model_name: a
    litellm_params: { model: openai/a, api_base: "http://127.0.0.1:9999/v1", api_key: sk-x }
  - model_name: b
    litellm_params: { model: openai/b, api_base: "http://127.0.0.1:9999/v1", api_key: sk-x }
router_settings:
  num_retries: 2
  retry_policy: { RateLimitErrorRetries: 4, TimeoutErrorRetries: 0 }
  fallbacks: [{ a: [b] }]
  context_window_fallbacks: [{ a: [b] }]
  allowed_fails: 3
  cooldown_time: 12
  timeout: 90
`;

describe('resilience config', () => {
  it('compiles the native section', () => {
    const result = loadConfigText(`${NATIVE}
resilience:
  retries: 1
  deadline_s: 30
  max_retry_after_s: 5
  tier_fallback: true
  fallbacks: { a: [bee, big] }
  context_window_fallbacks: { a: [big] }
  cooldown: { failures: 4, window_s: 10, cooldown_s: 20, wait_s: 2 }
`, 'native.yaml', {});
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const policy = resiliencePolicyOf(result.config);
    expect(policy).toMatchObject({ retries: 1, deadlineMs: 30_000, maxRetryAfterMs: 5000, tierFallback: true });
    expect(policy.fallbacks.get('a')).toEqual(['b', 'big']);
    expect(policy.contextWindowFallbacks.get('a')).toEqual(['big']);
    expect(policy.cooldown).toMatchObject({ failures: 4, windowMs: 10_000, cooldownMs: 20_000, waitMs: 2000 });
    expect(result.config.models.get('big')?.[0]).toMatchObject({ timeoutMs: 60_000, firstByteTimeoutMs: 2000, idleTimeoutMs: 500 });
  });

  it("reads LiteLLM's router_settings", () => {
    const result = loadConfigText(LITELLM, 'litellm.yaml', {});
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const policy = resiliencePolicyOf(result.config);
    expect(policy).toMatchObject({ retries: 2, retriesByClass: { rate_limit: 4, timeout: 0 }, deadlineMs: 90_000 });
    expect(policy.cooldown).toMatchObject({ failures: 3, cooldownMs: 12_000 });
    expect(policy.fallbacks.get('a')).toEqual(['b']);
  });

  it('names the path of a fallback to an unknown model and of a bad value', () => {
    const result = loadConfigText(`${NATIVE}
resilience:
  retries: -1
  fallbacks: { a: [b, gpt-5] }
  cooldwn: {}
`, 'native.yaml', {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.errors.map((e) => e.path);
    expect(paths).toContain('resilience.retries');
    expect(paths).toContain('resilience.cooldwn');
    const litellm = loadConfigText(LITELLM.replace('fallbacks: [{ a: [b] }]', 'fallbacks: [{ a: [c] }]'), 'litellm.yaml', {});
    expect(litellm.ok).toBe(false);
    if (!litellm.ok) expect(litellm.errors).toContainEqual(expect.objectContaining({ path: 'router_settings.fallbacks[0].a[0]', message: expect.stringMatching(/"c" is not a model/) }));
  });

  it('checks fallbacks once the rest of the config is valid', () => {
    const result = loadConfigText(`${NATIVE}
resilience:
  fallbacks: { a: [gpt-5] }
`, 'native.yaml', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual([expect.objectContaining({ path: 'resilience.fallbacks.a[0]' })]);
  });
});
