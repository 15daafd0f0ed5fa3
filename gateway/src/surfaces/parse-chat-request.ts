import type { z } from 'zod';
import { chatRequestSchema, type ChatRequest } from '../core/chat-schema.js';
import { GatewayError } from '../core/errors.js';

/** Validates a chat completions body; a violation is a 400 that names the field (e.g. `messages[1].role`). */
export function parseChatRequest(body: unknown): ChatRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayError('invalid_request', 'Request body must be a JSON object', { code: 'invalid_request_body' });
  }
  const result = chatRequestSchema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const first = issues[0]!;
  const param = formatPath(first.path);
  const detail = issues.slice(0, 3).map((issue) => `${formatPath(issue.path) || '(body)'}: ${describe(issue)}`).join('; ');
  throw new GatewayError('invalid_request', `Invalid request: ${detail}`, { code: 'invalid_request_body', param: param || null });
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
    return 'role must be one of system, developer, user, assistant, tool, function';
  }
  return issue.message;
}

/** `['messages', 1, 'role']` → `messages[1].role` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out;
}
