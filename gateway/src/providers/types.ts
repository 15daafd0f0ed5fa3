import type { ChatRequest } from '../core/chat-schema.js';
import type { ChatChunk, ChatCompletion } from '../core/chat-response.js';
import type { Deployment } from '../config/types.js';

/** What a provider adapter gets for one upstream attempt. */
export interface ProviderCall {
  deployment: Deployment;
  /** The internal request; `model` is already the upstream model id. */
  request: ChatRequest;
  /** Aborted when the client goes away or the attempt times out. */
  signal: AbortSignal;
  requestId: string;
  /** Client headers worth forwarding (anthropic-beta, user agent …), lower-cased. */
  forwardHeaders?: Record<string, string>;
}

export interface CompletionResult {
  completion: ChatCompletion;
  /** The upstream body verbatim when it is already an OpenAI chat completion (lets the surface skip re-encoding). */
  raw?: string;
}

/**
 * One upstream kind. Both methods reject with a GatewayError carrying the upstream status and message when the
 * upstream answers with an error; `stream` resolves once the upstream accepted the request (2xx headers),
 * so failures before the first byte can still be retried or turned into an HTTP error.
 * Streams always end with a chunk that carries `usage` when the upstream reports it.
 * A stream that breaks mid-way throws a GatewayError from the iterator.
 */
export interface ProviderAdapter {
  readonly kind: string;
  complete(call: ProviderCall): Promise<CompletionResult>;
  stream(call: ProviderCall): Promise<AsyncIterable<ChatChunk>>;
}
