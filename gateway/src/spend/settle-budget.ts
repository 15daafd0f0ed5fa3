import type { Runtime } from '../server/runtime.js';
import type { RequestRecord } from '../telemetry/request-log.js';
import type { BudgetHold } from './admit-budget.js';
import { checkAlerts } from './budget-alerts.js';
import { budgetsOf } from './budget-config.js';
import { chargeablePrices, worstCaseCost, type Micros } from './compute-cost.js';
import { requestCost } from './request-cost.js';
import { noteStoreCall, storeOf } from './runtime-store.js';
import type { SettledSpend } from './settled-spend.js';
import { reportDelta } from './spend-report.js';

/**
 * What a request consumed: its usage priced (upstream cost first); a client that left mid-stream without usage
 * pays the input estimate plus one output token per relayed chunk; a request refused or failed upstream pays 0.
 */
export function consumedCost(hold: BudgetHold, record: RequestRecord, streamedItems: number): Micros {
  const deployment = hold.route.candidates.find((d) => d.id === record.deployment) ?? hold.route.candidates[0]!;
  const fromUsage = requestCost(deployment, record.usage, hold.unpriced);
  if (fromUsage !== undefined) return fromUsage;
  if (!record.aborted) return 0;
  const prices = chargeablePrices(deployment, hold.unpriced);
  return prices ? worstCaseCost(hold.inputTokens, streamedItems, prices) : 0;
}

/**
 * Settles a budget hold to the request's actual cost, then checks the budget alerts; failures are logged (the
 * reservation expires with its window). Resolves once the embedded store has journaled the spend, which is what
 * a non-streamed answer waits for so that `kill -9` loses no answered spend. A shared store (Redis) keeps its
 * spend in Redis, so nothing waits for its round trip; nothing waits for the alerts either.
 */
export function settleBudget(runtime: Runtime, hold: BudgetHold, record: RequestRecord, spend: SettledSpend): Promise<void> {
  const actual = spend.cost ?? 0;
  const deployment = record.deployment === undefined ? undefined : hold.route.candidates.find((d) => d.id === record.deployment);
  const { chargee } = hold;
  const settling = storeOf(runtime).then((store) => ({
    store,
    done: store.settle(hold.counters, hold.reserved, actual, {
      settleId: record.requestId,
      model: record.deployment,
      keyId: chargee.keyId,
      team: chargee.team,
      user: chargee.user,
      promptTokens: record.usage?.prompt_tokens,
      completionTokens: record.usage?.completion_tokens,
      report: reportDelta(chargee, deployment?.modelName, record.usage, spend, store.now()),
    }),
  }));
  settling
    .then(async ({ store, done }) => {
      await done;
      if (actual > 0 && budgetsOf(runtime.config.extensions)?.alerts.length) {
        const states = await store.read(hold.counters.map((c) => c.key));
        await checkAlerts(runtime, store, hold.applied, states.map((s) => s.spent));
      }
    })
    .catch((err: unknown) => {
      noteStoreCall(runtime, err);
      runtime.logger.error({ err, request_id: record.requestId }, 'budget settle failed');
    });
  return settling.then(({ store, done }) => (store.kind === 'memory' ? done.then(noop, noop) : undefined), noop);
}

const noop = () => undefined;
