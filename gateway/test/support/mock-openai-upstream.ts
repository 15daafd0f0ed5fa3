import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { completionBody, errorBody, estimateTokens, streamEvents, type ReplyContext, type SuccessReply, type TextReply, type ToolCallsReply } from './mock-openai-wire.js';

export type { TextReply, ToolCallsReply } from './mock-openai-wire.js';

/** One scripted upstream answer. Stream-only faults fall back to a cut JSON body on non-stream requests. */
export type MockReply =
  | TextReply
  | ToolCallsReply
  | { kind: 'error'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'hang-after-first-chunk' }
  | { kind: 'reset' }
  | { kind: 'reset-mid-stream'; afterChunks: number }
  | { kind: 'truncated-stream'; afterChunks: number }
  | { kind: 'malformed-stream'; afterChunks: number };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  receivedAt: number;
  /** When the client closed the request before the response finished (Date.now()). */
  closedEarlyAt?: number;
}

export interface MockOpenAI {
  /** Base URL including /v1, e.g. http://127.0.0.1:PORT/v1. */
  url: string;
  requests: RecordedRequest[];
  enqueue(...replies: MockReply[]): void;
  setDefault(reply: MockReply): void;
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  waitForClose(index: number, timeoutMs?: number): Promise<number>;
  close(): Promise<void>;
}

export const DEFAULT_MOCK_REPLY: MockReply = { kind: 'text', text: 'Hello from mock' };
/** What fault streams send before they fail: enough small chunks for any `afterChunks`. */
const FAULT_REPLY: TextReply = { kind: 'text', text: 'This answer will not arrive in one piece, as scripted.', chunkSize: 4 };
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
const MODELS_BODY = JSON.stringify({
  object: 'list',
  data: ['mock-model', 'bench-model'].map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'mock' })),
});

interface Prepared {
  headers: Record<string, string | number>;
  body: Buffer;
}

