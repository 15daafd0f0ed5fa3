/** OpenAI Responses API shapes, as far as the gateway produces them (output items, the response object, stream events). */

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export interface OutputText {
  type: 'output_text';
  text: string;
  annotations: unknown[];
}

export interface ReasoningText {
  type: 'reasoning_text';
  text: string;
}

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export interface MessageItem {
  type: 'message';
  id: string;
  role: 'assistant';
  status: ItemStatus;
  content: OutputText[];
}

export interface FunctionCallItem {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: ItemStatus;
}

/** Raw reasoning (chat `reasoning_content`) is reasoning text, not a summary: the upstream sent the thoughts themselves. */
export interface ReasoningItem {
  type: 'reasoning';
  id: string;
  summary: unknown[];
  content: ReasoningText[];
}

export type OutputItem = MessageItem | FunctionCallItem | ReasoningItem;

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

/** The request fields a response echoes back, fixed when the request is translated. */
export interface ResponseEcho {
  model: string;
  instructions: string | null;
  max_output_tokens: number | null;
  parallel_tool_calls: boolean;
  reasoning: { effort: string | null; summary: string | null };
  store: boolean;
  temperature: number | null;
  text: { format: Record<string, unknown> };
  tool_choice: unknown;
  tools: unknown[];
  top_p: number | null;
  metadata: Record<string, unknown>;
}

export interface ResponseObject extends ResponseEcho {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponseStatus;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: string } | null;
  output: OutputItem[];
  previous_response_id: null;
  truncation: 'disabled';
  usage: ResponsesUsage | null;
}

/** One server-sent event of a Responses stream; `type` is also the SSE `event:` name. */
export interface ResponsesStreamEvent {
  type: string;
  sequence_number: number;
  [k: string]: unknown;
}
