import type { Registry } from 'prom-client';

/**
 * Counters and histograms whose label children are plain objects: recording is an addition (and a bucket
 * search), with no label hashing or validation per call as prom-client's own children do. prom-client's
 * registry still renders them: each registers itself as a metric whose `get()` is read at scrape.
 */
type Sample = { labels: Record<string, string>; value: number; metricName?: string };

function labelsOf(names: readonly string[], values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  names.forEach((n, i) => (labels[n] = values[i] ?? ''));
  return labels;
}

/**
 * A metric's children by label values, one Map level per label: a lookup builds no key string, and the values
 * (mostly the same string objects every time: surface, model, status) have their hashes cached.
 */
class Children<C> {
  private readonly root = new Map<string, unknown>();
  readonly all: C[] = [];

  constructor(private readonly create: (values: readonly string[]) => C) {}

  get(values: readonly string[]): C {
    let level = this.root;
    const last = values.length - 1;
    for (let i = 0; i < last; i++) {
      const value = values[i] ?? '';
      let next = level.get(value) as Map<string, unknown> | undefined;
      if (!next) level.set(value, (next = new Map()));
      level = next;
    }
    const key = values[last] ?? '';
    let child = level.get(key) as C | undefined;
    if (!child) {
      level.set(key, (child = this.create(values)));
      this.all.push(child);
    }
    return child;
  }

  clear(): void {
    this.root.clear();
    this.all.length = 0;
  }
}

export class CounterChild {
  value = 0;
  constructor(readonly labels: Record<string, string>) {}
  inc(n = 1): void {
    if (n > 0) this.value += n;
  }
}

export class FastCounter {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  private readonly children = new Children((values) => new CounterChild(labelsOf(this.labelNames, values)));

  constructor(readonly name: string, readonly help: string, readonly labelNames: readonly string[], registry: Registry) {
    registry.registerMetric(this as never);
  }

  /** The child for these label values (in labelNames order), created once. */
  labels(...values: string[]): CounterChild {
    return this.children.get(values);
  }

  get(): { name: string; help: string; type: string; aggregator: string; values: Sample[] } {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.children.all.map((c) => ({ labels: c.labels, value: c.value })) };
  }

  reset(): void {
    this.children.clear();
  }
}

export class HistogramChild {
  /** Per-bucket counts (not cumulative); the last slot is +Inf. */
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly labels: Record<string, string>, private readonly upper: readonly number[]) {
    this.counts = new Array<number>(upper.length + 1).fill(0);
  }
  observe(v: number): void {
    const upper = this.upper;
    let i = 0;
    while (i < upper.length && v > upper[i]!) i++;
    this.counts[i]!++;
    this.sum += v;
    this.count++;
  }
}

export class FastHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly children = new Children((values) => new HistogramChild(labelsOf(this.labelNames, values), this.buckets));
  private readonly le: string[];

  constructor(readonly name: string, readonly help: string, readonly labelNames: readonly string[], readonly buckets: readonly number[], registry: Registry) {
    this.le = [...buckets.map(String), '+Inf'];
    registry.registerMetric(this as never);
  }

  labels(...values: string[]): HistogramChild {
    return this.children.get(values);
  }

  get(): { name: string; help: string; type: string; aggregator: string; values: Sample[] } {
    const values: Sample[] = [];
    for (const c of this.children.all) {
      let cumulative = 0;
      c.counts.forEach((n, i) => {
        cumulative += n;
        values.push({ metricName: `${this.name}_bucket`, labels: { ...c.labels, le: this.le[i]! }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_sum`, labels: c.labels, value: c.sum });
      values.push({ metricName: `${this.name}_count`, labels: c.labels, value: c.count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.children.clear();
  }
}
