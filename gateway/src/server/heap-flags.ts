import { setFlagsFromString } from 'node:v8';

/**
 * V8's allocation-site pretenuring: once enough objects from one allocation site survive a scavenge, V8 allocates
 * everything that site makes straight in the old generation, where only a full GC frees it. In a gateway the same
 * sites make a request's state, which lives while the upstream thinks or streams, and objects that die within a
 * chunk. With 2,000 streams open, the per-chunk garbage went to the old generation (1.5–1.9 MB a second until
 * the next full GC) and raised peak RSS by about 25 MB; without pretenuring the old generation stayed flat and
 * CPU per request did not move beyond the noise (wrk, 64 and 256 connections). See load-tests/README.md.
 */
const NO_PRETENURING = '--no-allocation-site-pretenuring';

/** The V8 flags the server sets, unless node was started with an explicit choice about the same flag. */
export function heapFlags(execArgv: readonly string[]): string[] {
  return execArgv.some((arg) => /^--(no-)?allocation[-_]site[-_]pretenuring$/.test(arg)) ? [] : [NO_PRETENURING];
}

/** Sets the server's V8 flags; call once at start, before the server takes traffic. */
export function tuneHeap(): void {
  for (const flag of heapFlags(process.execArgv)) setFlagsFromString(flag);
}
