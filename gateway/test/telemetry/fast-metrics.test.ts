import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FastCounter, FastHistogram } from '../../src/telemetry/fast-metrics.js';

describe('fast metric children', () => {
  it('are one per label-value list, whatever string objects carry the values', async () => {
    const registry = new Registry();
    const counter = new FastCounter('t_requests_total', 'requests', ['surface', 'model'], registry);
    counter.labels('chat', 'm1').inc();
    counter.labels(['ch', 'at'].join(''), `m${1}`).inc(2);
    counter.labels('chat', 'm2').inc();
    // values that would join to the same text stay apart
    counter.labels('a\u0001b', 'c').inc();
    counter.labels('a', 'b\u0001c').inc();
    const text = await registry.metrics();
    expect(text).toContain('t_requests_total{surface="chat",model="m1"} 3');
    expect(text).toContain('t_requests_total{surface="chat",model="m2"} 1');
    expect(text.split('\n').filter((l) => l.startsWith('t_requests_total{'))).toHaveLength(4);
  });

  it('render histograms per child with cumulative buckets, and start over after reset', async () => {
    const registry = new Registry();
    const histogram = new FastHistogram('t_seconds', 'latency', ['surface'], [0.1, 1], registry);
    histogram.labels('chat').observe(0.05);
    histogram.labels('chat').observe(0.5);
    histogram.labels('messages').observe(2);
    const text = await registry.metrics();
    expect(text).toContain('t_seconds_bucket{surface="chat",le="0.1"} 1');
    expect(text).toContain('t_seconds_bucket{surface="chat",le="1"} 2');
    expect(text).toContain('t_seconds_bucket{surface="messages",le="+Inf"} 1');
    expect(text).toContain('t_seconds_count{surface="chat"} 2');
    histogram.reset();
    histogram.labels('chat').observe(0.5);
    expect(await registry.metrics()).toContain('t_seconds_count{surface="chat"} 1');
    expect(await registry.metrics()).not.toContain('surface="messages"');
  });
});
