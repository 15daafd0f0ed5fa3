import { createHash } from 'node:crypto';

/** OpenAI-compatible APIs refuse function names longer than this; Anthropic and MCP tools often exceed it. */
export const MAX_TOOL_NAME_LENGTH = 64;

/**
 * A name that fits in 64 characters: long names keep their first 55 characters plus `_` and 8 hex characters of
 * their SHA-256, so two long names with the same prefix stay distinct and the same name always maps the same way.
 */
export function shortenToolName(name: string): string {
  if (name.length <= MAX_TOOL_NAME_LENGTH) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_TOOL_NAME_LENGTH - 9)}_${hash}`;
}

/** Short name → original name, for the tool names a request had to shorten (empty for almost every request). */
export type ToolNameMap = ReadonlyMap<string, string>;

/** The client's name for a tool the upstream knows by its short name. */
export function originalToolName(names: ToolNameMap, name: string): string {
  return names.size === 0 ? name : (names.get(name) ?? name);
}
