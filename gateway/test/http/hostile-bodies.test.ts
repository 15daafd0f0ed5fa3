import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai-upstream.js';
import { MASTER_KEY, startTestGateway, testConfig, type TestGateway } from '../support/test-gateway.js';

const LIMIT = 64 * 1024;
let upstream: MockOpenAI;
let gw: TestGateway;
const dataDir = mkdtempSync(join(tmpdir(), 'sy-hostile-'));

/** Every body-reading surface, a valid body for it and the error shape it answers in. */
const SURFACES = [
  { path: '/v1/chat/completions', shape: 'openai', body: { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] } },
  { path: '/chat/completions', shape: 'openai', body: { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] } },
  { path: '/v1/responses', shape: 'openai', body: { model: 'gpt-test', input: 'hi' } },
  { path: '/v1/messages', shape: 'anthropic', body: { model: 'gpt-test', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] } },
  { path: '/v1/messages/count_tokens', shape: 'anthropic', body: { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] } },
] as const;
type Surface = (typeof SURFACES)[number];

interface RawAnswer {
  status: number;
  body: string;
  /** A client-side error (EPIPE, reset …) that kept the client from reading the answer. */
  error?: string;
}

/**
 * A client that writes its whole request, in pieces (chunked or with a declared length, optionally slowly), and
 * reads the answer only once it has sent everything, as Python's `requests` does: a server that closes the
 * connection while the body is still coming makes it fail with EPIPE or a reset instead of reading the answer.
 */
function send(path: string, pieces: Buffer[], opts: { chunked?: boolean; gapMs?: number } = {}): Promise<RawAnswer> {
  const total = pieces.reduce((n, p) => n + p.length, 0);
  const framing = opts.chunked ? 'transfer-encoding: chunked' : `content-length: ${total}`;
  const head = `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nauthorization: Bearer ${MASTER_KEY}\r\nanthropic-version: 2023-06-01\r\nconnection: close\r\n${framing}\r\n\r\n`;
  const url = new URL(gw.url);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    const received: Buffer[] = [];
    let error: string | undefined;
    let sent = false;
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('error', (err: NodeJS.ErrnoException) => (error ??= `${err.code ?? ''} ${err.message}`));
    socket.on('close', () => {
      const raw = Buffer.concat(received).toString('utf8');
      const split = raw.indexOf('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
      const headers = raw.slice(0, split).toLowerCase();
      let body = raw.slice(split + 4);
      if (headers.includes('transfer-encoding: chunked')) body = unchunk(body);
      resolve({ status, body, ...(sent && !error ? {} : { error: error ?? 'closed before the request was sent' }) });
    });
    void (async () => {
      const write = (data: string | Buffer) => new Promise<void>((r) => socket.write(data, () => r()));
      await write(head);
      for (const [i, piece] of pieces.entries()) {
        if (i > 0 && opts.gapMs) await new Promise((r) => setTimeout(r, opts.gapMs));
        if (socket.destroyed) return;
        await write(opts.chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece);
      }
      const last = opts.chunked ? write('0\r\n\r\n') : Promise.resolve();
      if (!socket.destroyed) sent = true;
      await last;
    })();
  });
}

function unchunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const line = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, line), 16);
    if (!size) return out;
    out += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 2 + size + 2);
  }
}

function expectShapedError(surface: Surface, answer: RawAnswer, status: number, message: RegExp): void {
  expect(answer.error).toBeUndefined();
  expect(answer.status).toBe(status);
  const body = JSON.parse(answer.body);
  if (surface.shape === 'openai') {
    expect(body.error.message).toMatch(message);
    expect(body.error.type).toBe('invalid_request_error');
  } else {
    expect(body.type).toBe('error');
    expect(body.error.message).toMatch(message);
  }
}

