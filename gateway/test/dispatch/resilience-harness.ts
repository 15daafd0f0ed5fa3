import type { GatewayConfig } from '../../src/config/types.js';
import { testConfig, type TestModel } from '../support/test-gateway.js';

/** testConfig with the extension sections (resilience, limits …) the resilience tests need. */
export function resilientConfig(models: TestModel[], extensions: Record<string, unknown> = {}): GatewayConfig {
  return testConfig(models, { extensions });
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
