import { bars, dashboard, row, sel, stat, timeseries } from './panels.js';

const quantiles = (metric: string, labels: string) =>
  [0.5, 0.95, 0.99].map((q) => ({ expr: `histogram_quantile(${q}, sum by (le) (rate(${metric}_bucket${labels}[$__rate_interval])))`, legend: `p${Math.round(q * 100)}` }));

/** Which provider is failing: request and error rates, retries, fallbacks, cooldowns, latency, overhead. */
export function reliabilityDashboard() {
  return dashboard('switchyard-reliability', 'Switchyard / Reliability', 'Request and error rates, upstream failures, retries, fallbacks and cooldowns, latency, time to first token and gateway overhead.')
    .withRow(row('Traffic and errors'))
    .withPanel(timeseries({ title: 'Requests by status', unit: 'reqps', stack: 'normal', description: 'Request rate by HTTP status the client got.', queries: [{ expr: `sum by (status) (rate(switchyard_requests_total${sel({ model: true })}[$__rate_interval]))`, legend: '{{status}}' }] }))
    .withPanel(timeseries({ title: 'Errors by class', unit: 'reqps', stack: 'normal', description: 'Failed requests by error class (the gateway error code: budget_exceeded, rate_limit_exceeded, upstream_error, model_not_found …).', queries: [{ expr: `sum by (class) (rate(switchyard_request_errors_total${sel()}[$__rate_interval]))`, legend: '{{class}}' }] }))
    .withPanel(timeseries({ title: 'Upstream errors by class', unit: 'reqps', stack: 'normal', description: 'Failed upstream attempts by class (rate_limited, server_error, timeout, connection, bad_response, context_overflow …) and deployment.', queries: [{ expr: `sum by (deployment, class) (rate(switchyard_upstream_errors_total${sel()}[$__rate_interval]))`, legend: '{{deployment}} {{class}}' }] }))
    .withPanel(timeseries({ title: 'Upstream attempts by outcome', unit: 'reqps', stack: 'normal', description: 'Every attempt sent upstream, by model and outcome (ok or the error class).', queries: [{ expr: `sum by (model, outcome) (rate(switchyard_upstream_attempts_total${sel({ model: true })}[$__rate_interval]))`, legend: '{{model}} {{outcome}}' }] }))
    .withRow(row('Resilience'))
    .withPanel(bars({ title: 'Fallbacks', unit: 'short', width: 8, description: 'Requests moved on from a deployment to the next candidate in range, by the deployment left and why.', queries: [{ expr: `sum by (deployment, reason) (increase(switchyard_fallbacks_total${sel()}[$__range]))`, legend: '{{deployment}}: {{reason}}' }] }))
    .withPanel(bars({ title: 'Retries', unit: 'short', width: 8, description: 'Attempts repeated on the same deployment in range, by reason.', queries: [{ expr: `sum by (deployment, reason) (increase(switchyard_retries_total${sel()}[$__range]))`, legend: '{{deployment}}: {{reason}}' }] }))
    .withPanel(bars({ title: 'Skipped candidates', unit: 'short', width: 8, description: 'Candidates passed over without an attempt in range: cooling down, or at their rpm/tpm limit.', queries: [{ expr: `sum by (deployment, reason) (increase(switchyard_deployment_skips_total${sel()}[$__range]))`, legend: '{{deployment}}: {{reason}}' }] }))
    .withPanel(timeseries({ title: 'Deployments cooling', unit: 'short', description: '1 while a deployment is in cooldown on any instance; the SwitchyardModelAllDeploymentsCooling alert fires when every deployment of a model is.', queries: [{ expr: `max by (deployment) (switchyard_deployment_cooling${sel({ model: true })})`, legend: '{{deployment}}' }] }))
    .withPanel(bars({ title: 'Cooldowns started', unit: 'short', description: 'Cooldowns started in range, by deployment.', queries: [{ expr: `sum by (deployment) (increase(switchyard_cooldowns_total${sel({ model: true })}[$__range]))`, legend: '{{deployment}}' }] }))
    .withPanel(bars({ title: 'Refusals', unit: 'short', description: 'Requests refused in range by a budget (by scope) or a rate limit (by scope and limit).', queries: [
      { expr: `sum by (scope) (increase(switchyard_budget_refusals_total${sel()}[$__range]))`, legend: 'budget: {{scope}}' },
      { expr: `sum by (scope, limit) (increase(switchyard_rate_limit_refusals_total${sel()}[$__range]))`, legend: 'rate limit: {{scope}} {{limit}}' },
    ] }))
    .withPanel(bars({ title: 'Alert webhook deliveries', unit: 'short', description: 'Budget alert webhooks in range, delivered or failed after every retry.', queries: [{ expr: `sum by (result) (increase(switchyard_alert_deliveries_total${sel()}[$__range]))`, legend: '{{result}}' }] }))
    .withRow(row('Latency and load'))
    .withPanel(timeseries({ title: 'Request latency', unit: 's', width: 8, description: 'Time from request start to the end of the answer.', queries: quantiles('switchyard_request_duration_seconds', sel({ model: true })) }))
    .withPanel(timeseries({ title: 'Time to first token', unit: 's', width: 8, description: 'Time to the first streamed chunk.', queries: quantiles('switchyard_time_to_first_token_seconds', sel({ model: true })) }))
    .withPanel(timeseries({ title: 'Gateway overhead', unit: 's', width: 8, description: "The gateway's own time in a dispatched request: time to the response start minus upstream attempts and backoff.", queries: quantiles('switchyard_gateway_overhead_seconds', sel()) }))
    .withPanel(timeseries({ title: 'In flight and open streams', unit: 'short', width: 16, description: 'Requests being served and streams being relayed, per instance.', queries: [
      { expr: `sum by (instance) (switchyard_requests_in_flight${sel()})`, legend: '{{instance}} in flight' },
      { expr: `sum by (instance) (switchyard_open_streams${sel()})`, legend: '{{instance}} streams' },
    ] }))
    .withPanel(stat({ title: 'Store up', unit: 'bool_yes_no', width: 8, height: 8, description: '1 when the last call to the budget store succeeded (absent until the store is used).', queries: [{ expr: `min by (store) (switchyard_store_up${sel()})`, legend: '{{store}}' }] }))
    .build();
}
