import type { Deployment } from '../config/types.js';
import { GatewayError } from '../core/errors.js';
import type { Route } from '../routing/resolve-model.js';
import { retryDelay, sleep } from './backoff.js';
import { classifyFailure, type Failure } from './classify-failure.js';
import type { CooldownState, Health } from './cooldowns.js';
import { DEFAULT_POLICY, retriesFor, retryClassOf, type ResiliencePolicy } from './resilience-policy.js';
import { attemptFailed, attemptSucceeded, cooldownStarted, fellBack, runAttempt, retrying, skipped } from '../telemetry/dispatch-observer.js';
import { RequestSignal, type AbortSignalLike } from '../core/request-signal.js';

/** Admission of one attempt on a deployment against its provider limits (rpm/tpm); see limits/. */
export interface DeploymentGate {
  /** Undefined when the deployment may take the attempt now, else the ms until it may. */
  tryAcquire(deployment: Deployment, nowMs: number): number | undefined | Promise<number | undefined>;
}

/** What dispatch uses beyond the route's candidates: policy, shared cooldowns and deployment limits. */
export interface Resilience {
  policy: ResiliencePolicy;
  cooldowns?: CooldownState;
  gate?: DeploymentGate;
  /** Tried instead of the remaining candidates when a prompt overflowed a context window. */
  contextFallbacks: readonly Deployment[];
  random?: () => number;
}

/** A route as admission hands it to dispatch: the candidates already include configured fallbacks. */
export interface DispatchRoute extends Route {
  resilience?: Resilience;
}

const NO_RESILIENCE: Resilience = { policy: { ...DEFAULT_POLICY, baseDelayMs: 0 }, contextFallbacks: [] };

/**
 * Runs `attempt` on the route's candidates in order until one succeeds. A retryable failure is retried on the
 * same deployment as the policy allows (backoff with full jitter, `retry-after` up to a cap), then the next
 * candidate is tried after a backoff; a context overflow jumps to the context-window fallbacks; anything else
 * is thrown at once. Cooling and rate-limited deployments are skipped; if all were, the answer is a 503.
 */
export async function tryCandidates<T>(route: Route, attempt: (deployment: Deployment) => Promise<T>, signal?: AbortSignalLike): Promise<T> {
  const r = (route as DispatchRoute).resilience ?? NO_RESILIENCE;
  const { policy } = r;
  const run: Run = {
    r,
    random: r.random ?? Math.random,
    deadline: Date.now() + policy.deadlineMs,
    // A lone deployment is never skipped for cooling: there is nothing better to send the request to.
    cooldowns: route.candidates.length > 1 ? r.cooldowns : undefined,
    signal: signal ?? new RequestSignal(),
    steps: 0,
  };
  let queue: readonly Deployment[] = route.candidates;
  let lastError: GatewayError | undefined;
  let soonestMs: number | undefined;

  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < queue.length && Date.now() < run.deadline; i++) {
      const deployment = queue[i]!;
      const pending = blocked(deployment, run);
      const blockedFor = pending instanceof Promise ? await pending : pending;
      if (blockedFor !== undefined) {
        soonestMs = Math.min(soonestMs ?? Infinity, blockedFor);
        continue;
      }
      if (run.steps++ > 0 && policy.baseDelayMs > 0) {
        const delay = retryDelay(0, undefined, policy, run.deadline - Date.now(), run.random);
        if (delay === undefined) break;
        await sleep(delay, run.signal);
      }
      if (run.left) {
        fellBack(run.left.deployment, run.left.cls);
        run.left = undefined;
      }
      const outcome = await attemptWithRetries(deployment, attempt, run);
      if ('result' in outcome) return outcome.result;
      lastError = outcome.failure.error;
      run.left = { deployment, cls: outcome.cls };
      if (outcome.failure.contextOverflow) {
        queue = largerWindows(r.contextFallbacks, deployment, queue, i);
        i = -1;
      }
    }
    // Every candidate was blocked: wait for the first to come back when that is within the configured bound.
    const wait = soonestMs;
    if (lastError || run.steps > 0 || wait === undefined || wait > policy.cooldown.waitMs || Date.now() + wait >= run.deadline) break;
    await sleep(wait, run.signal);
    soonestMs = undefined;
  }
  if (lastError) throw lastError;
  if (soonestMs !== undefined) {
    const seconds = Math.max(1, Math.ceil(soonestMs / 1000));
    throw new GatewayError('unavailable', `Every deployment for '${route.modelName}' is cooling down or at its rate limit; retry in ${seconds} s`, {
      code: 'all_deployments_cooling',
      headers: { 'retry-after': String(seconds) },
    });
  }
  throw new GatewayError('unavailable', `No deployment available for model '${route.modelName}'`);
}

