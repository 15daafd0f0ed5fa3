import { bars, dashboard, pie, row, sel, timeseries } from './panels.js';

/** What the router decided: tier mix, rule hits, budget downgrades, yolo picks, clients. */
export function routingDashboard() {
  return dashboard('switchyard-routing', 'Switchyard / Routing', 'What the router decided: tier mix over time, which rules fired, budget downgrades, yolo picks and the clients sending traffic.')
    .withRow(row('Decisions'))
    .withPanel(timeseries({ title: 'Tier mix', unit: 'percentunit', stack: 'percent', description: 'Share of routed requests per tier over time.', queries: [{ expr: `sum by (tier) (rate(switchyard_routing_decisions_total${sel()}[$__rate_interval]))`, legend: '{{tier}}' }] }))
    .withPanel(bars({ title: 'Rule hits', unit: 'short', description: 'Routed requests in range by router and the rule that decided their tier (default: no rule matched).', queries: [{ expr: `sum by (router, rule) (increase(switchyard_routing_decisions_total${sel()}[$__range]))`, legend: '{{router}} / {{rule}}' }] }))
    .withPanel(timeseries({ title: 'Requests by model served', unit: 'reqps', stack: 'normal', description: 'Request rate by the model that answered.', queries: [{ expr: `sum by (model) (rate(switchyard_requests_total${sel({ model: true })}[$__rate_interval]))`, legend: '{{model}}' }] }))
    .withPanel(bars({ title: 'Budget downgrades', unit: 'short', description: 'Routed requests moved one tier down because a budget passed its soft threshold.', queries: [{ expr: `sum by (router, from_tier, to_tier) (increase(switchyard_budget_downgrades_total${sel()}[$__range]))`, legend: '{{router}}: {{from_tier}} → {{to_tier}}' }] }))
    .withRow(row('Picks and clients'))
    .withPanel(pie({ title: 'Yolo picks by model', unit: 'short', width: 12, description: 'Models picked by fastest-first tiers (auto:yolo), from measured latency.', queries: [{ expr: `sum by (model) (increase(switchyard_yolo_picks_total${sel({ model: true })}[$__range]))`, legend: '{{model}}' }] }))
    .withPanel(pie({ title: 'Share per client', unit: 'short', width: 12, description: 'Routed requests in range by the client the signals detected (opencode, roo-code, claude-code, cline, continue, aider, sdk).', queries: [{ expr: `sum by (client) (increase(switchyard_requests_by_client_total${sel()}[$__range]))`, legend: '{{client}}' }] }))
    .withPanel(timeseries({ title: 'Tier by client', unit: 'reqps', width: 24, stack: 'normal', description: 'Routed request rate by client and tier.', queries: [{ expr: `sum by (client, tier) (rate(switchyard_requests_by_client_total${sel()}[$__rate_interval]))`, legend: '{{client}} / {{tier}}' }] }))
    .build();
}
