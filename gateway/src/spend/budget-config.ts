import { z } from 'zod';
import { configError, configWarning, isRecord } from '../config/diagnostics.js';
import { strictObject } from '../config/strict-object.js';
import type { ConfigDiagnostic } from '../config/types.js';
import { zodIssuesToDiagnostics } from '../config/zod-diagnostics.js';
import { isValidTimeZone, type WindowPeriod } from './budget-window.js';
import { usdToMicros, type UnpricedPolicy } from './compute-cost.js';

export const BUDGET_SCOPES = ['global', 'team', 'key', 'user'] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];

const timeZone = z.string().refine(isValidTimeZone, { message: 'unknown time zone: use an IANA name such as UTC or Europe/Berlin' });
const fraction = z.number().gt(0).max(1);
const price = z.number().min(0);

const limitSchema = strictObject({
  /** Shown in errors, headers and /admin/budgets; defaults to `<scope>[:<match>]:<window>`. */
  name: z.string().min(1).optional(),
  scope: z.enum(BUDGET_SCOPES),
  /** One team, key alias or user this limit is for; without it each team/key/user gets its own budget. */
  match: z.string().min(1).optional(),
  window: z.enum(['daily', 'weekly', 'monthly']),
  max_usd: z.number().positive(),
  soft_threshold: fraction.optional(),
  time_zone: timeZone.optional(),
});

/** The short form: one scope's caps per window, e.g. `global: { daily_usd: 20, monthly_usd: 300 }`. */
const capsSchema = strictObject({
  daily_usd: z.number().positive().optional(),
  weekly_usd: z.number().positive().optional(),
  monthly_usd: z.number().positive().optional(),
  soft_threshold: fraction.optional(),
  time_zone: timeZone.optional(),
});
const namedCaps = z.record(z.string().min(1), capsSchema);

const alertSchema = strictObject({
  url: z.url(),
  /** `json` (default), `slack` or `discord` payloads. */
  format: z.enum(['json', 'slack', 'discord']).optional(),
  /** Shared secret for the `x-switchyard-signature: sha256=<HMAC of the body>` header. */
  secret: z.string().min(1).optional(),
  /** Shares of a limit that fire an alert once per window (default 0.5, 0.8, 1). */
  thresholds: z.array(z.number().gt(0).max(1)).min(1).optional(),
});

/** The `budgets:` config section. */
export const budgetsSectionSchema = strictObject({
  /** The model savings are measured against in spend reports (default: the model with the highest output price). */
  savings_baseline: z.string().min(1).optional(),
  /** Webhooks told when a budget crosses a threshold, once per threshold and window across all instances. */
  alerts: z.array(alertSchema).optional(),
  global: capsSchema.optional(),
  /** Caps for named teams, keys (alias or id) and users. */
  teams: namedCaps.optional(),
  keys: namedCaps.optional(),
  users: namedCaps.optional(),
  /** Caps every team, key or user gets on its own. */
  each_team: capsSchema.optional(),
  each_key: capsSchema.optional(),
  each_user: capsSchema.optional(),
  time_zone: timeZone.optional(),
  /** Share of a limit past which routed requests are downgraded one tier (default 0.8). */
  soft_threshold: fraction.optional(),
  /** A model without a known price: `block` it (default), `allow_unpriced` (charged 0), or charge `default_price`. */
  unpriced: z.enum(['block', 'allow_unpriced', 'default_price']).optional(),
  default_price: strictObject({ input: price, output: price, cache_read: price.optional(), cache_write: price.optional() }).optional(),
  /** Models priced at zero (local Ollama, `:free`) skip budget checks (default true). */
  exempt_free_models: z.boolean().optional(),
  /** When the store cannot be reached: refuse requests (`fail_closed`, default) or let them through (`fail_open`). */
  on_store_failure: z.enum(['fail_closed', 'fail_open']).optional(),
  limits: z.array(limitSchema).optional(),
});

export interface BudgetLimit {
  name: string;
  scope: BudgetScope;
  match?: string;
  window: WindowPeriod;
  maxMicros: number;
  softMicros: number;
  timeZone: string;
}

export interface AlertTarget {
  url: string;
  format: 'json' | 'slack' | 'discord';
  secret?: string;
  /** Ascending shares of a limit. */
  thresholds: number[];
}

/** The compiled budgets, kept in `config.extensions.budgets`. */
export interface CompiledBudgets {
  kind: 'switchyard.budgets';
  limits: BudgetLimit[];
  alerts: AlertTarget[];
  savingsBaseline?: string;
  unpriced: UnpricedPolicy;
  exemptFree: boolean;
  failOpen: boolean;
}

const DEFAULT_SOFT = 0.8;

/** What applies without a budgets section (a virtual key may still carry its own caps). */
export const NO_BUDGETS: CompiledBudgets = { kind: 'switchyard.budgets', limits: [], alerts: [], unpriced: { kind: 'block' }, exemptFree: true, failOpen: false };

/** The compiled budgets of a config, if it declares any. */
export function budgetsOf(extensions: Readonly<Record<string, unknown>>): CompiledBudgets | undefined {
  const value = extensions.budgets as CompiledBudgets | undefined;
  return value?.kind === 'switchyard.budgets' ? value : undefined;
}

/**
 * Validates `budgets:` and folds in LiteLLM's `litellm_settings.max_budget` + `budget_duration` as a global
 * limit, so a LiteLLM user's cap keeps working. Returns nothing to install when neither is present.
 */
