/**
 * Shapes of credentials an upstream may quote back in an error ("Incorrect API key provided: sk-…"):
 * provider API keys, bearer tokens, JWTs and `key=value` pairs whose name says secret.
 */
const KEY_SHAPES: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_*-]{6,}/g, // OpenAI, Anthropic (sk-ant-), OpenRouter (sk-or-), DeepSeek, LiteLLM and Switchyard keys
  /\b(?:gsk|xai|hf|ghp|gho|ghu|ghs|ghr|glpat|pplx|csk|nvapi)[-_][A-Za-z0-9_*-]{10,}/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g, // Google
  /\b(?:AKIA|ASIA)[0-9A-Z]{12,}/g, // AWS access key ids
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, // JWTs
];
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=*-]{6,}/gi;
const NAMED = /\b((?:api[_-]?key|access[_-]?token|auth[_-]?token|token|secret|password)["']?\s*[:=]\s*["']?)[^\s"'&,;]{6,}/gi;

export const REDACTED = '[redacted]';

/** Configured secrets shorter than this are not searched for: they would match ordinary words. */
const MIN_SECRET_LENGTH = 8;

/**
 * Removes credentials from text that came from an upstream (error messages) before it is relayed to a client
 * or logged: every configured secret given, then anything shaped like a key.
 */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= MIN_SECRET_LENGTH && out.includes(secret)) out = out.split(secret).join(REDACTED);
  for (const shape of KEY_SHAPES) out = out.replace(shape, REDACTED);
  return out.replace(BEARER, `$1 ${REDACTED}`).replace(NAMED, `$1${REDACTED}`);
}
