/** The chat bodies the benchmarks send. */
import { MODEL_ASKED, type GatewayConfigKind } from './bench-processes.js';

const USER_PROMPT =
  'In src/cart/total.ts the function sumPrices(items) sometimes returns NaN for carts that look fine in the UI. ' +
  'It loops with `for (let i = 0; i <= items.length; i++) total += items[i].price * items[i].qty;` and is called ' +
  'from checkout and from the order summary. Find the bug, explain it in two sentences, and show the corrected ' +
  'loop. Keep the function signature unchanged, do not add dependencies, and add one unit test with vitest that ' +
  'would have caught it. Answer briefly; the reviewer only needs the diff and the reason.';

/** A realistic small chat body; the floor and `plain` get `bench-model`, `full` its router `auto`. */
export function chatBody(target: 'floor' | GatewayConfigKind, stream: boolean, prompt?: 'agent'): string {
  return JSON.stringify({
    model: target === 'full' ? MODEL_ASKED.full : MODEL_ASKED.plain,
    max_tokens: 256,
    messages: prompt === 'agent' ? agentMessages() : [
      { role: 'system', content: 'You are a careful senior TypeScript engineer. Answer with minimal diffs.' },
      { role: 'user', content: USER_PROMPT },
    ],
    ...(prompt === 'agent' ? { tools: agentTools() } : {}),
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
}

/** A coding agent's turn: a 16 KB system prompt, ten earlier exchanges with a tool call each, then the question. */
function agentMessages(): object[] {
  const messages: object[] = [{ role: 'system', content: `You are a coding agent working in a TypeScript monorepo. ${USER_PROMPT} `.repeat(30) }];
  for (let turn = 0; turn < 10; turn++) {
    messages.push(
      { role: 'user', content: `${USER_PROMPT} (step ${turn})`.repeat(3) },
      { role: 'assistant', content: null, tool_calls: [{ id: `call_${turn}`, type: 'function', function: { name: 'read_file', arguments: JSON.stringify({ path: `src/cart/total-${turn}.ts` }) } }] },
      { role: 'tool', tool_call_id: `call_${turn}`, content: `export function sumPrices(items: Item[]): number {\n  let total = 0;\n  for (let i = 0; i <= items.length; i++) total += items[i].price * items[i].qty;\n  return total;\n}\n`.repeat(4) },
    );
  }
  messages.push({ role: 'user', content: USER_PROMPT });
  return messages;
}

/** Twenty tool definitions with JSON-schema parameters, as agents send on every turn. */
function agentTools(): object[] {
  return Array.from({ length: 20 }, (_, i) => ({
    type: 'function',
    function: {
      name: `tool_${i}`,
      description: `Tool ${i}: reads, edits or searches files in the workspace. ${USER_PROMPT.slice(0, 400)}`,
      parameters: {
        type: 'object',
        properties: Object.fromEntries(Array.from({ length: 5 }, (_, j) => [`param_${j}`, { type: 'string', description: `Parameter ${j} of tool ${i}: a path, a pattern or a replacement text.` }])),
        required: ['param_0'],
      },
    },
  }));
}
