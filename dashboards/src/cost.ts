import { bars, dashboard, pie, row, sel, stat, timeseries } from './panels.js';

const spend = sel({ model: true, team: true });
const budget = '(budget, scope, window)';
// Every instance reports the same store-backed budget figures: `max by` keeps one.
const spent = `max by ${budget} (switchyard_budget_spent_usd${sel()})`;
const limit = `max by ${budget} (switchyard_budget_limit_usd${sel()})`;
const remaining = `max by ${budget} (switchyard_budget_window_remaining_seconds${sel()})`;
const burn = `max by ${budget} (rate(switchyard_budget_spent_usd${sel()}[1h]))`;

/** Where the money went: spend against budgets, burn rate and projection, spend by model / tier / team / key, savings, cost per request. */
export function costDashboard() {
  return dashboard('switchyard-cost', 'Switchyard / Cost', 'Spend against budgets, burn rate and projection, where the money went and what routing saved.', 'now/d')
    .withRow(row('Overview'))
    .withPanel(stat({ title: 'Spend in range', unit: 'currencyUSD', description: 'What requests cost in the selected time range (today by default), from the price table or the upstream-reported cost.', queries: [{ expr: `sum(increase(switchyard_spend_usd_total${spend}[$__range]))` }] }))
    .withPanel(stat({ title: 'Savings in range', unit: 'currencyUSD', description: 'What the savings baseline model (budgets.savings_baseline, else the priciest model) would have cost for the same tokens, minus what they cost.', queries: [{ expr: `sum(increase(switchyard_savings_usd_total${spend}[$__range]))` }] }))
    .withPanel(stat({ title: 'Burn rate', unit: 'currencyUSD', description: 'Spend per hour at the rate of the last hour.', queries: [{ expr: `sum(rate(switchyard_spend_usd_total${spend}[1h])) * 3600` }] }))
    .withPanel(stat({ title: 'Average cost per request', unit: 'currencyUSD', description: 'Mean cost of a priced request in the selected range.', queries: [{ expr: `sum(increase(switchyard_cost_per_request_usd_sum${sel({ model: true })}[$__range])) / sum(increase(switchyard_cost_per_request_usd_count${sel({ model: true })}[$__range]))` }] }))
    .withRow(row('Budgets'))
    .withPanel(bars({ title: 'Budget used', unit: 'percentunit', max: 1, width: 8, description: 'Each configured budget (global, and team or user budgets that name one) as a share of its limit in the current window, read from the shared store.', queries: [{ expr: `${spent} / ${limit}`, legend: '{{budget}}' }] }))
    .withPanel(timeseries({ title: 'Spend against limit', unit: 'currencyUSD', width: 8, description: 'Spend in the current window of each budget, and its limit.', queries: [{ expr: spent, legend: '{{budget}} spent' }, { expr: limit, legend: '{{budget}} limit' }] }))
    .withPanel(bars({ title: 'Projected spend at window end', unit: 'currencyUSD', width: 8, description: "Spend so far plus the last hour's burn rate over the rest of the window (the month-end projection for monthly budgets); the SwitchyardBudgetExhaustionPredicted alert fires when it passes the limit.", queries: [{ expr: `${spent} + ${burn} * ${remaining}`, legend: '{{budget}}' }] }))
    .withRow(row('Where the money went'))
    .withPanel(timeseries({ title: 'Spend rate by model', unit: 'currencyUSD', stack: 'normal', description: 'USD per hour by model served.', queries: [{ expr: `sum by (model) (rate(switchyard_spend_usd_total${spend}[$__rate_interval])) * 3600`, legend: '{{model}}' }] }))
    .withPanel(timeseries({ title: 'Savings rate by model', unit: 'currencyUSD', stack: 'normal', description: 'USD per hour saved against the premium baseline, by model served.', queries: [{ expr: `sum by (model) (rate(switchyard_savings_usd_total${spend}[$__rate_interval])) * 3600`, legend: '{{model}}' }] }))
    .withPanel(pie({ title: 'Spend by tier', unit: 'currencyUSD', description: 'Spend in range by the tier the router chose (none for plain model names).', queries: [{ expr: `sum by (tier) (increase(switchyard_spend_usd_total${spend}[$__range]))`, legend: '{{tier}}' }] }))
    .withPanel(pie({ title: 'Spend by team', unit: 'currencyUSD', description: "Spend in range by the calling key's team.", queries: [{ expr: `sum by (team) (increase(switchyard_spend_usd_total${spend}[$__range]))`, legend: '{{team}}' }] }))
    .withPanel(pie({ title: 'Spend by key', unit: 'currencyUSD', description: "Spend in range by the calling key's alias (master, anonymous, or a virtual key's alias).", queries: [{ expr: `sum by (key) (increase(switchyard_spend_usd_total${spend}[$__range]))`, legend: '{{key}}' }] }))
    .withPanel(timeseries({ title: 'Cost per request', unit: 'currencyUSD', width: 24, description: 'Median and 95th percentile cost of one request, from the cost histogram.', queries: [
      { expr: `histogram_quantile(0.5, sum by (le) (rate(switchyard_cost_per_request_usd_bucket${sel({ model: true })}[$__rate_interval])))`, legend: 'p50' },
      { expr: `histogram_quantile(0.95, sum by (le) (rate(switchyard_cost_per_request_usd_bucket${sel({ model: true })}[$__rate_interval])))`, legend: 'p95' },
    ] }))
    .build();
}
