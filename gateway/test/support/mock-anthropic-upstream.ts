import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnthropicResponseBlock, AnthropicUsage } from '../../src/translate/anthropic-types.js';

/** What a stream does after `afterEvents` SSE events: stop without message_stop, go silent, send junk, or fail in-band. */
export interface MockStreamFault {
  afterEvents: number;
  kind: 'truncate' | 'hang' | 'malformed' | 'error';
  error?: { type: string; message: string };
}

interface MockAnswer {
  /** Extra latency before the answer starts (think time). */
  delayMs?: number;
  usage?: AnthropicUsage;
  stopReason?: string;
  /** Applies only when the request asked for a stream. */
  fault?: MockStreamFault;
}

/** One scripted reply; the mock answers as JSON or as SSE depending on the request's `stream` flag. */
export type MockAnthropicReply =
  | (MockAnswer & { kind: 'text'; text: string })
  | (MockAnswer & { kind: 'tool_use'; name: string; input: Record<string, unknown>; id?: string; text?: string })
  | (MockAnswer & { kind: 'thinking'; thinking: string; text: string })
  | (MockAnswer & { kind: 'content'; content: AnthropicResponseBlock[] })
  | { kind: 'error'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'reset' };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** Resolves when the connection for this request closed, whoever closed it. */
  closed: Promise<void>;
  /** True when the mock wrote its whole answer (false after a client abort). */
  completed: boolean;
}

export interface MockAnthropic {
  url: string;
  requests: RecordedRequest[];
  enqueue(reply: MockAnthropicReply): void;
  close(): Promise<void>;
}

const MODEL_FALLBACK = 'claude-mock-1';

/** Starts a loopback server speaking the Anthropic Messages wire format with scripted replies (default: a short text). */
export async function startMockAnthropic(): Promise<MockAnthropic> {
  const queue: MockAnthropicReply[] = [];
  const requests: RecordedRequest[] = [];
  let counter = 0;

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    let body: Record<string, unknown> = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      // recorded as empty; answered below as invalid
    }
    const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
    const record: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, closed, completed: false };
    requests.push(record);
    res.once('finish', () => (record.completed = true));

    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== '/v1/messages') return sendError(res, 404, 'not_found_error', `No route ${req.method} ${path}`);
    const invalid = validate(req.headers, body);
    if (invalid) return sendError(res, 400, 'invalid_request_error', invalid);

    const reply = queue.shift() ?? { kind: 'text', text: 'Hello from the mock.' };
    if (reply.kind === 'hang') return;
    if (reply.kind === 'reset') return void req.socket.destroy();
    if (reply.kind === 'error') {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      return void res.end(JSON.stringify(reply.body ?? { type: 'error', error: { type: 'api_error', message: `mock error ${reply.status}` } }));
    }
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    const message = buildMessage(reply, `msg_mock_${++counter}`, typeof body.model === 'string' ? body.model : MODEL_FALLBACK);
    if (body.stream === true) return writeStream(res, message, reply.fault);
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_mock_${counter}` });
    res.end(JSON.stringify(message));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (reply) => void queue.push(reply),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function validate(headers: IncomingHttpHeaders, body: Record<string, unknown>): string | undefined {
  if (!headers['anthropic-version']) return 'anthropic-version: header is required';
  if (typeof body.model !== 'string') return 'model: Field required';
  if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: at least one message is required';
  return undefined;
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_mock_error' }));
}

export interface MockMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicResponseBlock[];
  stop_reason: string;
  stop_sequence: null;
  usage: AnthropicUsage;
}

function buildMessage(reply: Extract<MockAnthropicReply, MockAnswer>, id: string, model: string): MockMessage {
  let content: AnthropicResponseBlock[];
  let stop = 'end_turn';
  if (reply.kind === 'text') content = [{ type: 'text', text: reply.text }];
  else if (reply.kind === 'thinking') {
    content = [{ type: 'thinking', thinking: reply.thinking, signature: 'sig_mock_' + id }, { type: 'text', text: reply.text }];
  } else if (reply.kind === 'tool_use') {
    content = [...(reply.text ? [{ type: 'text' as const, text: reply.text }] : [])];
    content.push({ type: 'tool_use', id: reply.id ?? `toolu_mock_${id}`, name: reply.name, input: reply.input });
    stop = 'tool_use';
  } else content = reply.content;
  const usage = { input_tokens: 12, output_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...reply.usage };
  return { id, type: 'message', role: 'assistant', model, content, stop_reason: reply.stopReason ?? stop, stop_sequence: null, usage };
}

/** The exact event grammar of a Messages stream, with each text or JSON payload cut into several deltas. */
export function messageToEvents(message: MockMessage): Array<{ event: string; data: Record<string, unknown> }> {
  const events: Array<{ event: string; data: Record<string, unknown> }> = [];
  const add = (event: string, data: Record<string, unknown>) => events.push({ event, data: { type: event, ...data } });
  const startUsage = { ...message.usage, output_tokens: 1 };
  add('message_start', { message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: startUsage } });
  add('ping', {});
  message.content.forEach((block, index) => {
    const b = block as Record<string, unknown>;
    if (b.type === 'text') {
      add('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const piece of pieces(String(b.text))) add('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
    } else if (b.type === 'thinking') {
      add('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      for (const piece of pieces(String(b.thinking))) add('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: piece } });
      add('content_block_delta', { index, delta: { type: 'signature_delta', signature: b.signature } });
    } else if (b.type === 'tool_use') {
      add('content_block_start', { index, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } });
      add('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: '' } });
      for (const piece of fixedPieces(JSON.stringify(b.input), 10)) add('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } });
    } else {
      add('content_block_start', { index, content_block: b });
    }
    add('content_block_stop', { index });
  });
  add('message_delta', { delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: { output_tokens: message.usage.output_tokens } });
  add('message_stop', {});
  return events;
}

function writeStream(res: ServerResponse, message: MockMessage, fault: MockStreamFault | undefined): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  const events = messageToEvents(message);
  const limit = fault ? Math.min(fault.afterEvents, events.length) : events.length;
  for (const { event, data } of events.slice(0, limit)) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  if (!fault) return void res.end();
  if (fault.kind === 'hang') return;
  if (fault.kind === 'malformed') res.write('event: content_block_delta\ndata: {"type":"content_block_delta","index":0,\n\n');
  if (fault.kind === 'error') {
    const error = fault.error ?? { type: 'overloaded_error', message: 'Overloaded' };
    res.write(`event: error\ndata: ${JSON.stringify({ type: 'error', error })}\n\n`);
  }
  res.end();
}

// word-sized deltas, like the real API's
function pieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

function fixedPieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
