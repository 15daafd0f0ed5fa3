/**
 * Classifier cost per request: signal extraction + rule matching + selection, for a small chat request and a
 * ~100 KB coding-agent request (long system prompt, tools, a tool loop). Prints p50 / p99 in microseconds.
 */
import { loadConfig } from '../gateway/src/config/load-config.js';
import type { ChatRequest } from '../gateway/src/core/chat-schema.js';
import { resolveRoute } from '../gateway/src/routing/resolve-route.js';

const loaded = loadConfig({ cwd: '/nonexistent-dir', env: {} });
if (!loaded.ok) throw new Error('demo config failed to load');
const config = loaded.config;

const tool = (name: string) => ({ type: 'function' as const, function: { name, description: `${name}: ${'does a thing. '.repeat(20)}`, parameters: { type: 'object', properties: { path: { type: 'string', description: 'a path' } } } } });
const small: ChatRequest = { model: 'auto', messages: [{ role: 'user', content: 'How do I reverse a list in Python without copying it?' }] };
const messages: ChatRequest['messages'] = [{ role: 'system', content: 'You are Roo, a highly skilled software engineer. '.repeat(800) }];
for (let i = 0; i < 20; i++) {
  messages.push({ role: 'user', content: `[read_file for 'src/file${i}.ts'] Result:\n${'export const x = 1;\n'.repeat(100)}` });
  messages.push({ role: 'assistant', content: '', tool_calls: [{ id: `c${i}`, type: 'function', function: { name: 'read_file', arguments: `{"path":"src/file${i + 1}.ts"}` } }] });
}
messages.push({ role: 'user', content: '<task>\nRefactor the billing module into services and explain the trade-offs\n</task>\n<environment_details>\n# Current Mode\n<slug>architect</slug>\n</environment_details>' });
const large: ChatRequest = { model: 'auto', messages, tools: Array.from({ length: 25 }, (_, i) => tool(`tool_${i}`)) };
const header = (name: string) => (name === 'user-agent' ? 'RooCode/3.30.0' : undefined);

function bench(name: string, request: ChatRequest, runs: number): void {
  for (let i = 0; i < 1000; i++) resolveRoute(config, request, header);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    resolveRoute(config, request, header);
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
  console.log(`${name.padEnd(28)} ${String(JSON.stringify(request).length).padStart(7)} bytes  p50 ${at(0.5)} µs  p99 ${at(0.99)} µs`);
}

bench('small chat request', small, 20_000);
bench('100 KB agent request', large, 5_000);
