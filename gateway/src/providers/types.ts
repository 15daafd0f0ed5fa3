import type { ChatRequest } from '../core/chat-schema.js';
import type { ChatChunk, ChatCompletion, Usage } from '../core/chat-response.js';
import type { Deployment } from '../config/types.js';
import type { AbortSignalLike } from '../core/request-signal.js';

/** What a provider adapter gets for one upstream attempt. */
export interface ProviderCall {
  deployment: Deployment;
  /** The internal request; `model` is already the upstream model id. */
  request: ChatRequest;
  /** Aborted when the client goes away or the attempt times out. */
  signal: AbortSignalLike;
  /** Called when the upstream's response headers arrive (a non-streamed answer's first byte). */
  onHeaders?: () => void;
  requestId: string;
  /** Client headers worth forwarding (anthropic-beta, user agent …), lower-cased. */
  forwardHeaders?: Record<string, string>;
  /** The client's JSON text that `request` was parsed from, unchanged (OpenAI chat surface): an adapter may copy from it. */
  sourceText?: string;
  /** The bytes `sourceText` was decoded from, as received. */
  sourceBytes?: Buffer;
}

export interface CompletionResult {
  completion: ChatCompletion;
  /** The upstream body verbatim when it is already an OpenAI chat completion (lets the surface skip re-encoding). */
  raw?: string;
}

/**
 * A stream's items. `take`, when the source has it, hands out an item that is already decoded without a promise
 * (the rest of one network read), so a relay awaits once per read instead of once per item.
 */
export interface ItemIterator<T> extends AsyncIterator<T> {
  take?(): T | undefined;
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
  /** Present when the upstream speaks the Anthropic Messages API itself: `/v1/messages` bodies pass through. */
  readonly messages?: NativeMessages;
}

/** One attempt of a native Messages pass-through: the client's body, not the internal chat request. */
export interface MessagesCall extends Omit<ProviderCall, 'request'> {
  /** The client's Messages body as received; the adapter only replaces `model` with the upstream model id. */
  body: Readonly<Record<string, unknown>>;
}

/** One event of a native Messages stream, relayed as received. */
export interface MessagesStreamEvent {
  /** The SSE event name (`message_start`, `content_block_delta`, `ping` …). */
  event: string;
  /** The upstream's JSON text, verbatim. */
  data: string;
  /** Usage so far, in chat terms, on the events that report it (message_start, message_delta). */
  usage?: Usage;
}

/**
 * Native Messages pass-through (cache_control, signed thinking and betas survive). Same error rules as the
 * chat methods: status errors reject; an in-band `error` event, malformed data or a stream cut before
 * `message_stop` throws from the iterator.
 */
export interface NativeMessages {
  complete(call: MessagesCall): Promise<{ raw: string; usage?: Usage }>;
  stream(call: MessagesCall): Promise<AsyncIterable<MessagesStreamEvent>>;
}
