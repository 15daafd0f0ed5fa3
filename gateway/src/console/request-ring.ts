import type { ComplexityCues } from '../routing/signals/types.js';

/** One finished request as the web console shows it: routing, usage, cost and timing, never prompt text. */
export interface RequestEntry {
  id: string;
  /** Epoch ms when the request ended. */
  at: number;
  surface: string;
  client?: string;
  /** The virtual key's alias (or id), `master` or `anonymous`. */
  key?: string;
  modelAsked?: string;
  /** The public model name that answered. */
  model?: string;
  deployment?: string;
  router?: string;
  tier?: string;
  rule?: string;
  reason?: string;
  /** `premium->standard` when a soft budget limit downgraded the tier. */
  downgraded?: string;
  promptTokens?: number;
  completionTokens?: number;
  costMicros: number;
  savingsMicros: number;
  latencyMs: number;
  ttftMs?: number;
  status: number;
  error?: string;
  /** Candidates ahead of the deployment that answered (skipped in cooldown or failed): 0 is the first choice. */
  fallbacks: number;
  stream?: boolean;
  aborted?: boolean;
  /** The classifier's signals (scalar fields only; the instruction text is left out). */
  signals?: EntrySignals;
}

export interface EntrySignals {
  mode: string;
  task: string;
  turn: string;
  depth: number;
  complexity: number;
  context_tokens: number;
  tools: number;
  images: boolean;
  hint_tier: string;
  role: string;
  cues: ComplexityCues;
}

/**
 * The most recent requests in a fixed-size array written round-robin: recording is one slot assignment,
 * so the settle stage pays nothing that grows with traffic.
 */
export class RequestRing {
  private readonly slots: Array<RequestEntry | undefined>;
  private next = 0;
  /** Requests recorded since start (the ring keeps the last `capacity`). */
  total = 0;

  constructor(readonly capacity: number) {
    this.slots = new Array<RequestEntry | undefined>(capacity);
  }

  push(entry: RequestEntry): void {
    this.slots[this.next] = entry;
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    this.total++;
  }

  /** Newest first, those that pass `keep`, at most `limit`. */
  recent(limit: number, keep: (e: RequestEntry) => boolean = () => true): RequestEntry[] {
    const out: RequestEntry[] = [];
    for (let i = 1; i <= this.capacity && out.length < limit; i++) {
      const entry = this.slots[(this.next - i + this.capacity) % this.capacity];
      if (!entry) break;
      if (keep(entry)) out.push(entry);
    }
    return out;
  }
}
