import type { ChatChunk, Usage } from './chat-response.js';

/**
 * A streamed chunk that an OpenAI-compatible upstream sent as a plain delta (no finish reason, no usage, no
 * error), kept as its JSON text and parsed only when a field is read. A pass-through relay reads none, so the
 * most common chunk costs a few substring checks instead of a JSON.parse and a JSON.stringify.
 */
class PlainDeltaChunk {
  private value: ChatChunk | undefined;

  constructor(readonly json: string) {}

  private get parsed(): ChatChunk {
    return (this.value ??= JSON.parse(this.json) as ChatChunk);
  }
  get id() {
    return this.parsed.id;
  }
  get object() {
    return this.parsed.object;
  }
  get created() {
    return this.parsed.created;
  }
  get model() {
    return this.parsed.model;
  }
  get choices() {
    return this.parsed.choices;
  }
  get usage(): Usage | undefined {
    return undefined;
  }
  toJSON(): ChatChunk {
    return this.parsed;
  }
}

/**
 * Decodes one `data:` payload of an OpenAI-compatible stream. A chunk that ends the way OpenAI, vLLM and most
 * compatible servers end a plain delta (last choice unfinished, usage absent or null) is kept as text; anything
 * else, other field orders and formatting included, is parsed eagerly, so the shortcut can only skip work,
 * never change what a chunk says. Throws SyntaxError on malformed eager JSON.
 */
export function decodeChunkJson(data: string): ChatChunk {
  if (isPlainDeltaJson(data)) return new PlainDeltaChunk(data) as unknown as ChatChunk;
  const chunk = JSON.parse(data) as ChatChunk;
  if (typeof chunk === 'object' && chunk !== null && isOneLine(data)) sourceTexts.set(chunk, data);
  return chunk;
}

/**
 * The upstream text of chunks parsed eagerly (a finish reason, usage), so that they too are relayed as written.
 * Nothing edits a decoded chunk: the surfaces read them, and translators build new events.
 */
const sourceTexts = new WeakMap<object, string>();

/**
 * Whether an event's data was one `data:` line. The SSE parser joins the lines of a multi-line event with `\n`,
 * and text with a newline relayed as is would end the relayed `data:` line early, so such a delta is parsed and
 * re-serialised.
 */
const isOneLine = (data: string) => !data.includes('\n');

const UNFINISHED_END = '"finish_reason":null}]}';
const NULL_USAGE_END = '"finish_reason":null}],"usage":null}';
const USAGE_IN_NULL_USAGE_END = 'usage":null}'.length;

/**
 * An unfinished last choice at the end, and no usage anywhere but a trailing `"usage":null`. Searching for the
 * five letters `usage` takes V8's short-pattern path, several times faster than searching for `"usage":{`;
 * a delta whose text says "usage" is parsed eagerly instead, which costs time, never correctness.
 */
function isPlainDeltaJson(data: string): boolean {
  if (data.endsWith(UNFINISHED_END)) return !data.includes('usage') && isOneLine(data);
  if (data.endsWith(NULL_USAGE_END)) return data.indexOf('usage') === data.length - USAGE_IN_NULL_USAGE_END && isOneLine(data);
  return false;
}

/** Whether a chunk may carry a finish reason, usage or an error (a plain delta carries none of them). */
export function isPlainDelta(chunk: ChatChunk): boolean {
  return chunk instanceof PlainDeltaChunk;
}

/** The JSON text of a payload; a chunk decoded from one line of upstream text is sent exactly as written. */
export function toJson(value: object): string {
  return value instanceof PlainDeltaChunk ? value.json : (sourceTexts.get(value) ?? JSON.stringify(value));
}

/** The usage-only chunk that ends a stream (`choices: []`), which only clients that asked for usage see. */
export function isUsageOnlyChunk(chunk: ChatChunk): boolean {
  return !isPlainDelta(chunk) && chunk.choices.length === 0;
}
