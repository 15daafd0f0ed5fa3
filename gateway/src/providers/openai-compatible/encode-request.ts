import type { ChatRequest } from '../../core/chat-schema.js';
import type { Deployment } from '../../config/types.js';
import { objectMembers, type JsonMember } from '../../core/json-members.js';
import { toolsJson } from '../../core/tools-json.js';

/** Body fields that only steer a gateway (LiteLLM's or ours) and must never reach an upstream. */
const GATEWAY_ONLY_FIELDS = ['api_base', 'base_url', 'api_key', 'api_version', 'drop_params', 'litellm_session_id', 'litellm_metadata', 'mock_response', 'fallbacks', 'num_retries', 'custom_llm_provider'];
const GATEWAY_ONLY = new Set(GATEWAY_ONLY_FIELDS);

/** Internal request → the body an OpenAI-compatible upstream receives. */
export function encodeOpenAIRequest(request: ChatRequest, deployment: Deployment): Record<string, unknown> {
  const body: Record<string, unknown> = { ...deployment.extraBody, ...request, model: deployment.upstreamModel };
  for (const field of GATEWAY_ONLY_FIELDS) if (field in body) delete body[field];
  return Object.assign(body, gatewayMembers(request, deployment));
}

/** The members the gateway sets over the client's: streams always ask for usage, and a cost-reporting provider for its cost. */
function gatewayMembers(request: ChatRequest, deployment: Deployment): { stream_options?: object; usage?: object } {
  const members: { stream_options?: object; usage?: object } = {};
  if (request.stream) members.stream_options = { ...request.stream_options, include_usage: true };
  if (deployment.provider.reportCost) members.usage = { include: true };
  return members;
}

/** Below this many characters, joining text and encoding it costs less than gathering byte ranges (microbenchmark). */
const BYTES_MIN_LENGTH = 8192;

/**
 * The JSON text of an upstream body. With `source`, the client's JSON text that `request` was parsed from
 * unchanged (the chat surface's), the members that pass as they are are copied from it (see splicedParts); with
 * `sourceBytes` as well, the bytes that text was decoded from, a large body is built from those bytes when every
 * character is one byte (then text and byte offsets agree): an agent turn is not copied into a new string and
 * encoded again. Otherwise the tool definitions, often the larger part of an agent's request, are written
 * with toolsJson, which the token estimate and the routing signals already asked for. Members may come in another
 * order than the client's, which carries no meaning in JSON.
 */
export function encodeOpenAIBody(request: ChatRequest, deployment: Deployment, source?: string): string;
export function encodeOpenAIBody(request: ChatRequest, deployment: Deployment, source: string | undefined, sourceBytes: Buffer | undefined): string | Buffer;
export function encodeOpenAIBody(request: ChatRequest, deployment: Deployment, source?: string, sourceBytes?: Buffer): string | Buffer {
  const parts = source === undefined ? undefined : splicedParts(source, request, deployment);
  if (parts !== undefined) {
    // valid UTF-8 (the body reader checks) has as many bytes as UTF-16 code units only when all of it is ASCII
    if (source!.length >= BYTES_MIN_LENGTH && sourceBytes?.length === source!.length) return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : sourceBytes.subarray(part.start, part.end))));
    let text = '';
    for (const part of parts) text += typeof part === 'string' ? part : source!.slice(part.start, part.end);
    return text;
  }
  const body = encodeOpenAIRequest(request, deployment);
  const tools = body.tools;
  if (!Array.isArray(tools) || tools.length === 0) return JSON.stringify(body);
  body.tools = undefined; // JSON.stringify leaves it out
  const json = JSON.stringify(body); // never `{}`: `model` is always there
  return `${json.slice(0, -1)},"tools":${toolsJson(tools)}}`;
}

/**
 * encodeOpenAIRequest's body, in order, as text the gateway writes and members copied as the client wrote them
 * (JSON.stringify costs about 1.7 ns per byte, 100 µs for a 60 KB agent turn): `model`, the gateway-only
 * fields, `stream_options`, `usage` and the deployment's extra fields are written as encodeOpenAIRequest writes
 * them. Undefined when a member comes twice or the scanner cannot follow the text.
 */
function splicedParts(source: string, request: ChatRequest, deployment: Deployment): Array<string | JsonMember> | undefined {
  const members = objectMembers(source);
  if (!members) return undefined;
  const set = gatewayMembers(request, deployment);
  const rewritten = (key: string) => key === 'model' || GATEWAY_ONLY.has(key) || Object.hasOwn(set, key);
  const seen = new Set<string>();
  const parts: Array<string | JsonMember> = [`{"model":${JSON.stringify(deployment.upstreamModel)}`];
  for (const member of members) {
    if (seen.has(member.key)) return undefined;
    seen.add(member.key);
    if (!rewritten(member.key)) parts.push(',', member);
  }
  let tail = '';
  if (deployment.extraBody) {
    for (const [key, value] of Object.entries(deployment.extraBody)) {
      if (value !== undefined && !seen.has(key) && !rewritten(key)) tail += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
    }
  }
  for (const [key, value] of Object.entries(set)) tail += `,"${key}":${JSON.stringify(value)}`;
  parts.push(`${tail}}`);
  return parts;
}

/** Headers for an OpenAI-compatible upstream: its own key, never the client's. */
export function encodeOpenAIHeaders(deployment: Deployment): Record<string, string> {
  const { provider } = deployment;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...provider.headers };
  if (provider.apiKey) headers.authorization = `Bearer ${provider.apiKey}`;
  return headers;
}
