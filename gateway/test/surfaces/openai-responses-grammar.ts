/**
 * The Responses stream grammar, checked strictly: every test that reads a /v1/responses stream runs it.
 *   response.created → response.in_progress → item* → (response.completed | response.incomplete | response.failed)
 *   item = output_item.added → body → output_item.done, one item at a time, output_index 0, 1, 2 …
 *   message body   = content_part.added → output_text.delta* → output_text.done → content_part.done
 *   reasoning body = content_part.added → reasoning_text.delta* → reasoning_text.done → content_part.done
 *   function body  = function_call_arguments.delta* → function_call_arguments.done
 * Every event has an `event:` line equal to its `type` and `sequence_number` 0, 1, 2 … with no gaps; done events
 * repeat exactly what the deltas added up to; the terminal response lists exactly the items that were done.
 */
export interface StreamEvent {
  type: string;
  sequence_number: number;
  [k: string]: any;
}

/** Splits an SSE body into events (independently of the gateway's parser) and fails on a frame without `event:`. */
export function parseResponsesSse(text: string): StreamEvent[] {
  const events: StreamEvent[] = [];
  for (const frame of text.split('\n\n')) {
    if (frame.trim() === '') continue;
    const lines = frame.split('\n').filter((l) => !l.startsWith(':'));
    if (lines.length === 0) continue;
    const name = lines.find((l) => l.startsWith('event: '))?.slice(7);
    const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
    if (!name) throw new Error(`frame without an event: line: ${frame}`);
    const event = JSON.parse(data) as StreamEvent;
    if (event.type !== name) throw new Error(`event: ${name} carries data of type ${event.type}`);
    events.push(event);
  }
  return events;
}

const BODY: Record<string, string[]> = {
  message: ['response.content_part.added', 'response.output_text.delta*', 'response.output_text.done', 'response.content_part.done'],
  reasoning: ['response.content_part.added', 'response.reasoning_text.delta*', 'response.reasoning_text.done', 'response.content_part.done'],
  function_call: ['response.function_call_arguments.delta*', 'response.function_call_arguments.done'],
};
const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/** Throws on the first violation of the grammar; returns the terminal event's response. */
export function checkResponsesGrammar(events: StreamEvent[]): any {
  const fail = (i: number, why: string): never => {
    throw new Error(`Responses stream grammar: event #${i} (${events[i]?.type}): ${why}\n${events.map((e) => e.type).join('\n')}`);
  };
  events.forEach((e, i) => e.sequence_number !== i && fail(i, `sequence_number ${e.sequence_number}, expected ${i}`));
  if (events[0]?.type !== 'response.created') fail(0, 'the stream must open with response.created');
  if (events[1]?.type !== 'response.in_progress') fail(1, 'response.in_progress must follow response.created');
  const id = events[0]!.response.id;
  const done: any[] = [];
  let i = 2;
  items: while (i < events.length && !TERMINAL.has(events[i]!.type)) {
    const added = events[i]!;
    if (added.type !== 'response.output_item.added') fail(i, 'expected response.output_item.added');
    if (added.output_index !== done.length) fail(i, `output_index ${added.output_index}, expected ${done.length}`);
    const item = added.item;
    const body = BODY[item.type] ?? fail(i, `unexpected item type ${item.type}`);
    let text = '';
    let finalText: string | undefined;
    i++;
    for (const step of body) {
      const repeat = step.endsWith('*');
      const type = repeat ? step.slice(0, -1) : step;
      do {
        const e = events[i];
        // a failure may cut an item short; nothing else may
        if (e?.type === 'response.failed') break items;
        if (!e || e.type !== type) {
          if (repeat) break;
          fail(i, `expected ${type}`);
        }
        if (e!.output_index !== added.output_index) fail(i, `output_index ${e!.output_index}, expected ${added.output_index}`);
        if (e!.item_id !== item.id) fail(i, `item_id ${e!.item_id}, expected ${item.id}`);
        if ('content_index' in e! && e!.content_index !== 0) fail(i, 'content_index must be 0');
        if (type.endsWith('.delta')) {
          if (typeof e!.delta !== 'string' || e!.delta === '') fail(i, 'a delta must be a non-empty string');
          text += e!.delta;
        }
        if (type.endsWith('text.done')) finalText = e!.text;
        if (type === 'response.function_call_arguments.done') finalText = e!.arguments;
        i++;
      } while (repeat);
    }
    if (finalText !== text) fail(i - 1, `done text ${JSON.stringify(finalText)} differs from the deltas ${JSON.stringify(text)}`);
    const closing = events[i];
    if (closing?.type === 'response.failed') break;
    if (closing?.type !== 'response.output_item.done') fail(i, 'expected response.output_item.done');
    if (closing!.output_index !== added.output_index || closing!.item.id !== item.id) fail(i, 'output_item.done names another item');
    const doneText = item.type === 'function_call' ? closing!.item.arguments : closing!.item.content[0].text;
    if (doneText !== text) fail(i, 'output_item.done disagrees with the deltas');
    done.push(closing!.item);
    i++;
  }
  const terminal = events[i];
  if (!terminal) fail(i, 'the stream ended without response.completed, response.incomplete or response.failed');
  if (i !== events.length - 1) fail(i + 1, 'nothing may follow the terminal event');
  const response = terminal!.response;
  if (response.id !== id) fail(i, 'the terminal response has another id');
  const expected = { 'response.completed': 'completed', 'response.incomplete': 'incomplete', 'response.failed': 'failed' }[terminal!.type as string];
  if (response.status !== expected) fail(i, `status ${response.status} in ${terminal!.type}`);
  if (JSON.stringify(response.output) !== JSON.stringify(done)) fail(i, 'the terminal output differs from the items that were done');
  if (terminal!.type !== 'response.failed' && done.length === 0) fail(i, 'a finished response needs at least one output item');
  return response;
}

/** Parses and checks a stream body in one step. */
export function checkedResponsesStream(text: string): { events: StreamEvent[]; response: any } {
  const events = parseResponsesSse(text);
  return { events, response: checkResponsesGrammar(events) };
}
