import { z } from 'zod';
import { strictObject } from '../config/strict-object.js';
import type { ConfigDiagnostic, GatewayConfig } from '../config/types.js';
import { zodIssuesToDiagnostics } from '../config/zod-diagnostics.js';

/** Limits for one key; absent fields are unlimited. */
export interface KeyLimits {
  rpm?: number;
  tpm?: number;
  maxConcurrent?: number;
}

export interface LimitsConfig {
  /** Applies to every key without its own entry. */
  perKey: KeyLimits;
  /** Key id → its own limits. */
  keys: ReadonlyMap<string, KeyLimits>;
}

const positive = z.number().int().positive();
const keyLimits = strictObject({ rpm: positive.optional(), tpm: positive.optional(), max_concurrent: positive.optional() });
const schema = strictObject({ per_key: keyLimits.optional(), keys: z.record(z.string(), keyLimits).optional() });

const NONE: LimitsConfig = Object.freeze({ perKey: {}, keys: new Map() });
const cache = new WeakMap<GatewayConfig, { limits: LimitsConfig; diagnostics: ConfigDiagnostic[] }>();

/** The native `limits:` section, compiled once per config; diagnostics name YAML paths. */
export function compileLimits(config: GatewayConfig): { limits: LimitsConfig; diagnostics: ConfigDiagnostic[] } {
  let hit = cache.get(config);
  if (!hit) {
    hit = compile(config.extensions.limits);
    cache.set(config, hit);
  }
  return hit;
}

/** The limits that apply to one key. */
export function limitsFor(config: GatewayConfig, keyId: string): KeyLimits {
  const { limits } = compileLimits(config);
  return limits.keys.get(keyId) ?? limits.perKey;
}

function compile(raw: unknown): { limits: LimitsConfig; diagnostics: ConfigDiagnostic[] } {
  if (raw === undefined || raw === null) return { limits: NONE, diagnostics: [] };
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { limits: NONE, diagnostics: zodIssuesToDiagnostics(parsed.error.issues, { prefix: ['limits'] }) };
  const toLimits = (l: z.infer<typeof keyLimits> | undefined): KeyLimits => ({
    ...(l?.rpm ? { rpm: l.rpm } : {}),
    ...(l?.tpm ? { tpm: l.tpm } : {}),
    ...(l?.max_concurrent ? { maxConcurrent: l.max_concurrent } : {}),
  });
  const keys = new Map(Object.entries(parsed.data.keys ?? {}).map(([id, l]) => [id, toLimits(l)]));
  return { limits: { perKey: toLimits(parsed.data.per_key), keys }, diagnostics: [] };
}
