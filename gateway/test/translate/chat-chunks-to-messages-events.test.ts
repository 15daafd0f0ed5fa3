import { describe, expect, it } from 'vitest';
import type { ChatChunk } from '../../src/core/chat-response.js';
import { createMessagesEventEncoder, type MessagesEvent } from '../../src/translate/chat-chunks-to-messages-events.js';
import { checkMessagesGrammar } from '../surfaces/anthropic-messages-grammar.js';
import { fixtureJson } from './fixture-loader.js';

const encoder = (toolNames: Record<string, string> = {}) => createMessagesEventEncoder({ id: 'msg_test', model: 'auto', inputTokens: 123, toolNames: new Map(Object.entries(toolNames)) });
const chunk = (delta: ChatChunk['choices'][number]['delta'], finish: string | null = null): ChatChunk => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'up',
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const asSse = (events: MessagesEvent[]) => events.map((data) => ({ event: data.type, data }));

describe('chat chunks → Messages events golden fixtures', () => {
  for (const name of ['messages-stream-reasoning-text-tools.json', 'messages-stream-tool-calls-same-index.json', 'messages-stream-no-usage.json']) {
    it(name, () => {
      const fixture = fixtureJson(name);
      const enc = encoder(fixture.tool_names);
      const events = [...fixture.chunks.flatMap((c: ChatChunk) => enc.push(c)), ...enc.finish()];
      checkMessagesGrammar(asSse(events));
      expect(events).toEqual(fixture.events);
    });
  }
});

describe('createMessagesEventEncoder', () => {
  it('holds message_delta back until the upstream stream ended, so the trailing usage chunk is included', () => {
    const enc = encoder();
    const early = [...enc.push(chunk({ content: 'hi' })), ...enc.push(chunk({}, 'stop'))];
    expect(early.map((e) => e.type)).not.toContain('message_delta');
    enc.push({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'up', choices: [], usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 } });
    const end = enc.finish();
    expect(end.map((e) => e.type)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(end[1]!.usage).toMatchObject({ input_tokens: 9, output_tokens: 1 });
  });

  it('closes an answer with no content as a valid empty message', () => {
    const enc = encoder();
    const events = [...enc.push(chunk({ role: 'assistant' }, 'stop')), ...enc.finish()];
    checkMessagesGrammar(asSse(events));
    expect(events.map((e) => e.type)).toEqual(['message_start', 'message_delta', 'message_stop']);
  });

  it('reopens a text block after a tool call rather than interleaving', () => {
    const enc = encoder();
    const events = [
      ...enc.push(chunk({ content: 'a' })),
      ...enc.push(chunk({ tool_calls: [{ index: 0, id: 't', function: { name: 'x', arguments: '{}' } }] })),
      ...enc.push(chunk({ content: 'b' })),
      ...enc.finish(),
    ];
    checkMessagesGrammar(asSse(events));
    expect(events.filter((e) => e.type === 'content_block_start').map((e) => (e.content_block as { type: string }).type)).toEqual(['text', 'tool_use', 'text']);
  });

  it('refuses arguments for a tool call whose block was already closed (interleaved parallel calls)', () => {
    const enc = encoder();
    enc.push(chunk({ tool_calls: [{ index: 0, id: 'a', function: { name: 'x', arguments: '{"p":' } }] }));
    enc.push(chunk({ tool_calls: [{ index: 1, id: 'b', function: { name: 'y', arguments: '{}' } }] }));
    expect(() => enc.push(chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }))).toThrow(/interleaved/);
  });
});
