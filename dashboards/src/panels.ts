import * as common from '@grafana/grafana-foundation-sdk/common';
import { DashboardBuilder, DatasourceVariableBuilder, QueryVariableBuilder, RowBuilder, VariableRefresh, VariableSort } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as BarGauge } from '@grafana/grafana-foundation-sdk/bargauge';
import { PanelBuilder as PieChart } from '@grafana/grafana-foundation-sdk/piechart';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as Stat } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeSeries } from '@grafana/grafana-foundation-sdk/timeseries';

/** Every panel reads the Prometheus chosen in the `datasource` variable (the provisioned one by default). */
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** Label matchers for the template variables a metric carries. */
export function sel(labels: { instance?: boolean; model?: boolean; team?: boolean } = { instance: true }, extra = ''): string {
  const parts: string[] = [];
  if (labels.instance !== false) parts.push('instance=~"$instance"');
  if (labels.model) parts.push('model=~"$model"');
  if (labels.team) parts.push('team=~"$team"');
  if (extra) parts.push(extra);
  return `{${parts.join(',')}}`;
}

export interface Query {
  expr: string;
  legend?: string;
}

function targets(queries: Query[]): DataqueryBuilder[] {
  return queries.map((q, i) => {
    const t = new DataqueryBuilder().refId(String.fromCharCode(65 + i)).expr(q.expr).datasource(DATASOURCE);
    return q.legend ? t.legendFormat(q.legend) : t;
  });
}

interface PanelSpec {
  title: string;
  description: string;
  queries: Query[];
  unit?: string;
  width?: number;
  height?: number;
}

export function timeseries(p: PanelSpec & { stack?: 'normal' | 'percent' }) {
  const b = new TimeSeries()
    .title(p.title)
    .description(p.description)
    .datasource(DATASOURCE)
    .targets(targets(p.queries))
    .span(p.width ?? 12)
    .height(p.height ?? 8)
    .fillOpacity(p.stack ? 60 : 10)
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom));
  if (p.unit) b.unit(p.unit);
  if (p.stack) b.stacking(new common.StackingConfigBuilder().mode(p.stack === 'percent' ? common.StackingMode.Percent : common.StackingMode.Normal));
  return b;
}

export function stat(p: PanelSpec) {
  const b = new Stat()
    .title(p.title)
    .description(p.description)
    .datasource(DATASOURCE)
    .targets(targets(p.queries))
    .span(p.width ?? 6)
    .height(p.height ?? 4)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .graphMode(common.BigValueGraphMode.Area);
  if (p.unit) b.unit(p.unit);
  return b;
}

export function bars(p: PanelSpec & { max?: number }) {
  const b = new BarGauge()
    .title(p.title)
    .description(p.description)
    .datasource(DATASOURCE)
    .targets(targets(p.queries))
    .span(p.width ?? 12)
    .height(p.height ?? 8)
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  if (p.unit) b.unit(p.unit);
  if (p.max !== undefined) b.min(0).max(p.max);
  return b;
}

export function pie(p: PanelSpec) {
  const b = new PieChart()
    .title(p.title)
    .description(p.description)
    .datasource(DATASOURCE)
    .targets(targets(p.queries))
    .span(p.width ?? 8)
    .height(p.height ?? 8)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  if (p.unit) b.unit(p.unit);
  return b;
}

export const row = (title: string) => new RowBuilder(title);

/** A dashboard with the shared variables (datasource, instance, model, team) and the default time range. */
export function dashboard(uid: string, title: string, description: string, from = 'now-6h') {
  const variable = (name: string, label: string, query: string) =>
    new QueryVariableBuilder(name)
      .label(label)
      .datasource(DATASOURCE)
      .query({ query, refId: `${name}-variable` })
      .definition(query)
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true)
      .allValue('.*')
      .current({ text: 'All', value: '$__all' });
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['switchyard'])
    .editable()
    .refresh('30s')
    .time({ from, to: 'now' })
    .timezone('browser')
    .withVariable(new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus').current({ text: 'Prometheus', value: 'prometheus' }))
    .withVariable(variable('instance', 'Instance', 'label_values(switchyard_requests_total, instance)'))
    .withVariable(variable('model', 'Model', 'label_values(switchyard_requests_total{instance=~"$instance"}, model)'))
    .withVariable(variable('team', 'Team', 'label_values(switchyard_spend_usd_total{instance=~"$instance"}, team)'));
}
