import { describe, expect, it } from 'vitest';
import { compileNative } from '../../src/config/compile-native.js';
import type { BudgetHold } from '../../src/spend/admit-budget.js';
import { savingsOf, settledSpend } from '../../src/spend/settled-spend.js';
import type { RequestRecord } from '../../src/telemetry/request-log.js';

// prices in USD per million tokens: 1 USD per million is 1 micro-dollar per token
const { config } = compileNative(
  {
    providers: { up: { kind: 'openai-compatible', base_url: 'http://127.0.0.1:1/v1' } },
    models: [
      { name: 'cheap', provider: 'up', prices: { input: 1, output: 2 } },
      { name: 'premium', provider: 'up', prices: { input: 10, output: 20 } },
    ],
  },
  { source: 'test' },
);
const cheap = config!.models.get('cheap')![0]!;
const record = (fields: Partial<RequestRecord>): RequestRecord => ({ requestId: 'r', surface: 'openai.chat', startedAt: 0, deployment: cheap.id, ...fields });
const usage = { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 };

describe('settled spend', () => {
  it('prices the usage at the answering deployment, and the same tokens at the baseline (the priciest model)', () => {
    const spend = settledSpend(config!, { record: record({ usage }), streamedItems: 0 });
    expect(spend).toEqual({ cost: 2_000, baselineCost: 20_000 });
    expect(savingsOf(spend)).toBe(18_000);
  });

  it('takes an upstream-reported cost as the cost, and prices the baseline from the tokens alone', () => {
    const spend = settledSpend(config!, { record: record({ usage: { ...usage, cost: 0.001 } }), streamedItems: 0 });
    expect(spend).toEqual({ cost: 1_000, baselineCost: 20_000 });
  });

  it('knows no cost and no savings without usage, or without a deployment that answered', () => {
    expect(settledSpend(config!, { record: record({}), streamedItems: 0 })).toEqual({});
    expect(settledSpend(config!, { record: record({ deployment: undefined, usage }), streamedItems: 0 })).toEqual({ baselineCost: 20_000 });
    expect(savingsOf({})).toBe(0);
  });

  it('charges what the budget charges when a hold was taken: a client gone mid-stream pays its input and the chunks it got', () => {
    const hold = { route: { candidates: [cheap] }, unpriced: { kind: 'allow_unpriced' }, inputTokens: 100 } as unknown as BudgetHold;
    expect(settledSpend(config!, { record: record({ aborted: true }), budget: hold, streamedItems: 10 })).toEqual({ cost: 100 + 10 * 2 });
    expect(settledSpend(config!, { record: record({}), budget: hold, streamedItems: 10 })).toEqual({ cost: 0 });
    const savings = savingsOf(settledSpend(config!, { record: record({ usage }), budget: hold, streamedItems: 30 }));
    expect(savings).toBe(18_000);
  });
});
