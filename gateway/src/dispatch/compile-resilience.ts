import { z } from 'zod';
import { configError, type PathSegment } from '../config/diagnostics.js';
import { strictObject } from '../config/strict-object.js';
import type { ConfigDiagnostic, GatewayConfig } from '../config/types.js';
import { zodIssuesToDiagnostics } from '../config/zod-diagnostics.js';
import { DEFAULT_POLICY, type ResiliencePolicy, type RetryClass } from './resilience-policy.js';

const seconds = z.number().nonnegative();
const count = z.number().int().nonnegative();
const chains = z.record(z.string(), z.array(z.string()));

/** The native `resilience:` section. */
const nativeSchema = strictObject({
  retries: count.optional(),
  retries_by_class: strictObject({ rate_limit: count.optional(), timeout: count.optional(), server: count.optional(), connection: count.optional() }).optional(),
  backoff_base_ms: count.optional(),
  backoff_max_ms: count.optional(),
  max_retry_after_s: seconds.optional(),
  deadline_s: seconds.optional(),
  fallbacks: chains.optional(),
  context_window_fallbacks: chains.optional(),
  tier_fallback: z.boolean().optional(),
  cooldown: strictObject({
    failures: z.number().int().positive().optional(),
    window_s: seconds.optional(),
    cooldown_s: seconds.optional(),
    long_retry_after_s: seconds.optional(),
    wait_s: seconds.optional(),
  }).optional(),
});

// LiteLLM writes fallbacks as a list of one-key maps: [{"gpt-4": ["gpt-3.5"]}].
const litellmChains = z.array(z.record(z.string(), z.array(z.string())));
const litellmSchema = z.looseObject({
  fallbacks: litellmChains.optional(),
  context_window_fallbacks: litellmChains.optional(),
  num_retries: count.optional(),
  retry_policy: z.record(z.string(), count).optional(),
  timeout: seconds.optional(),
  request_timeout: seconds.optional(),
  allowed_fails: count.optional(),
  cooldown_time: seconds.optional(),
});

const LITELLM_RETRY_CLASSES: Record<string, RetryClass> = {
  RateLimitErrorRetries: 'rate_limit',
  TimeoutErrorRetries: 'timeout',
  InternalServerErrorRetries: 'server',
};

const cache = new WeakMap<GatewayConfig, { policy: ResiliencePolicy; diagnostics: ConfigDiagnostic[] }>();

/** The resilience policy of a config, compiled once per config object; diagnostics name YAML paths. */
export function compileResilience(config: GatewayConfig): { policy: ResiliencePolicy; diagnostics: ConfigDiagnostic[] } {
  let hit = cache.get(config);
  if (!hit) {
    hit = compile(config);
    cache.set(config, hit);
  }
  return hit;
}

/** The compiled policy of a config (defaults where its sections are invalid; the loader reports those). */
export function resiliencePolicyOf(config: GatewayConfig): ResiliencePolicy {
  return compileResilience(config).policy;
}

function compile(config: GatewayConfig): { policy: ResiliencePolicy; diagnostics: ConfigDiagnostic[] } {
  const diags: ConfigDiagnostic[] = [];
  const fallbacks = new Map<string, string[]>();
  const contextFallbacks = new Map<string, string[]>();
  const policy: ResiliencePolicy = { ...DEFAULT_POLICY, retriesByClass: {}, cooldown: { ...DEFAULT_POLICY.cooldown }, fallbacks, contextWindowFallbacks: contextFallbacks };
  const known = (name: string) => config.models.has(name) || config.aliases.has(name);
  const canonical = (name: string) => config.aliases.get(name) ?? name;
  const addChain = (into: Map<string, string[]>, from: string, to: readonly string[], path: PathSegment[]) => {
    if (!known(from)) diags.push(configError(path, `"${from}" is not a model this gateway serves; use one of: ${[...config.models.keys()].join(', ')}`));
    to.forEach((target, i) => {
      if (!known(target)) diags.push(configError([...path, i], `fallback "${target}" is not a model this gateway serves`));
    });
    into.set(canonical(from), to.filter(known).map(canonical));
  };

  for (const section of ['litellm_settings', 'litellm_router_settings'] as const) {
    const raw = config.extensions[section];
    if (raw === undefined) continue;
    const yamlName = section === 'litellm_settings' ? 'litellm_settings' : 'router_settings';
    const parsed = litellmSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) {
      diags.push(...zodIssuesToDiagnostics(parsed.error.issues, { prefix: [yamlName] }));
      continue;
    }
    const s = parsed.data;
    if (s.num_retries !== undefined) policy.retries = s.num_retries;
    const timeout = s.timeout ?? s.request_timeout;
    if (timeout !== undefined) policy.deadlineMs = timeout * 1000;
    if (s.allowed_fails !== undefined) policy.cooldown.failures = Math.max(1, s.allowed_fails);
    if (s.cooldown_time !== undefined) policy.cooldown.cooldownMs = s.cooldown_time * 1000;
    for (const [name, n] of Object.entries(s.retry_policy ?? {})) {
      const cls = LITELLM_RETRY_CLASSES[name];
      if (cls) policy.retriesByClass[cls] = n;
    }
    s.fallbacks?.forEach((entry, i) => {
      for (const [from, to] of Object.entries(entry)) addChain(fallbacks, from, to, [yamlName, 'fallbacks', i, from]);
    });
    s.context_window_fallbacks?.forEach((entry, i) => {
      for (const [from, to] of Object.entries(entry)) addChain(contextFallbacks, from, to, [yamlName, 'context_window_fallbacks', i, from]);
    });
  }

  const native = config.extensions.resilience;
  if (native !== undefined) {
    const parsed = nativeSchema.safeParse(native, { reportInput: true });
    if (!parsed.success) diags.push(...zodIssuesToDiagnostics(parsed.error.issues, { prefix: ['resilience'] }));
    else {
      const r = parsed.data;
      if (r.retries !== undefined) policy.retries = r.retries;
      Object.assign(policy.retriesByClass, r.retries_by_class ?? {});
      if (r.backoff_base_ms !== undefined) policy.baseDelayMs = r.backoff_base_ms;
      if (r.backoff_max_ms !== undefined) policy.maxDelayMs = r.backoff_max_ms;
      if (r.max_retry_after_s !== undefined) policy.maxRetryAfterMs = r.max_retry_after_s * 1000;
      if (r.deadline_s !== undefined) policy.deadlineMs = r.deadline_s * 1000;
      if (r.tier_fallback !== undefined) policy.tierFallback = r.tier_fallback;
      const c = r.cooldown;
      if (c?.failures !== undefined) policy.cooldown.failures = c.failures;
      if (c?.window_s !== undefined) policy.cooldown.windowMs = c.window_s * 1000;
      if (c?.cooldown_s !== undefined) policy.cooldown.cooldownMs = c.cooldown_s * 1000;
      if (c?.long_retry_after_s !== undefined) policy.cooldown.longRetryAfterMs = c.long_retry_after_s * 1000;
      if (c?.wait_s !== undefined) policy.cooldown.waitMs = c.wait_s * 1000;
      for (const [from, to] of Object.entries(r.fallbacks ?? {})) addChain(fallbacks, from, to, ['resilience', 'fallbacks', from]);
      for (const [from, to] of Object.entries(r.context_window_fallbacks ?? {})) addChain(contextFallbacks, from, to, ['resilience', 'context_window_fallbacks', from]);
    }
  }
  return { policy, diagnostics: diags };
}