export function compileBudgets(raw: unknown, litellmSettings?: unknown): { budgets?: CompiledBudgets; diagnostics: ConfigDiagnostic[] } {
  const diagnostics: ConfigDiagnostic[] = [];
  const litellm = litellmLimit(litellmSettings, diagnostics);
  if ((raw === undefined || raw === null) && !litellm) return { diagnostics };
  const parsed = budgetsSectionSchema.safeParse(raw ?? {}, { reportInput: true });
  if (!parsed.success) return { diagnostics: [...diagnostics, ...zodIssuesToDiagnostics(parsed.error.issues, { prefix: ['budgets'] })] };
  const file = parsed.data;
  if (file.unpriced === 'default_price' && !file.default_price) {
    return { diagnostics: [...diagnostics, configError(['budgets', 'default_price'], 'required when unpriced is default_price: {input: USD per million, output: USD per million}')] };
  }
  const tz = file.time_zone ?? 'UTC';
  const soft = file.soft_threshold ?? DEFAULT_SOFT;
  const entries = [...shortLimits(file), ...(file.limits ?? []), ...(litellm ? [litellm] : [])];
  const limits = entries.map((l): BudgetLimit => {
    const maxMicros = usdToMicros(l.max_usd);
    return {
      name: l.name ?? [l.scope, l.match, l.window].filter(Boolean).join(':'),
      scope: l.scope,
      ...(l.match ? { match: l.match } : {}),
      window: l.window,
      maxMicros,
      softMicros: Math.floor(maxMicros * (l.soft_threshold ?? soft)),
      timeZone: l.time_zone ?? tz,
    };
  });
  const names = new Set<string>();
  limits.forEach((l, i) => {
    if (names.has(l.name)) diagnostics.push(configError(['budgets', 'limits', i], `two limits are named "${l.name}"; give one a distinct name`));
    names.add(l.name);
  });
  const dp = file.default_price;
  const unpriced: UnpricedPolicy =
    file.unpriced === 'default_price' && dp
      ? { kind: 'default_price', prices: { input: dp.input, output: dp.output, cacheRead: dp.cache_read, cacheWrite: dp.cache_write } }
      : { kind: file.unpriced === 'allow_unpriced' ? 'allow_unpriced' : 'block' };
  return {
    budgets: { kind: 'switchyard.budgets', limits, alerts: compileAlerts(file.alerts), ...(file.savings_baseline ? { savingsBaseline: file.savings_baseline } : {}), unpriced, exemptFree: file.exempt_free_models ?? true, failOpen: file.on_store_failure === 'fail_open' },
    diagnostics,
  };
}

type LimitEntry = z.infer<typeof limitSchema>;

function compileAlerts(alerts: z.infer<typeof alertSchema>[] | undefined): AlertTarget[] {
  return (alerts ?? []).map((a) => ({
    url: a.url,
    format: a.format ?? 'json',
    ...(a.secret ? { secret: a.secret } : {}),
    thresholds: [...new Set(a.thresholds ?? [0.5, 0.8, 1])].sort((x, y) => x - y),
  }));
}
type Caps = z.infer<typeof capsSchema>;
const WINDOWS = ['daily', 'weekly', 'monthly'] as const;

/** Expands the short per-scope forms into limit entries. */
function shortLimits(file: z.infer<typeof budgetsSectionSchema>): LimitEntry[] {
  const out: LimitEntry[] = [];
  const add = (scope: BudgetScope, caps: Caps | undefined, match?: string) => {
    if (!caps) return;
    for (const window of WINDOWS) {
      const max = caps[`${window}_usd`];
      if (max === undefined) continue;
      out.push({ scope, window, max_usd: max, soft_threshold: caps.soft_threshold, time_zone: caps.time_zone, ...(match === undefined ? {} : { match }) });
    }
  };
  add('global', file.global);
  for (const [name, caps] of Object.entries(file.teams ?? {})) add('team', caps, name);
  for (const [name, caps] of Object.entries(file.keys ?? {})) add('key', caps, name);
  for (const [name, caps] of Object.entries(file.users ?? {})) add('user', caps, name);
  add('team', file.each_team);
  add('key', file.each_key);
  add('user', file.each_user);
  return out;
}

/** LiteLLM's budget_duration (`1d`, `7d`, `30d`, `1mo` …) → the nearest calendar window. */
function litellmLimit(settings: unknown, diags: ConfigDiagnostic[]): LimitEntry | undefined {
  if (!isRecord(settings) || settings.max_budget === undefined) return undefined;
  const max = Number(settings.max_budget);
  if (!Number.isFinite(max) || max <= 0) {
    diags.push(configError(['litellm_settings', 'max_budget'], 'must be a positive number of USD'));
    return undefined;
  }
  const duration = typeof settings.budget_duration === 'string' ? settings.budget_duration.trim() : undefined;
  const window = durationToWindow(duration);
  if (!duration || !['1d', '24h', '7d', '1w', '30d', '1mo'].includes(duration)) {
    diags.push(configWarning(['litellm_settings', 'budget_duration'], `${duration ?? 'not set'}: applied as a ${window} budget (calendar windows in UTC)`));
  }
  return { name: 'litellm:max_budget', scope: 'global', window, max_usd: max };
}

function durationToWindow(duration: string | undefined): WindowPeriod {
  const m = duration ? /^(\d+)\s*(s|m|h|d|w|mo)$/.exec(duration) : null;
  if (!m) return 'monthly';
  const n = Number(m[1]);
  const days = m[2] === 'mo' ? 30 * n : m[2] === 'w' ? 7 * n : m[2] === 'd' ? n : m[2] === 'h' ? n / 24 : 0;
  return days <= 1 ? 'daily' : days <= 7 ? 'weekly' : 'monthly';
}
