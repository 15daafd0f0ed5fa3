import type { RequestRecord } from './request-log.js';

/** Requests being served, from their context's creation until their response closes (for the in-flight gauges). */
const live = new Set<RequestRecord>();

export function trackRequest(record: RequestRecord): void {
  live.add(record);
}

export function untrackRequest(record: RequestRecord): void {
  live.delete(record);
}

/** Whether a request besides the caller's own is being served (the caller's is live until its response closes). */
export function othersInFlight(): boolean {
  return live.size > 1;
}

/** The live requests as the gauges read them at scrape. */
export function* liveRequests(): Iterable<{ surface: string; streaming: boolean }> {
  for (const r of live) yield { surface: r.surface, streaming: r.stream === true && r.ttftMs !== undefined };
}
