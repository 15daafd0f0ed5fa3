/**
 * OpenAI `finish_reason` → Anthropic `stop_reason`. `content_filter` becomes `refusal`: it is Anthropic's reason
 * for "the safety system stopped this answer", and clients such as Claude Code show it as such instead of
 * treating a cut answer as a finished turn (`end_turn`) or claiming a stop sequence matched (`stop_sequence`).
 * A `stop` that still produced tool calls (Ollama, some vLLM parsers) is a tool turn.
 */
export function mapFinishReasonToStopReason(reason: string | null | undefined, hasToolCalls: boolean): string {
  if (hasToolCalls && (reason === 'stop' || reason === 'tool_calls' || reason === 'function_call' || reason == null)) return 'tool_use';
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}
