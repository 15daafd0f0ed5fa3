import type { Deployment } from '../config/types.js';
import type { DeploymentGate } from '../dispatch/try-candidates.js';
import type { RateWindows } from './rate-windows.js';

const MINUTE_MS = 60_000;

/**
 * Keeps each deployment under its provider's limits (`rpm`, `tpm`): an attempt counts against the minute's
 * requests; tokens are counted at settle, and a deployment whose minute is spent is skipped until it rolls over,
 * so the request goes to the next candidate before the provider answers 429.
 */
export function deploymentGate(windows: RateWindows): DeploymentGate {
  return {
    tryAcquire(deployment, _now) {
      if (!deployment.rpm && !deployment.tpm) return undefined;
      return check(windows, deployment);
    },
  };
}

async function check(windows: RateWindows, d: Deployment): Promise<number | undefined> {
  if (d.tpm) {
    const tokens = await windows.hit(tpmKey(d), d.tpm, MINUTE_MS, 0);
    if (tokens.count >= d.tpm) return tokens.resetInMs;
  }
  if (d.rpm) {
    const requests = await windows.hit(`dep:${d.id}:rpm`, d.rpm, MINUTE_MS, 1);
    if (!requests.allowed) return requests.resetInMs;
  }
  return undefined;
}

/** Counts the tokens a deployment served against its minute. */
export async function countDeploymentTokens(windows: RateWindows, d: Deployment, tokens: number): Promise<void> {
  if (d.tpm && tokens > 0) await windows.hit(tpmKey(d), Number.MAX_SAFE_INTEGER, MINUTE_MS, tokens);
}

const tpmKey = (d: Deployment) => `dep:${d.id}:tpm`;
