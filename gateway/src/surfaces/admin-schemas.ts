import { z } from 'zod';

/** Query and response schemas of the admin endpoints the web console reads; /openapi.json is built from them. */

export const requestsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('At most this many, newest first'),
  tier: z.string().optional().describe('Only requests routed to this tier'),
  model: z.string().optional().describe('Model asked for or served'),
  key: z.string().optional().describe('Virtual key alias or id, `master` or `anonymous`'),
  client: z.string().optional().describe('Client detected from the request (opencode, roo-code, cline, claude-code, …)'),
  rule: z.string().optional().describe('Routing rule id that matched'),
  status: z.enum(['ok', 'error']).optional().describe('`ok`: 2xx; `error`: anything else'),
  routed: z.enum(['true', 'false']).optional().describe('`true`: only requests a router classified'),
});

const cues = z.object({
  code: z.boolean(), math: z.boolean(), design: z.boolean(), debug: z.boolean(), reasoning: z.boolean(), open_ended: z.boolean(),
  multi_step: z.number(), constraints: z.number(), questions: z.number(),
});

export const requestEntry = z.object({
  id: z.string(),
  at: z.number().describe('Epoch ms when the request ended'),
  surface: z.string(),
  client: z.string().optional(),
  key: z.string().optional(),
  modelAsked: z.string().optional(),
  model: z.string().optional().describe('Public model name that answered'),
  deployment: z.string().optional(),
  router: z.string().optional(),
  tier: z.string().optional(),
  rule: z.string().optional(),
  reason: z.string().optional(),
  downgraded: z.string().optional().describe('`premium->standard` when a soft budget limit moved the tier'),
  promptTokens: z.number().optional(),
  completionTokens: z.number().optional(),
  costMicros: z.number().describe('Cost in micro-dollars'),
  savingsMicros: z.number().describe('Premium baseline cost minus cost, micro-dollars'),
  latencyMs: z.number(),
  ttftMs: z.number().optional(),
  status: z.number(),
  error: z.string().optional(),
  fallbacks: z.number().describe('Candidates ahead of the deployment that answered (0: first choice)'),
  stream: z.boolean().optional(),
  aborted: z.boolean().optional(),
  signals: z.object({
    mode: z.string(), task: z.string(), turn: z.string(), depth: z.number(), complexity: z.number(), context_tokens: z.number(),
    tools: z.number(), images: z.boolean(), hint_tier: z.string(), role: z.string(), cues,
  }).optional().describe('Classifier signals (the instruction text is never kept)'),
});

export const requestsResponse = z.object({
  capacity: z.number().describe('Requests the in-memory ring keeps'),
  recorded: z.number().describe('Requests recorded since start'),
  requests: z.array(requestEntry),
});

const minutePoint = z.object({
  t: z.number().describe('Epoch ms of the minute'),
  requests: z.number(),
  client_errors: z.number(),
  server_errors: z.number(),
  cost_micros: z.number(),
  savings_micros: z.number(),
  tiers: z.record(z.string(), z.number()),
});

const spendTotal = z.object({ cost_usd: z.string(), savings_usd: z.string(), requests: z.number(), prompt_tokens: z.number(), completion_tokens: z.number() });

export const budgetStatusSchema = z.object({
  name: z.string(),
  scope: z.string(),
  subject: z.string(),
  window: z.string(),
  windowId: z.string(),
  spent: z.number().describe('Micro-dollars settled in this window'),
  reserved: z.number().describe('Micro-dollars held by requests in flight'),
  limit: z.number(),
  soft: z.number(),
  resetsAt: z.string(),
  spent_usd: z.string(),
  reserved_usd: z.string(),
  limit_usd: z.string(),
});

export const overviewQuery = z.strictObject({
  minutes: z.coerce.number().int().min(1).max(60).default(15).describe('Window for rates and latency percentiles'),
});

export const overviewResponse = z.object({
  generated_at: z.string(),
  spend: z.object({
    source: z.enum(['store', 'process']).describe('`store`: the budget store\'s day reports (UTC days); `process`: this process since start (no budgets section)'),
    baseline: z.string().optional().describe('Premium model savings are measured against'),
    today: spendTotal,
    week: spendTotal.describe('Since Monday (UTC)'),
    month: spendTotal,
  }),
  budgets: z.array(budgetStatusSchema),
  traffic: z.object({
    minutes: z.number(),
    requests: z.number(),
    requests_per_minute: z.number(),
    error_rate: z.number().describe('Share of requests answered 5xx or not at all'),
    client_error_rate: z.number().describe('Share answered 4xx (refusals, bad requests)'),
    p50_ms: z.number().nullable(),
    p95_ms: z.number().nullable(),
  }),
  since_start: z.object({ started_at: z.string(), requests: z.number(), cost_usd: z.string(), savings_usd: z.string(), server_errors: z.number(), client_errors: z.number() }),
  series: z.array(minutePoint).describe('The last 60 minutes, oldest first'),
});

