import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load-config.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { MASTER_KEY, startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';
import { compileTelemetry } from '../../src/telemetry/telemetry-config.js';

let gw: TestGateway | undefined;
let upstream: MockOpenAI | undefined;
afterEach(async () => {
  await gw?.close();
  await upstream?.close();
  gw = upstream = undefined;
});

describe('GET /metrics protection', () => {
  it('requires the configured bearer token when telemetry.metrics.bearer_token is set', async () => {
    upstream = await startMockOpenAI();
    const { telemetry } = compileTelemetry({ metrics: { bearer_token: 'scrape-token-123' } });
    gw = await startTestGateway(testConfig([{ name: 'm', baseUrl: upstream.url }], { extensions: { telemetry } }));
    const none = await fetch(`${gw.url}/metrics`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('invalid_metrics_token');
    expect((await fetch(`${gw.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const ok = await fetch(`${gw.url}/metrics`, { headers: { authorization: 'Bearer scrape-token-123' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('switchyard_requests_in_flight');
  });

  it("takes the gateway's API keys under LiteLLM's require_auth_for_metrics_endpoint", async () => {
    upstream = await startMockOpenAI();
    const { telemetry } = compileTelemetry(undefined, { require_auth_for_metrics_endpoint: true });
    gw = await startTestGateway(testConfig([{ name: 'm', baseUrl: upstream.url }], { masterKey: MASTER_KEY, extensions: { telemetry } }));
    expect((await fetch(`${gw.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${MASTER_KEY}` } })).status).toBe(200);
  });

  it('is open without either setting', async () => {
    upstream = await startMockOpenAI();
    gw = await startTestGateway(testConfig([{ name: 'm', baseUrl: upstream.url }]));
    expect((await fetch(`${gw.url}/metrics`)).status).toBe(200);
  });
});

describe('telemetry: config section', () => {
  const base = 'providers: {p: {kind: demo}}\nmodels: [{name: m, provider: p}]\n';
  it('compiles from a native config', () => {
    const r = loadConfigText(`${base}telemetry: {metrics: {bearer_token: abc}, tracing: {enabled: true, endpoint: 'http://127.0.0.1:4318', sample_ratio: 0.5}}\n`, 'x.yaml', {});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.extensions.telemetry).toMatchObject({ metricsBearerToken: 'abc', tracing: { enabled: true, endpoint: 'http://127.0.0.1:4318', sampleRatio: 0.5, captureContent: false } });
  });

  it('names the path and the fix of a bad entry', () => {
    const r = loadConfigText(`${base}telemetry: {metrics: {bearer_tokn: abc}, tracing: {endpoint: 'not a url'}}\n`, 'x.yaml', {});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.errors.map((e) => `${e.path}: ${e.message}`).join('\n');
    expect(text).toContain('telemetry.metrics.bearer_tokn');
    expect(text).toContain('did you mean "bearer_token"');
    expect(text).toContain('telemetry.tracing.endpoint');
  });

  it("accepts LiteLLM's require_auth_for_metrics_endpoint without a warning", () => {
    const r = loadConfigText('model_list: [{model_name: m, litellm_params: {model: openai/gpt-4o, api_key: sk-x}}]\nlitellm_settings: {require_auth_for_metrics_endpoint: true}\n', 'config.yaml', {});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.map((w) => w.path)).not.toContain('litellm_settings.require_auth_for_metrics_endpoint');
    expect(r.config.extensions.telemetry).toMatchObject({ metricsRequireApiKey: true });
  });
});
