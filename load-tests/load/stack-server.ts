/**
 * One server of the load runner's stack, in its own process: `upstream` (the test suite's scripted
 * OpenAI-compatible mock) or `floor` (the bare pass-through proxy the gateway is compared with). Prints one JSON
 * line with its URL, then serves until it is killed.
 */
import { parseArgs } from 'node:util';
import { startFloorProxy } from '../../gateway/test/support/floor-proxy.js';
import { startMockOpenAI } from '../../gateway/test/support/mock-openai-upstream.js';

const ANSWER =
  'Handle the empty case first: return early when the list is empty, then keep the loop as it was. ' +
  'The change is small, keeps the behaviour for every other input and makes the function total.';

const { values } = parseArgs({ options: { role: { type: 'string' }, 'think-ms': { type: 'string' }, upstream: { type: 'string' } } });
if (values.role === 'upstream') {
  const upstream = await startMockOpenAI({ thinkMs: Number(values['think-ms'] ?? 0), record: false });
  upstream.setDefault({ kind: 'text', text: ANSWER, chunkSize: 8, usage: { prompt_tokens: 140, completion_tokens: 48 } });
  process.stdout.write(JSON.stringify({ url: upstream.url }) + '\n');
} else if (values.role === 'floor' && values.upstream) {
  const floor = await startFloorProxy(new URL(values.upstream).origin);
  process.stdout.write(JSON.stringify({ url: `${floor.url}/v1` }) + '\n');
} else {
  process.stderr.write('usage: stack-server.ts --role upstream [--think-ms N] | --role floor --upstream URL\n');
  process.exit(2);
}
