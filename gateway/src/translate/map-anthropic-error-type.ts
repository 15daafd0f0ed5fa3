import type { ErrorKind } from '../core/errors.js';

const ERROR_KINDS: Readonly<Record<string, ErrorKind>> = {
  invalid_request_error: 'invalid_request',
  authentication_error: 'authentication',
  permission_error: 'permission',
  not_found_error: 'not_found',
  request_too_large: 'request_too_large',
  rate_limit_error: 'rate_limit',
  api_error: 'upstream',
  timeout_error: 'timeout',
  overloaded_error: 'overloaded',
};

/** Anthropic error `type` (as in an SSE `error` event) → the gateway's error kind; unknown types are upstream faults. */
export function mapAnthropicErrorType(type: string | undefined): ErrorKind {
  return (type && ERROR_KINDS[type]) || 'upstream';
}
