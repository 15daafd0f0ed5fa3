import { z } from 'zod';

/**
 * The OpenAI Responses request, loose like the chat schema: unknown fields are tolerated. Input items and tools
 * are checked one by one against the schema for their `type` (see ITEM_SCHEMAS), so an error names the item.
 */
const inputText = z.looseObject({ type: z.literal('input_text'), text: z.string() });
const outputText = z.looseObject({ type: z.literal('output_text'), text: z.string() });
const refusal = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });
const inputImage = z.looseObject({
  type: z.literal('input_image'),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.string().nullish(),
});
const inputFile = z.looseObject({
  type: z.literal('input_file'),
  file_data: z.string().nullish(),
  file_id: z.string().nullish(),
  filename: z.string().nullish(),
});

export const contentPartSchema = z.discriminatedUnion('type', [inputText, outputText, refusal, inputImage, inputFile]);

export const messageItemSchema = z.looseObject({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(contentPartSchema)]),
});

export const functionCallItemSchema = z.looseObject({
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
});

export const functionCallOutputItemSchema = z.looseObject({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(contentPartSchema)]),
});

export const reasoningItemSchema = z.looseObject({ type: z.literal('reasoning') });

/** Item type → its schema; a message may omit `type` (the "easy" input message). */
export const ITEM_SCHEMAS = {
  message: messageItemSchema,
  function_call: functionCallItemSchema,
  function_call_output: functionCallOutputItemSchema,
  reasoning: reasoningItemSchema,
} as const;

export const functionToolSchema = z.looseObject({
  type: z.literal('function'),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

const textFormat = z.looseObject({
  type: z.string(),
  name: z.string().optional(),
  schema: z.record(z.string(), z.unknown()).optional(),
  strict: z.boolean().nullish(),
  description: z.string().optional(),
});

export const responsesRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.looseObject({ type: z.string().optional() }))]),
  instructions: z.string().nullish(),
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  tool_choice: z.union([z.enum(['none', 'auto', 'required']), z.looseObject({ type: z.string(), name: z.string().optional() })]).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  reasoning: z.looseObject({ effort: z.string().nullish(), summary: z.string().nullish() }).nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  text: z.looseObject({ format: textFormat.nullish() }).nullish(),
  stream: z.boolean().nullish(),
  store: z.boolean().nullish(),
  include: z.array(z.string()).nullish(),
  previous_response_id: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  user: z.string().nullish(),
  prompt_cache_key: z.string().nullish(),
});

export type ContentPart = z.infer<typeof contentPartSchema>;
export type MessageItem = z.infer<typeof messageItemSchema>;
export type FunctionCallInput = z.infer<typeof functionCallItemSchema>;
export type FunctionCallOutputInput = z.infer<typeof functionCallOutputItemSchema>;
export type InputItem =
  | (MessageItem & { type?: 'message' })
  | FunctionCallInput
  | FunctionCallOutputInput
  | z.infer<typeof reasoningItemSchema>;
export type FunctionTool = z.infer<typeof functionToolSchema>;

type Parsed = z.infer<typeof responsesRequestSchema>;

/** A validated request: items and tools already checked against their own schemas. */
export interface ResponsesRequest {
  model: string;
  input: string | InputItem[];
  instructions?: string | null;
  tools?: Array<FunctionTool | { type: string; [k: string]: unknown }> | null;
  tool_choice?: Parsed['tool_choice'];
  parallel_tool_calls?: boolean | null;
  reasoning?: Parsed['reasoning'];
  max_output_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  text?: Parsed['text'];
  stream?: boolean | null;
  store?: boolean | null;
  include?: string[] | null;
  previous_response_id?: string | null;
  metadata?: Record<string, unknown> | null;
  user?: string | null;
  prompt_cache_key?: string | null;
  [k: string]: unknown;
}
