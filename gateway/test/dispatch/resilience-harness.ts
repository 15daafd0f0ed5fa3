import type { Deployment, GatewayConfig } from '../../src/config/types.js';
import { testConfig, type TestModel } from '../support/test-gateway.js';

export interface ResilientModel extends TestModel {
  firstByteTimeoutMs?: number;
  idleTimeoutMs?: number;
  contextWindow?: number;
  rpm?: number;
  tpm?: number;
}

/** testConfig plus the per-deployment fields and extension sections the resilience tests need. */
export function resilientConfig(models: ResilientModel[], extensions: Record<string, unknown> = {}): GatewayConfig {
  const base = testConfig(models);
  const extra = new Map(models.map((m, i) => [i, m]));
  let i = 0;
  const groups = new Map<string, Deployment[]>();
  // testConfig keeps the models' order inside each group; walk the same order to attach the extras.
  const byName = new Map<string, Deployment[]>();
  for (const [name, list] of base.models) byName.set(name, [...list]);
  for (const m of models) {
    const d = byName.get(m.name)!.shift()!;
    const e = extra.get(i++)!;
    const group = groups.get(m.name) ?? [];
    group.push({
      ...d,
      ...(e.firstByteTimeoutMs ? { firstByteTimeoutMs: e.firstByteTimeoutMs } : {}),
      ...(e.idleTimeoutMs ? { idleTimeoutMs: e.idleTimeoutMs } : {}),
      ...(e.contextWindow ? { contextWindow: e.contextWindow } : {}),
      ...(e.rpm ? { rpm: e.rpm } : {}),
      ...(e.tpm ? { tpm: e.tpm } : {}),
    });
    groups.set(m.name, group);
  }
  return { ...base, models: groups, extensions };
}

/** POSTs a chat request to a gateway. */
export function chat(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], ...body }),
  });
}

/** The text of a streamed chat answer, and whether it ended with [DONE] or an error event. */
export function foldStream(text: string): { content: string; done: boolean; error?: { message: string; type: string } } {
  let content = '';
  let done = false;
  let error: { message: string; type: string } | undefined;
  for (const frame of text.split('\n\n')) {
    const data = frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
    if (!data) continue;
    if (data === '[DONE]') {
      done = true;
      continue;
    }
    const json = JSON.parse(data);
    if (json.error) error = json.error;
    else content += json.choices?.[0]?.delta?.content ?? '';
  }
  return { content, done, ...(error ? { error } : {}) };
}
