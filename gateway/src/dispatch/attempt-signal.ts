import type { Deployment } from '../config/types.js';
import { GatewayError } from '../core/errors.js';
import { RequestSignal, type AbortSignalLike } from '../core/request-signal.js';

/** A signal for one upstream attempt: aborted by the client's signal or after `timeoutMs`, whichever comes first. */
export function attemptSignal(parent: AbortSignalLike, timeoutMs: number | undefined): { signal: AbortSignalLike; dispose: () => void } {
  const timers = attemptTimers(parent, { timeoutMs });
  return { signal: timers.signal, dispose: timers.dispose };
}

/** The timers of one attempt: total, time to first byte, then the idle gap between stream chunks. */
export interface AttemptTimers {
  signal: AbortSignalLike;
  /** The first chunk arrived: the first-byte timer stops and the idle timer starts. */
  firstByte: () => void;
  /** A chunk arrived: the idle timer starts over. */
  tick: () => void;
  dispose: () => void;
}

type Timeouts = Pick<Deployment, 'timeoutMs' | 'firstByteTimeoutMs' | 'idleTimeoutMs'>;

const noop = () => {};

/** Starts an attempt's timers; with no timeout configured it is the client's signal itself and costs nothing. */
export function attemptTimers(parent: AbortSignalLike, t: Timeouts): AttemptTimers {
  if (!t.timeoutMs && !t.firstByteTimeoutMs && !t.idleTimeoutMs) return { signal: parent, firstByte: noop, tick: noop, dispose: noop };
  const signal = new RequestSignal();
  const onAbort = () => signal.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  const fire = (what: string, ms: number) => () =>
    signal.abort(new GatewayError('timeout', `Upstream ${what} within ${ms} ms`, { code: 'upstream_timeout' }));
  const start = (what: string, ms: number | undefined) => {
    if (!ms) return undefined;
    const timer = setTimeout(fire(what, ms), ms);
    timer.unref();
    return timer;
  };
  const total = start('did not answer', t.timeoutMs);
  let phase = start('sent no first byte', t.firstByteTimeoutMs);
  return {
    signal,
    firstByte: () => {
      clearTimeout(phase);
      phase = start('stream stalled: no chunk', t.idleTimeoutMs);
    },
    // refresh() re-arms the same timer: no allocation per chunk.
    tick: () => void phase?.refresh(),
    dispose: () => {
      clearTimeout(total);
      clearTimeout(phase);
      parent.removeEventListener('abort', onAbort);
    },
  };
}
