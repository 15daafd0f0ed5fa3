/**
 * Per-minute traffic aggregates for the web console, fed from the settle stage: fixed buckets reused as the
 * minutes roll, so recording is a few additions. Labels (tiers, rules, deployments) come from the config.
 */

/** Minutes kept: the console's charts span the last hour. */
export const MINUTES = 60;
// Latency histogram: 8 bins per doubling from 1 ms, up to ~2^18 ms; a percentile is known to within ~9 %.
const BINS_PER_DOUBLING = 8;
const BINS = 18 * BINS_PER_DOUBLING;

const binOf = (ms: number) => Math.min(BINS - 1, Math.max(0, Math.floor(Math.log2(ms + 1) * BINS_PER_DOUBLING)));
const binUpperMs = (bin: number) => 2 ** ((bin + 1) / BINS_PER_DOUBLING) - 1;

class MinuteBucket {
  minute = -1;
  requests = 0;
  clientErrors = 0;
  serverErrors = 0;
  costMicros = 0;
  savingsMicros = 0;
  readonly latency = new Uint32Array(BINS);
  readonly tiers = new Map<string, number>();

  reset(minute: number): void {
    this.minute = minute;
    this.requests = this.clientErrors = this.serverErrors = this.costMicros = this.savingsMicros = 0;
    this.latency.fill(0);
    this.tiers.clear();
  }
}

export interface DeploymentTraffic {
  requests: number;
  errors: number;
  lastStatus: number;
  lastAt: number;
  lastError?: string;
  lastErrorAt?: number;
}

export interface SettledRequest {
  at: number;
  status: number;
  latencyMs: number;
  costMicros: number;
  savingsMicros: number;
  tier?: string;
  ruleKey?: string;
  deployment?: string;
  error?: string;
}

export interface MinutePoint {
  /** Epoch ms of the minute's start. */
  t: number;
  requests: number;
  client_errors: number;
  server_errors: number;
  cost_micros: number;
  savings_micros: number;
  tiers: Record<string, number>;
}

export class TrafficStats {
  private readonly buckets = Array.from({ length: MINUTES }, () => new MinuteBucket());
  readonly ruleHits = new Map<string, number>();
  readonly deployments = new Map<string, DeploymentTraffic>();
  readonly totals = { requests: 0, clientErrors: 0, serverErrors: 0, costMicros: 0, savingsMicros: 0 };

  record(r: SettledRequest): void {
    const minute = Math.floor(r.at / 60_000);
    const bucket = this.buckets[minute % MINUTES]!;
    if (bucket.minute !== minute) bucket.reset(minute);
    const clientError = r.status >= 400 && r.status < 500;
    const serverError = r.status >= 500 || r.status === 0;
    bucket.requests++;
    bucket.latency[binOf(r.latencyMs)]!++;
    bucket.costMicros += r.costMicros;
    bucket.savingsMicros += r.savingsMicros;
    if (clientError) bucket.clientErrors++;
    if (serverError) bucket.serverErrors++;
    if (r.tier) bucket.tiers.set(r.tier, (bucket.tiers.get(r.tier) ?? 0) + 1);
    if (r.ruleKey) this.ruleHits.set(r.ruleKey, (this.ruleHits.get(r.ruleKey) ?? 0) + 1);
    const t = this.totals;
    t.requests++;
    t.costMicros += r.costMicros;
    t.savingsMicros += r.savingsMicros;
    if (clientError) t.clientErrors++;
    if (serverError) t.serverErrors++;
    if (r.deployment) {
      let d = this.deployments.get(r.deployment);
      if (!d) this.deployments.set(r.deployment, (d = { requests: 0, errors: 0, lastStatus: 0, lastAt: 0 }));
      d.requests++;
      d.lastStatus = r.status;
      d.lastAt = r.at;
      if (r.status >= 500 || r.status === 0) {
        d.errors++;
        d.lastError = r.error;
        d.lastErrorAt = r.at;
      }
    }
  }

  /** The last `minutes` minutes, oldest first, empty minutes included. */
  series(now: number, minutes = MINUTES): MinutePoint[] {
    const current = Math.floor(now / 60_000);
    const out: MinutePoint[] = [];
    for (let m = current - Math.min(minutes, MINUTES) + 1; m <= current; m++) {
      const b = this.buckets[m % MINUTES]!;
      const live = b.minute === m;
      out.push({
        t: m * 60_000,
        requests: live ? b.requests : 0,
        client_errors: live ? b.clientErrors : 0,
        server_errors: live ? b.serverErrors : 0,
        cost_micros: live ? b.costMicros : 0,
        savings_micros: live ? b.savingsMicros : 0,
        tiers: live ? Object.fromEntries(b.tiers) : {},
      });
    }
    return out;
  }

  /** Latency percentiles (ms, upper edge of the histogram bin) over the last `minutes` minutes; undefined without traffic. */
  latencyPercentiles(now: number, minutes: number, quantiles: readonly number[]): Array<number | undefined> {
    const current = Math.floor(now / 60_000);
    const merged = new Uint32Array(BINS);
    let count = 0;
    for (let m = current - Math.min(minutes, MINUTES) + 1; m <= current; m++) {
      const b = this.buckets[m % MINUTES]!;
      if (b.minute !== m) continue;
      for (let i = 0; i < BINS; i++) merged[i]! += b.latency[i]!;
      count += b.requests;
    }
    return quantiles.map((q) => {
      if (count === 0) return undefined;
      const rank = Math.max(1, Math.ceil(q * count));
      let seen = 0;
      for (let i = 0; i < BINS; i++) {
        seen += merged[i]!;
        if (seen >= rank) return Math.round(binUpperMs(i) * 10) / 10;
      }
      return undefined;
    });
  }
}
