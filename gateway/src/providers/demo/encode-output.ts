import type { AssistantMessage, ChatChunk, ChatCompletion, ChunkDelta } from '../../core/chat-response.js';
import { countTokens, splitIntoPieces } from './estimate-tokens.js';
import type { DemoOutput } from './plan-output.js';

/** Identity of one answer: shared by the completion and every chunk. */
export interface AnswerMeta {
  id: string;
  created: number;
  /** The public model name the client asked for. */
  model: string;
}

/** A stream chunk and the tokens it carries, so the adapter can pace it. */
export interface PacedChunk {
  chunk: ChatChunk;
  tokens: number;
}

const TOKENS_PER_PIECE = 3;

/** The answer as an OpenAI chat completion. */
export function encodeCompletion(output: DemoOutput, meta: AnswerMeta): ChatCompletion {
  const message: AssistantMessage = { role: 'assistant', content: output.content };
  if (output.reasoning) message.reasoning_content = output.reasoning;
  if (output.toolCalls.length > 0) message.tool_calls = output.toolCalls;
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message, finish_reason: output.finishReason, logprobs: null }],
    usage: output.usage,
  };
}

/**
 * The answer as OpenAI stream chunks: role, reasoning pieces, content pieces, tool call deltas (the first per
 * index names the call), the finish reason, and always a final usage chunk with no choices.
 */
export function* encodeChunks(output: DemoOutput, meta: AnswerMeta): Generator<PacedChunk> {
  const chunk = (delta: ChunkDelta, tokens: number): PacedChunk => ({
    chunk: { id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: [{ index: 0, delta, finish_reason: null }] },
    tokens,
  });
  yield chunk(output.content !== null ? { role: 'assistant', content: '' } : { role: 'assistant' }, 0);
  for (const piece of splitIntoPieces(output.reasoning, TOKENS_PER_PIECE)) yield chunk({ reasoning_content: piece }, countTokens(piece));
  for (const piece of splitIntoPieces(output.content ?? '', TOKENS_PER_PIECE)) yield chunk({ content: piece }, countTokens(piece));
  for (const [index, call] of output.toolCalls.entries()) {
    const [first = '', ...rest] = splitIntoPieces(call.function.arguments, TOKENS_PER_PIECE);
    yield chunk(
      { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: first } }] },
      countTokens(call.function.name) + countTokens(first),
    );
    for (const piece of rest) yield chunk({ tool_calls: [{ index, function: { arguments: piece } }] }, countTokens(piece));
  }
  yield {
    chunk: { id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: [{ index: 0, delta: {}, finish_reason: output.finishReason }] },
    tokens: 0,
  };
  yield { chunk: { id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: [], usage: output.usage }, tokens: 0 };
}