interface Run {
  r: Resilience;
  random: () => number;
  deadline: number;
  cooldowns: CooldownState | undefined;
  signal: AbortSignalLike;
  /** Deployments attempted so far. */
  steps: number;
  /** The deployment last given up on, and why: the next attempt elsewhere is a fallback. */
  left?: { deployment: Deployment; cls: string };
}

/** One deployment: the first attempt and its retries. Throws what must not be tried elsewhere. */
async function attemptWithRetries<T>(deployment: Deployment, attempt: (deployment: Deployment) => Promise<T>, run: Run): Promise<{ result: T } | { failure: Failure; cls: string }> {
  const { policy } = run.r;
  for (let retry = 0; ; retry++) {
    let failure: Failure;
    try {
      const result = await runAttempt(deployment, retry, () => attempt(deployment));
      attemptSucceeded(deployment);
      if (run.cooldowns) await run.cooldowns.succeed(deployment.id);
      return { result };
    } catch (err) {
      failure = classifyFailure(err);
    }
    const cls = attemptFailed(deployment, failure);
    if (failure.aborted) throw failure.error;
    if (failure.contextOverflow) return { failure, cls };
    if (!failure.retryable) throw failure.error;
    if (run.cooldowns) {
      const until = await run.cooldowns.fail(deployment.id, Date.now(), policy.cooldown, failure.status === 429 ? failure.retryAfterMs : undefined);
      if (until !== undefined) cooldownStarted(deployment, until);
    }
    if (retry >= retriesFor(policy, retryClassOf(failure.status, failure.error.kind))) return { failure, cls };
    const delay = retryDelay(retry, failure.retryAfterMs, policy, run.deadline - Date.now(), run.random);
    if (delay === undefined) return { failure, cls };
    retrying(deployment, cls);
    await sleep(delay, run.signal);
  }
}

/** Ms until the deployment may be used, or undefined when it may be used now (sync for in-process state). */
function blocked(deployment: Deployment, run: Run): number | undefined | Promise<number | undefined> {
  const now = Date.now();
  const gate = run.r.gate;
  if (!run.cooldowns) return gate ? gated(gate, deployment, now) : undefined;
  const health = run.cooldowns.check(deployment.id, now);
  const after = (h: Health) => {
    if (h.state !== 'cooling') return gate ? gated(gate, deployment, now) : undefined;
    skipped(deployment, 'cooling', h.untilMs);
    return h.untilMs - now;
  };
  return health instanceof Promise ? health.then(after) : after(health);
}

/** The deployment gate's answer, with a skip recorded when it holds the deployment back. */
function gated(gate: DeploymentGate, deployment: Deployment, now: number): number | undefined | Promise<number | undefined> {
  const wait = gate.tryAcquire(deployment, now);
  if (wait === undefined) return undefined;
  const note = (ms: number | undefined) => {
    if (ms !== undefined) skipped(deployment, 'rate_limited');
    return ms;
  };
  return wait instanceof Promise ? wait.then(note) : note(wait);
}

/** After an overflow on `failed`: the context fallbacks, then untried candidates, keeping only larger windows. */
function largerWindows(contextFallbacks: readonly Deployment[], failed: Deployment, queue: readonly Deployment[], at: number): Deployment[] {
  const floor = failed.contextWindow ?? 0;
  const seen = new Set<string>([failed.id]);
  const out: Deployment[] = [];
  for (const d of [...contextFallbacks, ...queue.slice(at + 1)]) {
    if (seen.has(d.id)) continue;
    seen.add(d.id);
    if (d.contextWindow === undefined || d.contextWindow > floor) out.push(d);
  }
  return out;
}
