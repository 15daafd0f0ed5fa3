import autocannon from 'autocannon';
import { parseMessagesRequest } from './src/surfaces/anthropic-messages-parse.js';
import { messagesToChatRequest } from './src/translate/messages-request-to-chat.js';
import { startMockOpenAI } from './test/support/mock-openai-upstream.js';
import { startTestGateway, testConfig } from './test/support/test-gateway.js';

const tools = Array.from({ length: 12 }, (_, i) => ({ name: `Tool${i}`, description: 'Does a thing. '.repeat(40), input_schema: { type: 'object', properties: { a: { type: 'string', description: 'x'.repeat(100) }, b: { type: 'number' } }, required: ['a'] } }));
const messages: any[] = [{ role: 'user', content: [{ type: 'text', text: 'ctx '.repeat(500) }, { type: 'text', text: 'Fix the bug.' }] }];
for (let i = 0; i < 14; i++) {
  messages.push({ role: 'assistant', content: [{ type: 'text', text: 'Looking.' }, { type: 'tool_use', id: `t${i}`, name: 'Tool1', input: { a: 'ls -la '.repeat(5) } }] });
  messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${i}`, content: 'file.ts\n'.repeat(100), cache_control: i === 13 ? { type: 'ephemeral' } : undefined }] });
}
const body = { model: 'gpt-test', max_tokens: 32000, stream: false, system: [{ type: 'text', text: 'You are Claude Code. '.repeat(300), cache_control: { type: 'ephemeral' } }], messages, tools, thinking: { type: 'adaptive' }, output_config: { effort: 'high' } };
const text = JSON.stringify(body);
console.log('body bytes', text.length);
for (let i = 0; i < 200; i++) messagesToChatRequest(parseMessagesRequest(JSON.parse(text)));
let t = performance.now();
const N = 2000;
for (let i = 0; i < N; i++) JSON.parse(text);
const parseOnly = (performance.now() - t) / N;
t = performance.now();
for (let i = 0; i < N; i++) parseMessagesRequest(JSON.parse(text));
const validate = (performance.now() - t) / N - parseOnly;
t = performance.now();
const parsed = parseMessagesRequest(JSON.parse(text));
for (let i = 0; i < N; i++) messagesToChatRequest(parsed);
const translate = (performance.now() - t) / N;
t = performance.now();
for (let i = 0; i < N; i++) JSON.stringify({ ...body, model: 'x' });
const restringify = (performance.now() - t) / N;
console.log(`per request: JSON.parse ${(parseOnly * 1000).toFixed(0)} µs, zod validate ${(validate * 1000).toFixed(0)} µs, translate ${(translate * 1000).toFixed(0)} µs, native re-stringify ${(restringify * 1000).toFixed(0)} µs`);

const up = await startMockOpenAI({ record: false });
const gw = await startTestGateway(testConfig([{ name: 'gpt-test', baseUrl: up.url }]));
const small = { model: 'gpt-test', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };
async function run(path: string, b: unknown) {
  const r = await autocannon({ url: gw.url + path, method: 'POST', connections: 32, duration: 4, headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
  return r.requests.average;
}
for (const stream of [false, true]) {
  const chat = await run('/v1/chat/completions', { ...small, stream });
  const msg = await run('/v1/messages', { ...small, stream });
  console.log(`${stream ? 'stream' : 'json  '} small: chat ${chat.toFixed(0)} req/s, messages ${msg.toFixed(0)} req/s, ratio ${(msg / chat).toFixed(2)}`);
}
await gw.close();
await up.close();
process.exit(0);
