import type { GatewayConfig } from '../config/types.js';
import type { Usage } from '../core/chat-response.js';
import { GatewayError } from '../core/errors.js';
import { limitsFor } from './limits-config.js';
import { rateLimitHeaders, type LimitReport } from './rate-limit-headers.js';
import type { RateWindows } from './rate-windows.js';
import { recordRateLimitRefusal } from '../telemetry/metrics.js';

const MINUTE_MS = 60_000;

/** What admission took for one request, given back or corrected when it settles. */
export interface HeldLimits {
  slotKey?: string;
  tpmKey?: string;
  reservedTokens: number;
  /** When the token window that holds the reservation ends (Date.now() ms). */
  tpmWindowEndsAt: number;
}

/**
 * Checks the caller's key against its limits: concurrent requests, requests per minute, then tokens per
 * minute (input estimate plus `max_tokens`, reserved now and corrected at settle). Throws a 429 with
 * `retry-after` and `x-ratelimit-*` headers; returns what it holds, or undefined when the key has no limits.
 */
export async function admitKeyLimits(
  config: GatewayConfig,
  windows: RateWindows,
  keyId: string,
  input: { maxTokens?: number; estimateInputTokens: () => number },
): Promise<HeldLimits | undefined> {
  const limits = limitsFor(config, keyId);
  if (!limits.rpm && !limits.tpm && !limits.maxConcurrent) return undefined;
  const held: HeldLimits = { reservedTokens: 0, tpmWindowEndsAt: 0 };
  if (limits.maxConcurrent) {
    const slotKey = `key:${keyId}:concurrent`;
    if (!(await windows.acquire(slotKey, limits.maxConcurrent))) {
      refuse(keyId, { name: 'concurrent', limit: limits.maxConcurrent, used: limits.maxConcurrent, resetInMs: 1000 });
    }
    held.slotKey = slotKey;
  }
  try {
    if (limits.rpm) {
      const hit = await windows.hit(`key:${keyId}:rpm`, limits.rpm, MINUTE_MS, 1);
      if (!hit.allowed) refuse(keyId, { name: 'requests', limit: limits.rpm, used: hit.count, resetInMs: hit.resetInMs });
    }
    if (limits.tpm) {
      const tokens = input.estimateInputTokens() + (input.maxTokens ?? 0);
      const tpmKey = `key:${keyId}:tpm`;
      const hit = await windows.hit(tpmKey, limits.tpm, MINUTE_MS, tokens);
      if (!hit.allowed) refuse(keyId, { name: 'tokens', limit: limits.tpm, used: hit.count, resetInMs: hit.resetInMs });
      Object.assign(held, { tpmKey, reservedTokens: tokens, tpmWindowEndsAt: Date.now() + hit.resetInMs });
    }
  } catch (err) {
    if (held.slotKey) await windows.release(held.slotKey);
    throw err;
  }
  return held;
}

/** Gives the concurrency slot back and corrects the token reservation to what the request really used. */
export async function settleKeyLimits(windows: RateWindows, held: HeldLimits, usage: Usage | undefined): Promise<void> {
  if (held.slotKey) await windows.release(held.slotKey);
  if (!held.tpmKey || !usage || Date.now() >= held.tpmWindowEndsAt) return;
  const delta = usage.total_tokens - held.reservedTokens;
  if (delta !== 0) await windows.hit(held.tpmKey, Number.MAX_SAFE_INTEGER, MINUTE_MS, delta);
}

function refuse(keyId: string, report: LimitReport): never {
  recordRateLimitRefusal('key', report.name);
  const what = report.name === 'concurrent' ? 'concurrent requests' : `${report.name} per minute`;
  throw new GatewayError('rate_limit', `Rate limit reached for key '${keyId}': ${report.limit} ${what}; retry later`, {
    code: 'rate_limit_exceeded',
    headers: rateLimitHeaders(report),
  });
}
