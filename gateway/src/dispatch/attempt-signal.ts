import { GatewayError } from '../core/errors.js';

/** A signal for one upstream attempt: aborted by the client's signal or after `timeoutMs`, whichever comes first. */
export function attemptSignal(parent: AbortSignal, timeoutMs: number | undefined): { signal: AbortSignal; dispose: () => void } {
  if (!timeoutMs) return { signal: parent, dispose: () => {} };
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    controller.abort(new GatewayError('timeout', `Upstream did not answer within ${timeoutMs} ms`, { code: 'upstream_timeout' }));
  }, timeoutMs);
  timer.unref();
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
    },
  };
}
