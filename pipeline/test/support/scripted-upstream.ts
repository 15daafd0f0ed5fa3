import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the upstream received, with the pipeline role its system prompt names. */
export interface SeenRequest {
  model: string;
  role: string;
  user: string;
  body: any;
  headers: IncomingMessage['headers'];
}

export type Reply =
  | { text: string; usage?: { prompt_tokens: number; completion_tokens: number } }
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hang: true };

/** Decides the answer to a request; `n` counts earlier requests of the same role. */
export type Script = (req: SeenRequest, n: number) => Reply;

export interface ScriptedUpstream {
  url: string;
  seen: SeenRequest[];
  setScript(script: Script): void;
  /** Resolves once `count` requests of `role` have arrived. */
  waitFor(role: string, count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const ROLE = /^Pipeline role: (\w+)/m;

/** A plan, an implementation and an approving review: what a well-behaved model answers each role. */
export const HAPPY: Script = (req) => {
  if (req.role === 'planner') return { text: '## Plan\n1. Add src/health.ts\n2. Test it', usage: { prompt_tokens: 1000, completion_tokens: 500 } };
  if (req.role === 'coder') return { text: 'Here it is.\n\n```ts path=src/health.ts\nexport const health = () => ({ ok: true });\n```\n', usage: { prompt_tokens: 2000, completion_tokens: 800 } };
  return { text: review('approve', []), usage: { prompt_tokens: 3000, completion_tokens: 200 } };
};

/** A reviewer's answer with a verdict block. */
export function review(verdict: 'approve' | 'request_changes', findings: Array<{ severity: string; message: string; file?: string }>): string {
  return `Looked at it.\n\n\`\`\`verdict\n${JSON.stringify({ verdict, findings })}\n\`\`\`\n`;
}

/**
 * An OpenAI-compatible upstream on 127.0.0.1 that answers by the pipeline role in the system prompt (and the
 * upstream model asked), streaming in chunks with a usage chunk, as real providers do.
 */
export async function startScriptedUpstream(initial: Script = HAPPY): Promise<ScriptedUpstream> {
  let script = initial;
  const seen: SeenRequest[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => answer(req, res, Buffer.concat(chunks).toString('utf8')));
  });

  function answer(req: IncomingMessage, res: ServerResponse, raw: string): void {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) return void res.writeHead(404).end();
    const body = JSON.parse(raw);
    const system = body.messages.find((m: any) => m.role === 'system')?.content ?? '';
    const user = body.messages.filter((m: any) => m.role === 'user').map((m: any) => m.content).join('\n');
    const entry: SeenRequest = { model: body.model, role: ROLE.exec(system)?.[1] ?? 'none', user, body, headers: req.headers };
    const n = seen.filter((s) => s.role === entry.role).length;
    seen.push(entry);
    for (const w of [...waiters]) w();
    const reply = script(entry, n);
    if ('hang' in reply) return;
    if ('status' in reply) {
      const text = JSON.stringify(reply.body ?? { error: { message: `scripted ${reply.status}`, type: 'server_error', code: null, param: null } });
      return void res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(text);
    }
    const usage = { ...(reply.usage ?? { prompt_tokens: 100, completion_tokens: 50 }) };
    const full = { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
    const base = { id: `chatcmpl-${seen.length}`, object: 'chat.completion.chunk', created: 1_700_000_000, model: body.model };
    if (!body.stream) {
      const completion = { ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: reply.text }, finish_reason: 'stop' }], usage: full };
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion));
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const frame = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
    let out = frame({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
    for (let i = 0; i < reply.text.length; i += 16) out += frame({ ...base, choices: [{ index: 0, delta: { content: reply.text.slice(i, i + 16) }, finish_reason: null }] });
    out += frame({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    if (body.stream_options?.include_usage) out += frame({ ...base, choices: [], usage: full });
    res.end(`${out}data: [DONE]\n\n`);
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    seen,
    setScript: (s) => void (script = s),
    waitFor: (role, count, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (seen.filter((s) => s.role === role).length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`scripted upstream: no ${count} ${role} request(s) within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
