import type { z } from 'zod';
import { GatewayError } from '../core/errors.js';
import { ITEM_SCHEMAS, functionToolSchema, responsesRequestSchema, type ResponsesRequest } from '../translate/responses-request-schema.js';
import { formatPath } from './parse-chat-request.js';

const ITEM_TYPES = Object.keys(ITEM_SCHEMAS).join(', ');

/** Validates a Responses body, each input item and function tool against its own schema; a violation is a 400 naming the field. */
export function parseResponsesRequest(body: unknown): ResponsesRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('Request body must be a JSON object', null);
  }
  const top = responsesRequestSchema.safeParse(body);
  if (!top.success) throw fromZod(top.error, []);
  const request = top.data;
  if (Array.isArray(request.input)) {
    request.input.forEach((item, i) => {
      const type = item.type ?? 'message';
      if (type === 'item_reference') {
        throw invalid(`input[${i}]: item_reference is not supported: Switchyard is stateless and stores no items; send the item itself`, `input[${i}].type`);
      }
      const schema = ITEM_SCHEMAS[type as keyof typeof ITEM_SCHEMAS];
      if (!schema) throw invalid(`input[${i}].type: unsupported input item type '${type}' (supported: ${ITEM_TYPES})`, `input[${i}].type`);
      const checked = schema.safeParse(item);
      if (!checked.success) throw fromZod(checked.error, ['input', i]);
    });
  }
  request.tools?.forEach((tool, i) => {
    if (tool.type !== 'function') return;
    const checked = functionToolSchema.safeParse(tool);
    if (!checked.success) throw fromZod(checked.error, ['tools', i]);
  });
  // Items and tools were checked above against the schemas the request type is built from.
  return request as ResponsesRequest;
}

function fromZod(error: z.ZodError, prefix: PropertyKey[]): GatewayError {
  const issues = error.issues.map((issue) => innermost(issue, []));
  const param = formatPath([...prefix, ...issues[0]!.path]);
  const detail = issues
    .slice(0, 3)
    .map((issue) => `${formatPath([...prefix, ...issue.path]) || '(body)'}: ${issue.message}`)
    .join('; ');
  return invalid(`Invalid request: ${detail}`, param || null);
}

/** For a union (content: string | parts[]), the issue of the branch that got furthest, so the message names the real fault. */
function innermost(issue: z.core.$ZodIssue, base: PropertyKey[]): { path: PropertyKey[]; message: string } {
  const path = [...base, ...issue.path];
  if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
    return { path, message: 'unsupported content part type (supported: input_text, output_text, refusal, input_image, input_file)' };
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const deeper = issue.errors.flat().find((inner) => inner.path.length > 0 || inner.code === 'invalid_union');
    if (deeper) return innermost(deeper, path);
  }
  return { path, message: issue.message };
}

function invalid(message: string, param: string | null): GatewayError {
  return new GatewayError('invalid_request', message, { code: 'invalid_request_body', param });
}
