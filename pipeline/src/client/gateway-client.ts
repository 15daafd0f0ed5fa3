import { createParser } from 'eventsource-parser';
import { request, type Dispatcher } from 'undici';
import { GatewayCallError } from './gateway-error.js';
import { callBody, callHeaders, usdToMicros, type CallObserver, type ChatAnswer, type ChatCall } from './chat-request.js';

export interface GatewayTarget {
  url: string;
  apiKey?: string;
  timeoutMs: number;
}

/** One chat completion through the gateway, streamed (text to the observer as it arrives) or not; no retries here. */
export async function callGateway(target: GatewayTarget, call: ChatCall, opts: { stream: boolean; observer?: CallObserver; signal?: AbortSignal }): Promise<ChatAnswer> {
  const started = performance.now();
  const headers = callHeaders(call);
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  let res: Dispatcher.ResponseData;
  try {
    res = await request(`${target.url}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify(callBody(call, opts.stream)),
      headersTimeout: target.timeoutMs,
      bodyTimeout: target.timeoutMs,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (err) {
    throw unreachable(target.url, err);
  }
  const h = (name: string) => header(res.headers, name);
  if (res.statusCode !== 200) throw await errorOf(res, h);
  const route = { model: h('x-switchyard-model') ?? call.model, ...opt('tier', h('x-switchyard-tier')), ...opt('rule', h('x-switchyard-rule')) };
  opts.observer?.routed?.(route);
  const base = { ...route, ...opt('requestId', h('x-switchyard-request-id')) };
  try {
    if (!opts.stream) {
      const body = (await res.body.json()) as { choices?: Array<{ message?: { content?: string | null }; finish_reason?: string }>; usage?: Usage };
      const text = body.choices?.[0]?.message?.content ?? '';
      if (text) opts.observer?.text?.(text);
      return { ...base, text, ...usageOf(body.usage), ...opt('finishReason', body.choices?.[0]?.finish_reason ?? undefined), ...opt('costMicros', usdToMicros(h('x-switchyard-cost-usd'))), latencyMs: performance.now() - started };
    }
    const streamed = await readStream(res, opts.observer);
    // The cost of a stream is only known at its end: the gateway sends it as an HTTP trailer.
    const cost = usdToMicros(header(res.trailers, 'x-switchyard-cost-usd'));
    return { ...base, ...streamed, ...opt('costMicros', cost), latencyMs: performance.now() - started };
  } catch (err) {
    if (err instanceof GatewayCallError) throw err;
    if (opts.signal?.aborted) throw err;
    throw new GatewayCallError(`the gateway's answer broke off: ${(err as Error).message}`, { status: 0, retryable: false, ...opt('requestId', base.requestId) });
  }
}

interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

interface StreamChunk {
  choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: Usage | null;
  error?: { message?: string; type?: string; code?: string };
}

async function readStream(res: Dispatcher.ResponseData, observer: CallObserver | undefined): Promise<Pick<ChatAnswer, 'text' | 'inputTokens' | 'outputTokens' | 'finishReason'>> {
  let text = '';
  let usage: Usage | undefined;
  let finishReason: string | undefined;
  let failure: GatewayCallError | undefined;
  const parser = createParser({
    onEvent(event) {
      if (event.data === '[DONE]' || failure) return;
      const chunk = JSON.parse(event.data) as StreamChunk;
      if (chunk.error) {
        failure = new GatewayCallError(chunk.error.message ?? 'the stream failed', { status: 200, retryable: false, ...opt('type', chunk.error.type), ...opt('code', chunk.error.code) });
        return;
      }
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices?.[0];
      if (choice?.finish_reason) finishReason = choice.finish_reason;
      const delta = choice?.delta?.content;
      if (delta) {
        text += delta;
        observer?.text?.(delta);
      }
    },
  });
  const decoder = new TextDecoder();
  for await (const bytes of res.body) parser.feed(decoder.decode(bytes as Buffer, { stream: true }));
  parser.feed(decoder.decode());
  if (failure) throw failure;
  return { text, ...usageOf(usage), ...opt('finishReason', finishReason) };
}

async function errorOf(res: Dispatcher.ResponseData, h: (name: string) => string | undefined): Promise<GatewayCallError> {
  let body: { error?: { message?: string; type?: string; code?: string } } | undefined;
  try {
    body = (await res.body.json()) as typeof body;
  } catch {
    body = undefined;
  }
  const retryAfter = Number(h('retry-after'));
  return new GatewayCallError(body?.error?.message ?? `the gateway answered HTTP ${res.statusCode}`, {
    status: res.statusCode,
    retryable: h('x-should-retry') === 'true',
    ...opt('type', body?.error?.type),
    ...opt('code', body?.error?.code ?? undefined),
    ...opt('retryAfterS', Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined),
    ...opt('requestId', h('x-switchyard-request-id')),
  });
}

function unreachable(url: string, err: unknown): GatewayCallError {
  const code = (err as { code?: string }).code ?? (err as Error).name;
  return new GatewayCallError(`cannot reach the gateway at ${url} (${code}): start it with \`npx switchyard serve\` or set SWITCHYARD_URL`, { status: 0, retryable: false });
}

function usageOf(usage: Usage | undefined): Pick<ChatAnswer, 'inputTokens' | 'outputTokens'> {
  return { ...opt('inputTokens', usage?.prompt_tokens), ...opt('outputTokens', usage?.completion_tokens) };
}

function header(headers: Record<string, string | string[] | undefined> | undefined, name: string): string | undefined {
  const v = headers?.[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `{key: value}` when value is defined, else `{}` (optional fields stay absent, not undefined). */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
