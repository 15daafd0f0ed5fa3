import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracingEnabled } from '../../src/telemetry/start-tracing.js';
import { compileTelemetry } from '../../src/telemetry/telemetry-config.js';
import { traceHooks } from '../../src/telemetry/trace-hooks.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

/** A real OTLP/HTTP receiver on loopback: collects what the exporter posts to /v1/traces (OTLP JSON). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  status?: { code?: number };
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
  events?: Array<{ name: string }>;
}

let receiver: Server;
const bodies: string[] = [];
const contentTypes: string[] = [];
let failing: MockOpenAI;
let good: MockOpenAI;

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';
const PROMPT = 'The secret launch code is swordfish-42, keep it out of traces.';

function spans(): OtlpSpan[] {
  return bodies.flatMap((b) => JSON.parse(b).resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans)));
}
function attr(span: OtlpSpan, key: string): unknown {
  const v = span.attributes.find((a) => a.key === key)?.value;
  if (!v) return undefined;
  const raw = v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue ?? v.arrayValue;
  return typeof raw === 'string' && v.intValue !== undefined ? Number(raw) : raw;
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        bodies.push(Buffer.concat(chunks).toString());
        contentTypes.push(String(req.headers['content-type']));
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  [failing, good] = await Promise.all([startMockOpenAI(), startMockOpenAI()]);
  failing.setDefault({ kind: 'error', status: 503, body: { error: { message: 'overloaded' } } });
});
afterAll(async () => {
  await Promise.all([failing?.close(), good?.close()]);
  await new Promise((r) => receiver.close(r));
});

describe('OpenTelemetry traces', () => {
  let gw: TestGateway;

  it('exports a server span per request and a client span per upstream attempt, continuing the client trace', async () => {
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const { telemetry } = compileTelemetry({ tracing: { enabled: true, endpoint, sample_ratio: 1, service_name: 'switchyard-test' } });
    gw = await startTestGateway(testConfig([{ name: 'premium', baseUrl: failing.url }, { name: 'premium', baseUrl: good.url }], { extensions: { telemetry } }));
    expect(traceHooks()).toBeDefined();
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` },
      body: JSON.stringify({ model: 'premium', max_tokens: 64, temperature: 0.2, messages: [{ role: 'user', content: PROMPT }] }),
    });
    expect(res.status).toBe(200);
    await res.text();
    const counted = await fetch(`${gw.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'premium', messages: [{ role: 'user', content: 'count me' }] }),
    });
    expect(counted.status).toBe(200);
    await gw.close(); // flushes the batch processor
    expect(traceHooks()).toBeUndefined();

    const all = spans();
    expect(contentTypes[0]).toContain('application/json');
    // only ended spans are exported: the count_tokens request's server span ended too
    expect(all.filter((s) => s.kind === 2).map((s) => attr(s, 'switchyard.surface')).sort()).toEqual(['anthropic.count_tokens', 'openai.chat']);
    const server = all.find((s) => s.kind === 2 && attr(s, 'switchyard.surface') === 'openai.chat')!;
    expect(server).toBeDefined();
    expect(server.traceId).toBe(TRACE_ID);
    expect(server.parentSpanId).toBe(CLIENT_SPAN);
    expect(server.name).toBe('chat premium');
    expect(attr(server, 'gen_ai.operation.name')).toBe('chat');
    expect(attr(server, 'gen_ai.request.model')).toBe('premium');
    expect(attr(server, 'gen_ai.response.model')).toBe('premium-upstream');
    expect(attr(server, 'gen_ai.provider.name')).toBe('openai');
    expect(attr(server, 'gen_ai.request.max_tokens')).toBe(64);
    expect(attr(server, 'gen_ai.request.temperature')).toBe(0.2);
    expect(attr(server, 'gen_ai.usage.input_tokens')).toBeGreaterThan(0);
    expect(attr(server, 'gen_ai.usage.output_tokens')).toBeGreaterThan(0);
    expect(attr(server, 'switchyard.deployment')).toBe('premium#1');
    expect(attr(server, 'switchyard.cost_usd')).toBeGreaterThan(0);
    expect(attr(server, 'http.response.status_code')).toBe(200);

    const attempts = all.filter((s) => s.kind === 3).sort((a, b) => String(attr(a, 'switchyard.deployment')).localeCompare(String(attr(b, 'switchyard.deployment'))));
    expect(attempts.map((s) => [attr(s, 'switchyard.deployment'), attr(s, 'error.type') ?? 'ok', s.status?.code ?? 0])).toEqual([
      ['premium#0', 'server_error', 2],
      ['premium#1', 'ok', 0],
    ]);
    for (const a of attempts) {
      expect(a.traceId).toBe(TRACE_ID);
      expect(a.parentSpanId).toBe(server.spanId);
      expect(a.name).toBe('chat premium-upstream');
      expect(attr(a, 'server.address')).toBe('127.0.0.1');
    }
    // each upstream got the traceparent of its own attempt span
    expect(failing.requests[0]!.headers.traceparent).toBe(`00-${TRACE_ID}-${attempts[0]!.spanId}-01`);
    expect(good.requests.at(-1)!.headers.traceparent).toBe(`00-${TRACE_ID}-${attempts[1]!.spanId}-01`);
    // no prompt text unless capture_content is on; the request log line carries the trace id
    expect(bodies.join('')).not.toContain('swordfish');
    expect(gw.logs.find((l) => l.msg === 'request')?.trace_id).toBe(TRACE_ID);
  });
});

describe('tracing switch', () => {
  const off = testConfig([{ name: 'm', baseUrl: 'http://127.0.0.1:1/v1' }]);
  const on = testConfig([{ name: 'm', baseUrl: 'http://127.0.0.1:1/v1' }], { extensions: { telemetry: compileTelemetry({ tracing: { enabled: true } }).telemetry } });
  it('is off by default, on through the standard OTEL_* variables or the config, and OTEL_SDK_DISABLED wins', () => {
    expect(tracingEnabled(off, {})).toBe(false);
    expect(tracingEnabled(off, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingEnabled(off, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingEnabled(off, { OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(tracingEnabled(on, {})).toBe(true);
    expect(tracingEnabled(on, { OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(tracingEnabled(on, { OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
  });
});
