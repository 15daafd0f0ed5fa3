import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChatChunk } from '../../src/core/chat-response.js';
import type { Deployment } from '../../src/config/types.js';
import { parseSse } from '../../src/sse/parse-sse.js';
import type { AnthropicStreamEvent } from '../../src/translate/anthropic-types.js';
import { createAnthropicStreamTranslator } from '../../src/translate/anthropic-stream-to-chat-chunks.js';

/** Reads a file from ./fixtures as text. */
export function fixtureText(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
}

/** Reads and parses a JSON fixture. */
export function fixtureJson<T = any>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

/** A Claude deployment as the config loader would compile it. */
export function claudeDeployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: 'claude-sonnet#0',
    modelName: 'claude-sonnet',
    provider: { name: 'anthropic', kind: 'anthropic', baseUrl: 'https://api.anthropic.com', apiKey: 'sk-ant-test', headers: {} },
    upstreamModel: 'claude-sonnet-4-5-20250929',
    prices: { input: 3, output: 15 },
    contextWindow: 200_000,
    maxOutputTokens: 16_384,
    capabilities: { tools: true, vision: true, caching: true, reasoning: true },
    ...overrides,
  };
}

/** Runs a recorded SSE body through the stream translator, collecting chunks until it ends or throws. */
export async function translateSse(sse: string, chunks: ChatChunk[] = []): Promise<{ chunks: ChatChunk[]; finished: boolean }> {
  const translator = createAnthropicStreamTranslator(1_700_000_000);
  async function* body() {
    yield sse;
  }
  for await (const message of parseSse(body())) {
    chunks.push(...translator.push(JSON.parse(message.data) as AnthropicStreamEvent));
  }
  return { chunks, finished: translator.finished };
}

/** Drops the envelope so fixtures compare only what differs between chunks. */
export function chunkEssence(chunk: ChatChunk): unknown {
  if (chunk.choices.length === 0) return { usage: chunk.usage };
  const choice = chunk.choices[0]!;
  return { delta: choice.delta, finish_reason: choice.finish_reason };
}