function nested(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

beforeAll(async () => {
  upstream = await startMockOpenAI();
  gw = await startTestGateway({ ...testConfig([{ name: 'gpt-test', baseUrl: upstream.url }], { masterKey: MASTER_KEY, maxBodyBytes: LIMIT }), store: { kind: 'memory', dataDir } });
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.each(SURFACES)('hostile bodies at $path', (surface) => {
  const valid = JSON.stringify(surface.body);

  it('answers a body nested thousands of levels deep with a 400 and never sends it upstream', async () => {
    const before = upstream.requests.length;
    for (const body of [`${valid.slice(0, -1)},"extra":${nested(5000)}}`, `${valid.slice(0, -1)},"metadata":{"a":${nested(200)}}}`]) {
      const answer = await send(surface.path, [Buffer.from(body)]);
      expectShapedError(surface, answer, 400, /nested/);
    }
    expect(upstream.requests.length).toBe(before);
  });

  it('accepts ordinary nesting (a JSON schema a few dozen levels deep)', async () => {
    const answer = await send(surface.path, [Buffer.from(`${valid.slice(0, -1)},"extra":${nested(40)}}`)]);
    expect(answer.status).toBe(200);
  });

  it('refuses bytes that are not UTF-8 with a 400', async () => {
    const before = upstream.requests.length;
    const [head, tail] = valid.split('hi');
    const answer = await send(surface.path, [Buffer.concat([Buffer.from(head!), Buffer.from([0x68, 0xff, 0xfe, 0xc3]), Buffer.from(tail!)])]);
    expectShapedError(surface, answer, 400, /UTF-8/);
    expect(upstream.requests.length).toBe(before);
  });

  it.each([
    { how: 'declared length', chunked: false },
    { how: 'chunked', chunked: true },
  ])('answers an oversize body ($how) with a 413 the client can read before the socket closes', async ({ chunked }) => {
    // 16 × 64 KB sent over ~0.8 s: a client on a slow link, still sending when the answer is written
    const pieces = Array.from({ length: 16 }, () => Buffer.alloc(LIMIT, 'x'));
    const answer = await send(surface.path, pieces, { chunked, gapMs: 50 });
    expectShapedError(surface, answer, 413, /limit/);
  });
});

describe('hostile bodies at the admin API (POST /admin/keys)', () => {
  const path = '/admin/keys';
  const adminError = async (answer: RawAnswer, status: number, code: string, message: RegExp) => {
    expect(answer.error).toBeUndefined();
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.body)).toEqual({ error: { message: expect.stringMatching(message), type: 'invalid_request_error', code, param: null } });
  };
  const aliases = async () => {
    const res = await fetch(`${gw.url}/admin/keys`, { headers: { authorization: `Bearer ${MASTER_KEY}` } });
    return ((await res.json()) as { keys: Array<{ alias: string }> }).keys.map((k) => k.alias);
  };

  it('refuses absurd nesting, bytes that are not UTF-8, broken JSON and an empty body with a 400, creating nothing', async () => {
    await adminError(await send(path, [Buffer.from(`{"alias":"deep","team":${nested(5000)}}`)]), 400, 'invalid_json', /nested/);
    await adminError(await send(path, [Buffer.concat([Buffer.from('{"alias":"h'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')])]), 400, 'invalid_encoding', /UTF-8/);
    await adminError(await send(path, [Buffer.from('{"alias":')]), 400, 'invalid_json', /not valid JSON/);
    await adminError(await send(path, []), 400, 'invalid_json', /empty/);
    expect(await aliases()).toEqual([]);
  });

  it('names the field of a body that parses but is not a key spec', async () => {
    for (const [body, param] of [[{ alias: 'x', admin: 'yes' }, 'admin'], [{ alias: 'x', extra: 1 }, null], [['alias'], null]] as const) {
      const answer = await send(path, [Buffer.from(JSON.stringify(body))]);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body).error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_key_spec', param });
    }
  });

  it.each([
    { how: 'declared length', chunked: false },
    { how: 'chunked', chunked: true },
  ])('answers an oversize body ($how) with a 413 the client can read', async ({ chunked }) => {
    const pieces = [Buffer.from('{"alias":"big","team":"'), ...Array.from({ length: 4 }, () => Buffer.alloc(LIMIT, 'x')), Buffer.from('"}')];
    const answer = await send(path, pieces, { chunked, gapMs: 20 });
    expect(answer.error).toBeUndefined();
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ error: { message: expect.stringMatching(/exceeds the 64 KB limit/), type: 'invalid_request_error', code: 'request_too_large', param: null } });
    expect(await aliases()).toEqual([]);
  });

  it('still creates a key from a well-formed body', async () => {
    const answer = await send(path, [Buffer.from(JSON.stringify({ alias: 'fine', admin: true }))]);
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toMatchObject({ alias: 'fine', admin: true });
  });
});

describe('after hostile bodies', () => {
  it('the gateway still answers', async () => {
    const answer = await send('/v1/chat/completions', [Buffer.from(JSON.stringify(SURFACES[0].body))]);
    expect(answer.status).toBe(200);
  });
});
