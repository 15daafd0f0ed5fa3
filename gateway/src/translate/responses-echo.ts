import type { ResponsesRequest } from './responses-request-schema.js';
import type { ResponseEcho } from './responses-types.js';

/** The request fields a response object repeats. `store` is always false: the gateway keeps no responses. */
export function responseEcho(req: ResponsesRequest): ResponseEcho {
  return {
    model: req.model,
    instructions: req.instructions ?? null,
    max_output_tokens: req.max_output_tokens ?? null,
    parallel_tool_calls: req.parallel_tool_calls ?? true,
    reasoning: { effort: req.reasoning?.effort ?? null, summary: req.reasoning?.summary ?? null },
    store: false,
    temperature: req.temperature ?? null,
    text: { format: req.text?.format ?? { type: 'text' } },
    tool_choice: req.tool_choice ?? 'auto',
    tools: (req.tools ?? []).filter((tool) => tool.type === 'function'),
    top_p: req.top_p ?? null,
    metadata: req.metadata ?? {},
  };
}
