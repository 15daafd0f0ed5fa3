import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { completionBody, errorBody, estimateTokens, streamEvents, type ReplyContext, type TextReply } from './mock-openai-wire.js';

/** One fault (or a good answer) the injector can give a request. */
export type Fault =
  | { kind: 'ok'; text?: string; chunkDelayMs?: number; /** Wait before the headers, streamed or not. */ delayMs?: number }
  | { kind: 'status'; status: number; headers?: Record<string, string>; message?: string }
  | { kind: 'hang-before-headers' }
  | { kind: 'hang-mid-stream'; afterChunks?: number }
  | { kind: 'reset-before-headers' }
  | { kind: 'reset-mid-stream'; afterChunks?: number }
  | { kind: 'truncated-stream'; afterChunks?: number }
  | { kind: 'malformed-json'; afterChunks?: number }
  | { kind: 'slow-drip'; chunkDelayMs: number; text?: string };

/** How faults are chosen: a fixed script first, then by share of traffic (the rest answers ok). */
export interface FaultPlan {
  script?: Fault[];
  shares?: Array<{ share: number; fault: Fault }>;
  /** Seeded so a chaos run is repeatable. */
  seed?: number;
  /** Decides by the requested upstream model first (undefined: the script and shares decide). */
  byModel?: (model: string) => Fault | undefined;
}

export interface FaultUpstream {
  /** Base URL including /v1. */
  url: string;
  /** Every fault given, in order (ok answers included). */
  given: Fault['kind'][];
  /** The upstream model each request asked for, in order. */
  models: string[];
  setPlan(plan: FaultPlan): void;
  enqueue(...faults: Fault[]): void;
  close(): Promise<void>;
}

const ANSWER = 'The quick brown fox jumps over the lazy dog, twice over for good measure.';
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

import { seededRandom } from '../../src/core/seeded-random.js';


/** The text the injector answers with (so tests can check streams arrived whole). */
export const FAULT_UPSTREAM_ANSWER = ANSWER;

/** Starts an OpenAI-compatible upstream on loopback that injects faults per request or per share of traffic. */
export async function startFaultUpstream(initial: FaultPlan = {}): Promise<FaultUpstream> {
  let plan = initial;
  let script = [...(plan.script ?? [])];
  let random = seededRandom(plan.seed ?? 1);
  const given: Fault['kind'][] = [];
  const models: string[] = [];
  let seq = 0;

  const pick = (model: string): Fault => {
    const chosen = plan.byModel?.(model);
    if (chosen) return chosen;
    const scripted = script.shift();
    if (scripted) return scripted;
    let r = random();
    for (const { share, fault } of plan.shares ?? []) {
      if (r < share) return fault;
      r -= share;
    }
    return { kind: 'ok' };
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => answer(req, res, Buffer.concat(chunks)));
  });

  function answer(req: IncomingMessage, res: ServerResponse, raw: Buffer, delayed?: Fault): void {
    let body: any = {};
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      // a body the injector cannot read is answered like any other
    }
    const model = typeof body.model === 'string' ? body.model : 'fault-model';
    const fault = delayed ?? pick(model);
    if (!delayed) {
      given.push(fault.kind);
      models.push(model);
    }
    const ctx: ReplyContext = {
      id: `chatcmpl-fault${++seq}`,
      created: Math.floor(Date.now() / 1000),
      model,
      promptTokens: estimateTokens(raw.length),
      includeUsage: body.stream_options?.include_usage === true,
    };
    const stream = body.stream === true;
    const timers: NodeJS.Timeout[] = [];
    res.on('close', () => timers.forEach(clearTimeout));
    const later = (ms: number, fn: () => void) => void timers.push(setTimeout(() => !res.destroyed && fn(), ms));
    const text = (fault.kind === 'ok' || fault.kind === 'slow-drip' ? fault.text : undefined) ?? ANSWER;
    const reply: TextReply = { kind: 'text', text, chunkSize: 8 };
    const events = () => {
      const { head, tail } = streamEvents(reply, ctx);
      return [...head, ...tail];
    };
    const partial = (after = 2) => (stream ? streamEvents(reply, ctx).head.slice(0, after).join('') : completionBody(reply, ctx).slice(0, 40));

    switch (fault.kind) {
      case 'ok':
        if (fault.delayMs) return void later(fault.delayMs, () => answer(req, res, raw, { ...fault, delayMs: 0 }));
      // falls through
      case 'slow-drip': {
        const delay = fault.chunkDelayMs ?? 0;
        if (!stream) return void later(delay, () => res.writeHead(200, { 'content-type': 'application/json' }).end(completionBody(reply, ctx)));
        res.writeHead(200, SSE_HEADERS);
        if (!delay) return void res.end(events().join(''));
        const all = events();
        let i = 0;
        const next = (): void => {
          if (i === all.length - 1) return void res.end(all[i]);
          res.write(all[i++]);
          later(delay, next);
        };
        return next();
      }
      case 'status': {
        const msg = errorBody(fault.status, { error: { message: fault.message ?? `injected ${fault.status}`, type: 'api_error', code: null, param: null } });
        return void res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers }).end(msg);
      }
      case 'hang-before-headers':
        return;
      case 'reset-before-headers':
        return void res.socket?.destroy();
      case 'hang-mid-stream':
        res.writeHead(200, stream ? SSE_HEADERS : { 'content-type': 'application/json' });
        return void res.write(partial(fault.afterChunks));
      case 'reset-mid-stream':
        res.writeHead(200, stream ? SSE_HEADERS : { 'content-type': 'application/json' });
        return void res.write(partial(fault.afterChunks), () => res.socket?.destroy());
      case 'truncated-stream':
        res.writeHead(200, stream ? SSE_HEADERS : { 'content-type': 'application/json' });
        return void res.end(partial(fault.afterChunks));
      case 'malformed-json':
        res.writeHead(200, stream ? SSE_HEADERS : { 'content-type': 'application/json' });
        return void res.end(partial(fault.afterChunks) + (stream ? 'data: {not json\n\n' : '{not json'));
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    given,
    models,
    setPlan: (next) => {
      plan = next;
      script = [...(next.script ?? [])];
      random = seededRandom(next.seed ?? 1);
    },
    enqueue: (...faults) => void script.push(...faults),
    close: async () => {
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await done;
    },
  };
}

/**
 * A loopback URL where nothing listens: connections are refused. Port 0 can never be listened on, unlike a port
 * just closed, which another test process may take in the meantime.
 */
export async function refusedUrl(): Promise<string> {
  return 'http://127.0.0.1:0/v1';
}
