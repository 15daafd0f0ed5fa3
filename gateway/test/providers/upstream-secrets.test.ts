import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../src/config/types.js';
import { scrubSecrets } from '../../src/core/scrub-secrets.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic-upstream.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { MASTER_KEY, PROVIDER_KEY, startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

/** A configured secret that looks like no known key format: only the config can say it is one. */
const PLAIN_SECRET = 'plain-provider-credential-4711';
const HEADER_SECRET = 'tenant-token-0f9e8d7c6b5a';
const OPENAI_QUOTE = `Incorrect API key provided: ${PROVIDER_KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`;
// Fake keys in the shapes the scrubber knows, assembled at run time so no key-shaped literal sits in the source.
const FAKE_ANTHROPIC_KEY = ['sk', 'ant', 'api03', 'FAKEFAKEFAKE0000000000'].join('-');
const FAKE_GOOGLE_KEY = 'AI' + 'za' + 'FAKE'.repeat(8) + '000';
const FAKE_GROQ_KEY = 'gsk' + '_' + 'FAKE'.repeat(5);
const STRAY_KEYS = `also tried ${FAKE_ANTHROPIC_KEY}, Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVl and api_key=zz9988776655`;
const SECRETS = [PROVIDER_KEY, PLAIN_SECRET, HEADER_SECRET, FAKE_ANTHROPIC_KEY, 'eyJhbGciOiJIUzI1NiJ9', 'zz9988776655'];

let openai: MockOpenAI;
let anthropic: MockAnthropic;
let inBand: Server;
let gw: TestGateway;

/** An OpenAI-compatible upstream that starts a stream, then fails in-band quoting what it was sent. */
async function startInBandFailure(): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null }] };
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      const quote = `key ${req.headers.authorization} and ${req.headers['x-tenant-auth']} rejected; ${STRAY_KEYS}`;
      res.end(`data: ${JSON.stringify({ error: { message: quote, type: 'invalid_request_error' } })}\n\n`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

function configWith(base: GatewayConfig): GatewayConfig {
  const models = new Map([...base.models].map(([name, group]) => [name, group.map((d) => (name === 'plain' ? { ...d, provider: { ...d.provider, apiKey: PLAIN_SECRET, headers: { 'x-tenant-auth': HEADER_SECRET } } } : d))]));
  return { ...base, models };
}

beforeAll(async () => {
  openai = await startMockOpenAI();
  anthropic = await startMockAnthropic();
  inBand = await startInBandFailure();
  const inBandUrl = `http://127.0.0.1:${(inBand.address() as AddressInfo).port}/v1`;
  gw = await startTestGateway(
    configWith(
      testConfig(
        [
          { name: 'gpt-test', baseUrl: openai.url },
          { name: 'plain', baseUrl: inBandUrl },
          { name: 'claude-test', baseUrl: anthropic.url, kind: 'anthropic' },
        ],
        { masterKey: MASTER_KEY },
      ),
    ),
  );
});
afterAll(async () => {
  await gw.close();
  await openai.close();
  await anthropic.close();
  await new Promise((r) => inBand.close(r));
});

const headers = { 'content-type': 'application/json', authorization: `Bearer ${MASTER_KEY}`, 'anthropic-version': '2023-06-01' };
const REQUESTS = [
  { path: '/v1/chat/completions', body: (model: string, stream: boolean) => ({ model, stream, messages: [{ role: 'user', content: 'hi' }] }) },
  { path: '/v1/messages', body: (model: string, stream: boolean) => ({ model, stream, max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }) },
  { path: '/v1/responses', body: (model: string, stream: boolean) => ({ model, stream, input: 'hi' }) },
];

async function call(path: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${gw.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

function expectClean(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/sk-[A-Za-z0-9]{6,}/);
}

describe('credentials quoted in upstream errors', () => {
  it.each(REQUESTS.flatMap((r) => [false, true].map((stream) => ({ ...r, stream }))))(
    'an upstream 401 quoting its key reaches $path (stream: $stream) without the key',
    async ({ path, body, stream }) => {
      openai.enqueue({ kind: 'error', status: 401, body: { error: { message: `${OPENAI_QUOTE} ${STRAY_KEYS}`, type: 'invalid_request_error', code: 'invalid_api_key' } } });
      const answer = await call(path, body('gpt-test', stream));
      expect(answer.status).toBe(401);
      expect(answer.text).toContain('Incorrect API key provided');
      expectClean(answer.text);
    },
  );

  it.each(REQUESTS.flatMap((r) => [false, true].map((stream) => ({ ...r, stream }))))(
    'an Anthropic upstream 401 quoting its key reaches $path (stream: $stream) without the key',
    async ({ path, body, stream }) => {
      anthropic.enqueue({ kind: 'error', status: 401, body: { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${PROVIDER_KEY}; ${STRAY_KEYS}` } } });
      const answer = await call(path, body('claude-test', stream));
      expect(answer.status).toBe(401);
      expect(answer.text).toContain('invalid x-api-key');
      expectClean(answer.text);
    },
  );

  it.each(REQUESTS)('an in-band stream error quoting configured secrets reaches $path without them', async ({ path, body }) => {
    const answer = await call(path, body('plain', true));
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('rejected');
    expectClean(answer.text);
  });

  it.each(REQUESTS)('an Anthropic in-band stream error quoting the key reaches $path without it', async ({ path, body }) => {
    const message = `overloaded for key ${PROVIDER_KEY}; ${STRAY_KEYS}`;
    anthropic.enqueue({ kind: 'text', text: 'Hello there', fault: { afterEvents: 2, kind: 'error', error: { type: 'api_error', message } } });
    const answer = await call(path, body('claude-test', true));
    expect(answer.text).toContain('overloaded for key');
    expectClean(answer.text);
  });

  it('no log line holds a credential', () => {
    expect(gw.rawLogs.length).toBeGreaterThan(0);
    expectClean(gw.rawLogs.join('\n'));
  });
});

describe('scrubSecrets', () => {
  it('removes configured secrets and key-shaped tokens, and leaves ordinary text alone', () => {
    expect(scrubSecrets(`bad key ${PLAIN_SECRET} here`, [PLAIN_SECRET])).toBe('bad key [redacted] here');
    expect(scrubSecrets('Authorization: Bearer abc.def-ghi_jkl')).toBe('Authorization: Bearer [redacted]');
    expect(scrubSecrets('Incorrect API key provided: sk-proj-abc1***************wxyz.')).toBe('Incorrect API key provided: [redacted].');
    expect(scrubSecrets(`key ${FAKE_GOOGLE_KEY} and ${FAKE_GROQ_KEY}`)).toBe('key [redacted] and [redacted]');
    expect(scrubSecrets('{"token": "abcdef123456"}')).toBe('{"token": "[redacted]"}');
    const plain = 'The model gpt-4o-mini is overloaded; try again in 20 seconds (task-queue full).';
    expect(scrubSecrets(plain, ['short'])).toBe(plain);
  });
});
