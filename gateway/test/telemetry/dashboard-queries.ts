/** Reading dashboards and rules the way Grafana and Prometheus would, for the tests. */

export interface PanelQuery {
  dashboard: string;
  panel: string;
  expr: string;
}

/** Every panel target's PromQL, with the panel it belongs to. */
export function dashboardQueries(dashboards: any[]): PanelQuery[] {
  return dashboards.flatMap((d) =>
    (d.panels ?? []).flatMap((p: any) => (p.targets ?? []).map((t: any) => ({ dashboard: d.title, panel: p.title, expr: t.expr as string }))),
  );
}

/** The template variables' label_values() queries: [metric selector, label]. */
export function variableQueries(dashboards: any[]): Array<{ name: string; match: string; label: string }> {
  return dashboards.flatMap((d) =>
    d.templating.list.flatMap((v: any) => {
      const q = typeof v.query === 'object' ? v.query.query : v.query;
      const m = typeof q === 'string' ? /^label_values\((.+),\s*(\w+)\)$/.exec(q) : null;
      return m ? [{ name: v.name, match: m[1]!, label: m[2]! }] : [];
    }),
  );
}

/** Substitutes Grafana's variables as a user with "All" selected would get them. */
export function substitute(expr: string, range: { rateInterval: string; range: string }): string {
  return expr
    .replaceAll('$__rate_interval', range.rateInterval)
    .replaceAll('$__range', range.range)
    .replaceAll('$instance', '.*')
    .replaceAll('$model', '.*')
    .replaceAll('$team', '.*');
}

/** The switchyard_* series names a PromQL expression reads. */
export function metricNamesIn(expr: string): string[] {
  return [...new Set(expr.match(/switchyard_[a-z_]+/g) ?? [])];
}

/** Exported series names: each family's name, plus _bucket/_sum/_count for histograms. */
export function exportedNames(names: string[], metrics: unknown[]): string[] {
  return names.flatMap((name, i) => {
    const m = metrics[i] as { type?: string };
    return m.type === 'histogram' ? [name, `${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
  });
}
