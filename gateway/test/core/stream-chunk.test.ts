import { describe, expect, it } from 'vitest';
import { decodeChunkJson, isPlainDelta, isUsageOnlyChunk, toJson } from '../../src/core/stream-chunk.js';

const delta = '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hi"},"logprobs":null,"finish_reason":null}]}';
const deltaUsageNull = delta.replace(/}$/, ',"usage":null}');
const finish = '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}';
const usage = '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}';

describe('stream chunk decoding', () => {
  it('keeps plain deltas as text and sends them back byte for byte', () => {
    for (const text of [delta, deltaUsageNull]) {
      const chunk = decodeChunkJson(text);
      expect(isPlainDelta(chunk)).toBe(true);
      expect(toJson(chunk)).toBe(text);
      expect(chunk.usage).toBeUndefined();
      expect(isUsageOnlyChunk(chunk)).toBe(false);
    }
  });

  it('parses a plain delta on first field access, and JSON.stringify sees its fields', () => {
    const chunk = decodeChunkJson(delta);
    expect(chunk.choices[0]!.delta.content).toBe('hi');
    expect(chunk.model).toBe('m');
    expect(JSON.parse(JSON.stringify(chunk))).toEqual(JSON.parse(delta));
  });

  it('parses eagerly whatever might carry a finish reason, usage or an error', () => {
    const usageFirst = '{"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2},"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}';
    for (const text of [finish, usage, usageFirst, '{"error":{"message":"boom"}}', delta.replace('"finish_reason":null', '"finish_reason": null')]) {
      expect(isPlainDelta(decodeChunkJson(text))).toBe(false);
    }
    expect(decodeChunkJson(usageFirst).usage?.total_tokens).toBe(2);
    expect(isUsageOnlyChunk(decodeChunkJson(usage))).toBe(true);
  });

  it('relays an eagerly parsed chunk as the upstream wrote it, spacing and field order included', () => {
    const spaced = '{"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "model": "m", "id": "c1"}';
    for (const text of [finish, usage, spaced, '{"usage":{"total_tokens":12345678901234567890},"choices":[]}']) {
      const chunk = decodeChunkJson(text);
      expect(isPlainDelta(chunk)).toBe(false);
      expect(toJson(chunk)).toBe(text);
    }
    // a chunk the gateway builds itself has no upstream text
    expect(toJson({ id: 'x', choices: [] })).toBe('{"id":"x","choices":[]}');
  });

  it('parses eagerly a delta that mentions usage anywhere but in a trailing null usage, and loses nothing', () => {
    const saysUsage = delta.replace('"hi"', '"check the usage of sumPrices"');
    const usageBeforeChoices = `{"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2},${deltaUsageNull.slice(1)}`;
    for (const text of [saysUsage, saysUsage.replace(/}$/, ',"usage":null}'), usageBeforeChoices]) {
      const chunk = decodeChunkJson(text);
      expect(isPlainDelta(chunk)).toBe(false);
      expect(chunk).toEqual(JSON.parse(text));
    }
    expect(decodeChunkJson(saysUsage).choices[0]!.delta.content).toBe('check the usage of sumPrices');
  });

  it('re-serialises an event whose data spanned several lines, so the relayed frame stays one line', () => {
    // the SSE parser joins the lines of `data: {…,\ndata: "finish_reason":null}]}` with a newline
    for (const text of [delta, deltaUsageNull, finish, usage]) {
      const multiLine = text.replace('"choices":', '\n"choices":');
      const chunk = decodeChunkJson(multiLine);
      expect(isPlainDelta(chunk)).toBe(false);
      expect(toJson(chunk)).toBe(JSON.stringify(JSON.parse(text)));
    }
  });

  it('throws on malformed JSON that does not look like a plain delta', () => {
    expect(() => decodeChunkJson('{not json')).toThrow(SyntaxError);
  });
});