export const routingResponse = z.object({
  routers: z.array(z.object({
    name: z.string(),
    tiers: z.array(z.object({ name: z.string(), models: z.array(z.string()) })),
    rules: z.array(z.object({ id: z.string(), tier: z.string(), hits: z.number() })),
  })),
  series: z.array(z.object({ t: z.number(), tiers: z.record(z.string(), z.number()) })),
  decisions: z.array(requestEntry),
});

export const modelsResponse = z.object({
  deployments: z.array(z.object({
    id: z.string(),
    model: z.string(),
    provider: z.string(),
    provider_kind: z.string(),
    upstream_model: z.string(),
    input_price: z.number().optional().describe('USD per million input tokens'),
    output_price: z.number().optional().describe('USD per million output tokens'),
    context_window: z.number().optional(),
    max_output_tokens: z.number().optional(),
    capabilities: z.record(z.string(), z.boolean()),
    health: z.enum(['ok', 'cooling', 'half_open']),
    cooldown_until: z.string().optional(),
    traffic: z.object({ requests: z.number(), errors: z.number(), last_status: z.number(), last_at: z.string().optional(), last_error: z.string().optional() }),
    latency: z.object({ ttft_ms: z.number(), tokens_per_second: z.number(), samples: z.number(), expected_ms: z.number() }).optional().describe('The moving estimates `order: fastest` (yolo) ranks by'),
  })),
  aliases: z.record(z.string(), z.string()),
  routers: z.array(z.string()),
});

export const alertsResponse = z.object({
  targets: z.array(z.object({ target: z.string().describe('Webhook host'), format: z.string(), thresholds: z.array(z.number()) })),
  sent: z.array(z.object({ target: z.string(), format: z.string(), delivered: z.boolean().optional(), alert: z.record(z.string(), z.unknown()) })),
});

export const emptyQuery = z.strictObject({});

// Endpoints that predate the console: their query and answer shapes, for the OpenAPI document.
export const budgetsQuery = z.strictObject({
  team: z.string().optional().describe('Also the budgets of this team'),
  key: z.string().optional().describe('Also the budgets of this key (id or alias)'),
  user: z.string().optional().describe('Also the budgets of this user'),
  all: z.enum(['true']).optional().describe('Every scope: global, each key, and each team and user with a key or spend this month'),
});
export const budgetsResponse = z.object({ budgets: z.array(budgetStatusSchema) });

export const spendQuery = z.strictObject({
  by: z.enum(['key', 'team', 'user', 'model', 'day']).default('model'),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().describe('First UTC day (default: 29 days before `to`)'),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().describe('Last UTC day (default: today)'),
});
const spendRow = z.object({ name: z.string(), cost_usd: z.string(), savings_usd: z.string(), prompt_tokens: z.number(), completion_tokens: z.number(), requests: z.number() });
export const spendResponse = z.object({ by: z.string(), from: z.string(), to: z.string(), baseline: z.string().optional(), rows: z.array(spendRow), total: spendRow.optional(), note: z.string().optional() });

export const keyRecord = z.object({
  id: z.string(),
  preview: z.string().describe('The first characters of the key'),
  alias: z.string(),
  team: z.string().optional(),
  user: z.string().optional(),
  models: z.array(z.string()).optional(),
  budgets: z.object({ daily_usd: z.number().optional(), weekly_usd: z.number().optional(), monthly_usd: z.number().optional() }).optional(),
  admin: z.boolean().describe('An admin key: may also use the admin API and the web console'),
  createdBy: z.string().optional().describe('`master`, `anonymous`, or the id of the admin key that created it'),
  createdAt: z.string(),
  expiresAt: z.string().optional(),
  revokedAt: z.string().optional(),
});
export const createdKey = keyRecord.extend({ key: z.string().describe('The plain key: shown in this answer only, never again') });
export const keysResponse = z.object({ keys: z.array(keyRecord) });
export const sessionResponse = z.object({
  key_id: z.string().describe('`master`, `anonymous` (no auth configured) or the admin virtual key\'s id'),
  alias: z.string().optional(),
  role: z.enum(['master', 'anonymous', 'admin_key']),
  can_manage_admin_keys: z.boolean().describe('Whether this key may create or rotate admin keys (the master key only)'),
});

export const explainResponse = z.object({
  router: z.string(),
  signals: z.record(z.string(), z.unknown()),
  rules: z.array(z.object({ id: z.string(), tier: z.string(), matched: z.boolean() })),
  decision: z.object({ tier: z.string(), rule: z.string(), reason: z.string(), escalated_from: z.string().optional(), score: z.number().optional() }),
  model: z.string(),
  candidates: z.array(z.object({ deployment: z.string(), model: z.string(), input_price: z.number().optional(), output_price: z.number().optional() })),
  skipped: z.array(z.object({ deployment: z.string(), reason: z.string() })),
});

export const errorResponse = z.object({
  error: z.object({ message: z.string(), type: z.string(), code: z.string().nullable(), param: z.string().nullable() }),
});