/** Starts the scripted OpenAI-compatible upstream on 127.0.0.1 (random port). Used by tests and the benchmark. */
export async function startMockOpenAI(opts: { thinkMs?: number; record?: boolean } = {}): Promise<MockOpenAI> {
  const thinkMs = opts.thinkMs ?? 0;
  const record = opts.record ?? true;
  const queue: MockReply[] = [];
  const requests: RecordedRequest[] = [];
  const waiters = new Set<() => void>();
  let defaultReply = DEFAULT_MOCK_REPLY;
  // The default reply is answered from prepared buffers keyed by what varies, so the bench pays no JSON encoding.
  let prepared = new Map<string, Prepared>();
  let closing = false;
  let seq = 0;

  const notify = (): void => {
    for (const w of [...waiters]) w();
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
    });
    req.on('end', () => route(req, res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
  });
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0;

  function route(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (req.method === 'POST' && (path === '/v1/chat/completions' || path === '/chat/completions')) return chat(req, res, path, raw);
    if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
      remember(req, res, path, undefined);
      return void res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(MODELS_BODY) }).end(MODELS_BODY);
    }
    const body = errorBody(404, { error: { message: `No route ${req.method} ${path}`, type: 'invalid_request_error', code: 'not_found', param: null } });
    res.writeHead(404, { 'content-type': 'application/json' }).end(body);
  }

  /** Records the request (when recording) and watches for the client leaving before the answer finished. */
  function remember(req: IncomingMessage, res: ServerResponse, path: string, body: unknown): { serverDrop(): void } {
    let droppedByServer = false;
    if (record) {
      const entry: RecordedRequest = { method: req.method ?? '', path, headers: req.headers, body, receivedAt: Date.now() };
      requests.push(entry);
      res.on('close', () => {
        if (!res.writableEnded && !droppedByServer && !closing) {
          entry.closedEarlyAt = Date.now();
          notify();
        }
      });
      notify();
    }
    return { serverDrop: () => void (droppedByServer = true) };
  }

  function chat(req: IncomingMessage, res: ServerResponse, path: string, raw: Buffer): void {
    let body: any;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      const msg = errorBody(400, { error: { message: 'Invalid JSON body', type: 'invalid_request_error', code: null, param: null } });
      return void res.writeHead(400, { 'content-type': 'application/json' }).end(msg);
    }
    const tracker = remember(req, res, path, body);
    const reply = queue.shift() ?? defaultReply;
    const ctx: ReplyContext = {
      id: `chatcmpl-mock${++seq}`,
      created: Math.floor(Date.now() / 1000),
      model: typeof body?.model === 'string' ? body.model : 'mock-model',
      promptTokens: estimateTokens(raw.length),
      includeUsage: body?.stream_options?.include_usage === true,
    };
    const stream = body?.stream === true;
    const timers = new Set<NodeJS.Timeout>();
    res.on('close', () => timers.forEach(clearTimeout));
    const later = (ms: number, fn: () => void): void => {
      const t = setTimeout(() => {
        timers.delete(t);
        if (!res.destroyed) fn();
      }, ms);
      timers.add(t);
    };
    const answer = (): void => respond(reply, res, ctx, stream, later, () => {
      tracker.serverDrop();
      res.socket?.destroy();
    });
    if (thinkMs > 0) later(thinkMs, answer);
    else answer();
  }

  function respond(reply: MockReply, res: ServerResponse, ctx: ReplyContext, stream: boolean, later: (ms: number, fn: () => void) => void, drop: () => void): void {
    switch (reply.kind) {
      case 'text':
      case 'tool_calls': {
        if (reply === defaultReply && !reply.chunkDelayMs) {
          const p = preparedDefault(reply, ctx, stream);
          return void res.writeHead(200, p.headers).end(p.body);
        }
        if (!stream) return sendJson(res, 200, completionBody(reply, ctx));
        const { head, tail } = streamEvents(reply, ctx);
        const events = [...head, ...tail];
        res.writeHead(200, SSE_HEADERS);
        if (!reply.chunkDelayMs) return void res.end(events.join(''));
        let i = 0;
        const next = (): void => {
          const last = i === events.length - 1;
          if (last) return void res.end(events[i]);
          res.write(events[i++]);
          later(reply.chunkDelayMs!, next);
        };
        return next();
      }
      case 'error': {
        const body = errorBody(reply.status, reply.body);
        return void res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...reply.headers }).end(body);
      }
      case 'hang':
        return;
      case 'reset':
        return drop();
      default: {
        const after = reply.kind === 'hang-after-first-chunk' ? 1 : reply.afterChunks;
        const partial = stream ? streamEvents(FAULT_REPLY, ctx).head.slice(0, after).join('') : completionBody(FAULT_REPLY, ctx).slice(0, 40);
        res.writeHead(200, stream ? SSE_HEADERS : { 'content-type': 'application/json' });
        if (reply.kind === 'hang-after-first-chunk') return void res.write(partial);
        if (reply.kind === 'reset-mid-stream') return void res.write(partial, () => drop());
        if (reply.kind === 'truncated-stream') return void res.end(partial);
        return void res.end(partial + (stream ? 'data: {not json\n\n' : '{not json'));
      }
    }
  }

  function preparedDefault(reply: SuccessReply, ctx: ReplyContext, stream: boolean): Prepared {
    const key = `${stream ? 's' : 'j'}${ctx.includeUsage ? 'u' : ''}|${ctx.promptTokens}|${ctx.model}`;
    let p = prepared.get(key);
    if (!p) {
      const fixed = { ...ctx, id: 'chatcmpl-mockdefault' };
      const text = stream ? Object.values(streamEvents(reply, fixed)).flat().join('') : completionBody(reply, fixed);
      const body = Buffer.from(text);
      // Streams go out chunked, as real upstreams send them.
      p = { headers: stream ? SSE_HEADERS : { 'content-type': 'application/json', 'content-length': body.length }, body };
      if (prepared.size > 1000) prepared.clear();
      prepared.set(key, p);
    }
    return p;
  }

  function sendJson(res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  }

  function waitUntil<T>(what: string, timeoutMs: number, check: () => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
      const poll = (): void => {
        const v = check();
        if (v === undefined) return;
        clearTimeout(timer);
        waiters.delete(poll);
        resolve(v);
      };
      const timer = setTimeout(() => {
        waiters.delete(poll);
        reject(new Error(`mock upstream: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      waiters.add(poll);
      poll();
    });
  }

  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    setDefault: (reply) => {
      defaultReply = reply;
      prepared = new Map();
    },
    waitForRequests: (n, timeoutMs = 5000) =>
      waitUntil(`${n} request(s), have ${requests.length}`, timeoutMs, () => (requests.length >= n ? true : undefined)).then(() => undefined),
    waitForClose: (index, timeoutMs = 5000) => waitUntil(`client close of request #${index}`, timeoutMs, () => requests[index]?.closedEarlyAt),
    close: async () => {
      closing = true;
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await done;
    },
  };
}
