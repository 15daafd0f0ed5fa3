import { Component, h } from './vendor/preact.mjs';
import htm from './vendor/htm.mjs';
import { api } from './api.js';
import { TimeChart } from './charts.js';
import { dateTime, micros, ms, num, pct, ratio, time, usd } from './format.js';

const html = htm.bind(h);

/** A page that loads `load()` now and every `every` ms while shown (`live` pauses it). */
class Live extends Component {
  every = 5000;
  state = { data: undefined, error: '', live: true, updated: 0 };
  componentDidMount() {
    this.refresh();
    this.timer = setInterval(() => this.state.live && this.refresh(), this.every);
  }
  componentWillUnmount() {
    clearInterval(this.timer);
  }
  refresh = async () => {
    try {
      const data = await this.load();
      this.setState({ data, error: '', updated: Date.now() });
    } catch (err) {
      this.setState({ error: err.message });
    }
  };
  liveToggle() {
    const { live, updated } = this.state;
    return html`<span class="live">
      <label><input type="checkbox" checked=${live} onChange=${(e) => this.setState({ live: e.target.checked })} /> live</label>
      ${updated ? html` <span class="muted">updated ${time(updated)}</span>` : ''}
    </span>`;
  }
  frame(title, body) {
    return html`<section class="page">
      <header><h1>${title}</h1>${this.liveToggle()}</header>
      ${this.state.error && html`<p class="error" role="alert">${this.state.error}</p>`}
      ${this.state.data === undefined ? html`<p class="muted">Loading…</p>` : body()}
    </section>`;
  }
}

const Card = ({ label, value, sub, testid }) => html`<div class="card" data-testid=${testid}><div class="label">${label}</div><div class="value">${value}</div>${sub && html`<div class="sub">${sub}</div>`}</div>`;

/** A budget as a bar: spent (and reserved) against the hard limit, with the soft limit marked. */
const BudgetBar = ({ b }) => {
  const spent = ratio(b.spent, b.limit);
  const held = ratio(b.spent + b.reserved, b.limit) - spent;
  const soft = ratio(b.soft, b.limit);
  const state = b.spent >= b.limit ? 'hard' : b.spent >= b.soft ? 'soft' : 'ok';
  return html`<div class="budget" data-testid="budget">
    <div class="budget-head"><strong>${b.name}</strong> <span class="muted">${b.scope}${b.subject !== 'all' ? `: ${b.subject}` : ''} · ${b.window} ${b.windowId}</span>
      <span class="right">${usd(b.spent_usd)} of ${usd(b.limit_usd)}${b.reserved ? html` <span class="muted">(+${usd(b.reserved_usd)} held)</span>` : ''}</span></div>
    <div class="bar ${state}" title=${`soft limit ${micros(b.soft)}, hard limit ${usd(b.limit_usd)}`}>
      <div class="fill" style=${{ width: `${spent * 100}%` }}></div>
      <div class="held" style=${{ left: `${spent * 100}%`, width: `${held * 100}%` }}></div>
      <div class="soft-mark" style=${{ left: `${soft * 100}%` }}></div>
    </div>
    <div class="muted small">soft ${micros(b.soft)} · hard ${usd(b.limit_usd)} · remaining ${micros(Math.max(0, b.limit - b.spent - b.reserved))} · resets ${dateTime(b.resetsAt)}</div>
  </div>`;
};

export class OverviewPage extends Live {
  load = () => api('admin/overview?minutes=15');
  render() {
    return this.frame('Overview', () => {
      const { spend, budgets, traffic, since_start: start, series } = this.state.data;
      const times = series.map((p) => p.t);
      return html`
        <div class="cards">
          <${Card} testid="spend-today" label="Spend today" value=${usd(spend.today.cost_usd)} sub=${`${num(spend.today.requests)} requests`} />
          <${Card} testid="spend-week" label="This week" value=${usd(spend.week.cost_usd)} sub=${`${num(spend.week.requests)} requests`} />
          <${Card} testid="spend-month" label="This month" value=${usd(spend.month.cost_usd)} sub=${`${num(spend.month.requests)} requests`} />
          <${Card} testid="savings" label=${spend.baseline ? `Saved vs ${spend.baseline}` : 'Saved vs premium'} value=${usd(spend.month.savings_usd)} sub="this month" />
        </div>
        ${spend.source === 'process' && html`<p class="muted small">No budgets section in the config, so spend is not recorded in the store: these are this process's totals since it started.</p>`}
        <div class="cards">
          <${Card} testid="rate" label="Requests / min" value=${traffic.requests_per_minute} sub=${`${num(traffic.requests)} in the last ${traffic.minutes} min`} />
          <${Card} testid="errors" label="Error rate" value=${pct(traffic.error_rate)} sub=${`4xx ${pct(traffic.client_error_rate)}`} />
          <${Card} testid="p50" label="p50 latency" value=${ms(traffic.p50_ms)} sub=${`last ${traffic.minutes} min`} />
          <${Card} testid="p95" label="p95 latency" value=${ms(traffic.p95_ms)} sub=${`${num(start.requests)} requests since start`} />
        </div>
        <h2>Budgets</h2>
        ${budgets.length ? budgets.map((b) => html`<${BudgetBar} b=${b} />`) : html`<p class="muted">No global budgets configured (see the budgets section of the config).</p>`}
        <h2>Last hour</h2>
        <div class="grid2">
          <div><h3>Requests per minute</h3><${TimeChart} testid="chart-requests" times=${times} yLabel="requests" series=${[
            { label: 'requests', values: series.map((p) => p.requests) },
            { label: '5xx', values: series.map((p) => p.server_errors), color: '#cf222e' },
            { label: '4xx', values: series.map((p) => p.client_errors), color: '#bf8700' },
          ]} /></div>
          <div><h3>Cost per minute (USD)</h3><${TimeChart} testid="chart-cost" times=${times} yLabel="USD" bars=${true} series=${[
            { label: 'cost', values: series.map((p) => p.cost_micros / 1e6) },
            { label: 'saved', values: series.map((p) => p.savings_micros / 1e6), color: '#2da44e' },
          ]} /></div>
        </div>`;
    });
  }
}

const Signals = ({ s }) =>
  s ? html`<span class="signals">${s.task}/${s.turn}${s.mode ? ` · ${s.mode}` : ''} · depth ${s.depth} · complexity ${s.complexity.toFixed(2)} · ${num(s.context_tokens)} tok${s.tools ? ` · ${s.tools} tools` : ''}${s.images ? ' · images' : ''}${s.hint_tier ? ` · hint ${s.hint_tier}` : ''}${s.role ? ` · role ${s.role}` : ''}${Object.entries(s.cues).filter(([, v]) => v === true).map(([k]) => ` · ${k}`).join('')}</span>` : '';

class Explain extends Component {
  state = { prompt: '', router: '', result: undefined, error: '', busy: false };
  submit = async (event) => {
    event.preventDefault();
    this.setState({ busy: true, error: '' });
    try {
      const body = { prompt: this.state.prompt, ...(this.state.router ? { router: this.state.router } : {}) };
      this.setState({ result: await api('admin/route/explain', { method: 'POST', body }) });
    } catch (err) {
      this.setState({ error: err.message, result: undefined });
    } finally {
      this.setState({ busy: false });
    }
  };
  render({ routers }, { prompt, router, result, error, busy }) {
    return html`<form class="explain" onSubmit=${this.submit}>
      <label for="explain-prompt">Type a prompt to see where it would go (nothing is sent upstream)</label>
      <textarea id="explain-prompt" rows="3" value=${prompt} onInput=${(e) => this.setState({ prompt: e.target.value })} required></textarea>
      <div class="row">
        <select value=${router} onChange=${(e) => this.setState({ router: e.target.value })} aria-label="router">
          <option value="">default router</option>${routers.map((r) => html`<option value=${r.name}>${r.name}</option>`)}
        </select>
        <button type="submit" disabled=${busy}>Explain</button>
      </div>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      ${result && html`<div class="explained" data-testid="explain-result">
        <p><span class="tier">${result.decision.tier}</span> → <strong>${result.model}</strong> by rule <code>${result.decision.rule}</code> of router <code>${result.router}</code>${result.decision.escalated_from ? ` (escalated from ${result.decision.escalated_from})` : ''}</p>
        <p class="muted">${result.decision.reason}</p>
        <p><${Signals} s=${result.signals} /></p>
        <p class="small">Rules: ${result.rules.map((r) => html`<span class=${r.matched ? 'rule hit' : 'rule'}>${r.id}→${r.tier}</span> `)}</p>
        <p class="small">Candidates: ${result.candidates.map((c) => `${c.deployment} ($${c.input_price ?? '?'}/$${c.output_price ?? '?'} per M)`).join(', ')}${result.skipped.length ? ` · skipped: ${result.skipped.map((s) => `${s.deployment} (${s.reason})`).join(', ')}` : ''}</p>
      </div>`}
    </form>`;
  }
}

export class RoutingPage extends Live {
  load = () => api('admin/routing');
  render() {
    return this.frame('Routing', () => {
      const { routers, series, decisions } = this.state.data;
      const tiers = [...new Set([...routers.flatMap((r) => r.tiers.map((t) => t.name)), ...series.flatMap((p) => Object.keys(p.tiers))])];
      return html`
        <${Explain} routers=${routers} />
        ${routers.length === 0 && html`<p class="muted">The config declares no routers: requests name their model directly.</p>`}
        <h2>Tier mix, last hour</h2>
        <${TimeChart} testid="chart-tiers" times=${series.map((p) => p.t)} yLabel="requests" series=${tiers.map((t) => ({ label: t, values: series.map((p) => p.tiers[t] ?? 0) }))} />
        <h2>Rule hits since start</h2>
        <div class="grid2">${routers.map((r) => html`<table class="compact">
          <caption>${r.name} <span class="muted">(${r.tiers.map((t) => `${t.name}: ${t.models.join(', ')}`).join(' · ')})</span></caption>
          <thead><tr><th>rule</th><th>tier</th><th class="num">hits</th></tr></thead>
          <tbody>${r.rules.map((rule) => html`<tr><td><code>${rule.id}</code></td><td>${rule.tier}</td><td class="num">${num(rule.hits)}</td></tr>`)}</tbody>
        </table>`)}</div>
        <h2>Recent decisions</h2>
        <table data-testid="decisions">
          <thead><tr><th>time</th><th>client</th><th>signals</th><th>tier</th><th>rule</th><th>model</th><th>why</th></tr></thead>
          <tbody>${decisions.map((d) => html`<tr>
            <td>${time(d.at)}</td><td>${d.client}</td><td><${Signals} s=${d.signals} /></td><td><span class="tier">${d.tier}</span>${d.downgraded ? html` <span class="badge soft" title="soft budget limit">${d.downgraded}</span>` : ''}</td>
            <td><code>${d.rule}</code></td><td>${d.model ?? '–'}</td><td class="small muted">${d.reason}</td></tr>`)}</tbody>
        </table>
        ${decisions.length === 0 && html`<p class="muted">No routed requests yet.</p>`}`;
    });
  }
}

const FILTERS = ['tier', 'model', 'key', 'client', 'rule'];

export class RequestsPage extends Live {
  state = { ...this.state, filters: { status: '' } };
  load = () => {
    const params = new URLSearchParams({ limit: '200' });
    for (const [k, v] of Object.entries(this.state.filters)) if (v) params.set(k, v);
    return api(`admin/requests?${params}`);
  };
  setFilter(name, value) {
    this.setState({ filters: { ...this.state.filters, [name]: value.trim() } }, this.refresh);
  }
  render() {
    return this.frame('Requests', () => {
      const { requests, capacity, recorded } = this.state.data;
      return html`
        <form class="filters" onSubmit=${(e) => e.preventDefault()}>
          ${FILTERS.map((f) => html`<input placeholder=${f} aria-label=${`filter ${f}`} value=${this.state.filters[f] ?? ''} onChange=${(e) => this.setFilter(f, e.target.value)} />`)}
          <select aria-label="filter status" value=${this.state.filters.status} onChange=${(e) => this.setFilter('status', e.target.value)}>
            <option value="">any status</option><option value="ok">ok</option><option value="error">errors</option>
          </select>
          <span class="muted small">the last ${num(capacity)} of ${num(recorded)} requests since start are kept in memory; prompts are never kept</span>
        </form>
        <table data-testid="requests">
          <thead><tr><th>time</th><th>client</th><th>key</th><th>asked → served</th><th>tier</th><th>rule</th><th class="num">tokens in/out</th><th class="num">cost</th><th class="num">latency</th><th>status</th><th class="num">fallbacks</th></tr></thead>
          <tbody>${requests.map((r) => html`<tr data-testid="request-row" class=${r.status >= 400 || r.status === 0 ? 'failed' : ''}>
            <td title=${r.id}>${time(r.at)}</td><td>${r.client ?? r.surface}</td><td>${r.key ?? '–'}</td>
            <td>${r.modelAsked ?? '–'}${r.model && r.model !== r.modelAsked ? html` → <strong>${r.model}</strong>` : ''}</td>
            <td>${r.tier ? html`<span class="tier">${r.tier}</span>` : '–'}${r.downgraded ? html` <span class="badge soft">${r.downgraded}</span>` : ''}</td>
            <td>${r.rule ? html`<code>${r.rule}</code>` : '–'}</td>
            <td class="num">${num(r.promptTokens)} / ${num(r.completionTokens)}</td>
            <td class="num" data-testid="cost">${micros(r.costMicros)}</td>
            <td class="num">${ms(r.latencyMs)}${r.ttftMs !== undefined ? html`<span class="muted small"> (${ms(r.ttftMs)} first)</span>` : ''}</td>
            <td>${r.status || 'none'}${r.error ? html` <span class="muted small">${r.error}</span>` : ''}${r.aborted ? ' aborted' : ''}</td>
            <td class="num">${r.fallbacks}</td></tr>`)}</tbody>
        </table>
        ${requests.length === 0 && html`<p class="muted">No requests match.</p>`}`;
    });
  }
}

const budgetsText = (b) => (b ? ['daily', 'weekly', 'monthly'].filter((w) => b[`${w}_usd`]).map((w) => `${w} $${b[`${w}_usd`]}`).join(', ') : '');

/** The plain key right after creation or rotation: shown here once, dropped from memory when dismissed. */
const SecretOnce = ({ created, onDone }) => html`<div class="secret" role="status" data-testid="new-key">
  <p><strong>${created.alias}</strong>${created.admin ? ' (admin key)' : ''}: copy this key now. It is not stored and will not be shown again.</p>
  <code class="key">${created.key}</code>
  <button onClick=${onDone}>Done</button>
</div>`;

export class KeysPage extends Live {
  every = 15000;
  state = { ...this.state, form: { alias: '', team: '', user: '', models: '', daily_usd: '', monthly_usd: '', expires_in_days: '', admin: false }, created: undefined, confirm: '', busy: false };
  load = () => api('admin/keys');
  field(name, label, type = 'text') {
    return html`<label>${label}<input name=${name} type=${type} step=${type === 'number' ? 'any' : undefined} min=${type === 'number' ? '0' : undefined} value=${this.state.form[name]} onInput=${(e) => this.setState({ form: { ...this.state.form, [name]: e.target.value } })} /></label>`;
  }
  create = async (event) => {
    event.preventDefault();
    const f = this.state.form;
    const budgets = {};
    for (const w of ['daily_usd', 'monthly_usd']) if (f[w]) budgets[w] = Number(f[w]);
    const body = {
      alias: f.alias.trim(),
      ...(f.team.trim() ? { team: f.team.trim() } : {}),
      ...(f.user.trim() ? { user: f.user.trim() } : {}),
      ...(f.models.trim() ? { models: f.models.split(',').map((m) => m.trim()).filter(Boolean) } : {}),
      ...(Object.keys(budgets).length ? { budgets } : {}),
      ...(f.expires_in_days ? { expires_in_days: Number(f.expires_in_days) } : {}),
      ...(f.admin ? { admin: true } : {}),
    };
    await this.act(async () => {
      const created = await api('admin/keys', { method: 'POST', body });
      this.setState({ created, form: { ...this.state.form, alias: '', admin: false } });
    });
  };
  async act(fn) {
    this.setState({ busy: true, error: '' });
    try {
      await fn();
      await this.refresh();
    } catch (err) {
      this.setState({ error: err.message });
    } finally {
      this.setState({ busy: false, confirm: '' });
    }
  }
  revoke = (k) => (this.state.confirm === `revoke:${k.id}` ? this.act(() => api(`admin/keys/${encodeURIComponent(k.id)}`, { method: 'DELETE' })) : this.setState({ confirm: `revoke:${k.id}` }));
  rotate = (k) =>
    this.state.confirm === `rotate:${k.id}`
      ? this.act(async () => this.setState({ created: await api(`admin/keys/${encodeURIComponent(k.id)}/rotate`, { method: 'POST' }) }))
      : this.setState({ confirm: `rotate:${k.id}` });
  /** Only the master key (or no auth at all) may mint or rotate admin keys; the server enforces it, the page says so. */
  get canManageAdmins() {
    return this.props.who?.can_manage_admin_keys !== false;
  }
  render() {
    return this.frame('Keys', () => {
      const { keys } = this.state.data;
      const { created, confirm, busy } = this.state;
      const canManageAdmins = this.canManageAdmins;
      return html`
        ${created && html`<${SecretOnce} created=${created} onDone=${() => this.setState({ created: undefined })} />`}
        <form class="create-key" onSubmit=${this.create} autocomplete="off">
          <h2>New virtual key</h2>
          <div class="row wrap">
            ${this.field('alias', 'Alias')}${this.field('team', 'Team')}${this.field('user', 'User')}${this.field('models', 'Models (comma-separated, empty: all)')}
            ${this.field('daily_usd', 'Daily budget $', 'number')}${this.field('monthly_usd', 'Monthly budget $', 'number')}${this.field('expires_in_days', 'Expires in days', 'number')}
            <label class="check" title=${canManageAdmins ? 'The key may also sign in here and use the admin API' : 'Only the master key may create admin keys'}>
              <input type="checkbox" name="admin" checked=${this.state.form.admin} disabled=${!canManageAdmins} onChange=${(e) => this.setState({ form: { ...this.state.form, admin: e.target.checked } })} /> Admin (console and admin API)</label>
            <button type="submit" disabled=${busy || !this.state.form.alias.trim()}>Create key</button>
          </div>
          ${!canManageAdmins && html`<p class="muted small">Signed in with an admin key: you can manage ordinary keys; only the master key creates or rotates admin keys.</p>`}
        </form>
        <table data-testid="keys">
          <thead><tr><th>alias</th><th>id</th><th>key</th><th>role</th><th>team</th><th>user</th><th>models</th><th>budgets</th><th>created</th><th>expires</th><th>status</th><th></th></tr></thead>
          <tbody>${keys.map((k) => html`<tr data-testid="key-row" data-alias=${k.alias} class=${k.revokedAt ? 'revoked' : ''}>
            <td><strong>${k.alias}</strong></td><td><code>${k.id}</code></td><td><code>${k.preview}</code></td>
            <td data-testid="key-role">${k.admin ? html`<span class="badge soft">admin</span>` : 'api'}</td><td>${k.team ?? ''}</td><td>${k.user ?? ''}</td>
            <td>${k.models?.join(', ') ?? 'all'}</td><td>${budgetsText(k.budgets)}</td><td>${dateTime(k.createdAt)}</td><td>${k.expiresAt ? dateTime(k.expiresAt) : 'never'}</td>
            <td>${k.revokedAt ? html`<span class="badge hard">revoked</span>` : html`<span class="badge ok">active</span>`}</td>
            <td class="actions">${!k.revokedAt && html`
              <button disabled=${busy || (k.admin && !canManageAdmins)} title=${k.admin && !canManageAdmins ? 'Only the master key may rotate an admin key' : undefined} onClick=${() => this.rotate(k)}>${confirm === `rotate:${k.id}` ? 'Confirm rotate' : 'Rotate'}</button>
              <button class="danger" disabled=${busy} onClick=${() => this.revoke(k)}>${confirm === `revoke:${k.id}` ? 'Confirm revoke' : 'Revoke'}</button>`}</td>
          </tr>`)}</tbody>
        </table>
        ${keys.length === 0 && html`<p class="muted">No virtual keys yet.</p>`}`;
    });
  }
}

export class BudgetsPage extends Live {
  load = async () => {
    const [budgets, alerts] = await Promise.all([api('admin/budgets?all=true'), api('admin/alerts')]);
    return { budgets: budgets.budgets, alerts };
  };
  render() {
    return this.frame('Budgets & alerts', () => {
      const { budgets, alerts } = this.state.data;
      return html`
        ${budgets.length ? budgets.map((b) => html`<${BudgetBar} b=${b} />`) : html`<p class="muted">No budgets configured. Add a <code>budgets:</code> section to the config, or give a virtual key its own budget.</p>`}
        <h2>Alert targets</h2>
        ${alerts.targets.length ? html`<table class="compact"><thead><tr><th>webhook host</th><th>format</th><th>thresholds</th></tr></thead>
          <tbody>${alerts.targets.map((t) => html`<tr><td>${t.target}</td><td>${t.format}</td><td>${t.thresholds.map((x) => pct(x)).join(', ')}</td></tr>`)}</tbody></table>` : html`<p class="muted">No alert webhooks configured.</p>`}
        <h2>Alerts sent</h2>
        ${alerts.sent.length ? html`<table><thead><tr><th>at</th><th>level</th><th>budget</th><th>subject</th><th>window</th><th>threshold</th><th>spent / limit</th><th>to</th><th>delivered</th></tr></thead>
          <tbody>${alerts.sent.map((s) => html`<tr><td>${dateTime(s.alert.at)}</td><td><span class=${`badge ${s.alert.level === 'hard' ? 'hard' : s.alert.level === 'soft' ? 'soft' : 'ok'}`}>${s.alert.level}</span></td>
            <td>${s.alert.budget}</td><td>${s.alert.subject}</td><td>${s.alert.window} ${s.alert.window_id}</td><td>${pct(s.alert.threshold)}</td><td>${usd(s.alert.spent_usd)} / ${usd(s.alert.limit_usd)}</td>
            <td>${s.target} (${s.format})</td><td>${s.delivered === undefined ? 'sending' : s.delivered ? 'yes' : 'failed'}</td></tr>`)}</tbody></table>` : html`<p class="muted">No alerts sent since this process started.</p>`}`;
    });
  }
}

export class ModelsPage extends Live {
  load = () => api('admin/models');
  render() {
    return this.frame('Models', () => {
      const { deployments, aliases, routers } = this.state.data;
      return html`
        <table data-testid="models">
          <thead><tr><th>deployment</th><th>model</th><th>provider</th><th>upstream model</th><th class="num">$ in / out per M</th><th class="num">context</th><th>health</th><th class="num">requests / errors</th><th class="num">first token</th><th class="num">tokens/s</th><th class="num">expected</th></tr></thead>
          <tbody>${deployments.map((d) => html`<tr>
            <td><code>${d.id}</code></td><td>${d.model}</td><td>${d.provider} <span class="muted small">${d.provider_kind}</span></td><td>${d.upstream_model}</td>
            <td class="num">${d.input_price ?? '?'} / ${d.output_price ?? '?'}</td><td class="num">${num(d.context_window)}</td>
            <td><span class=${`badge ${d.health === 'ok' ? 'ok' : d.health === 'cooling' ? 'hard' : 'soft'}`}>${d.health.replace('_', '-')}</span>${d.cooldown_until ? html` <span class="small muted">until ${dateTime(d.cooldown_until)}</span>` : ''}${d.traffic.last_error ? html` <span class="small muted">last error ${d.traffic.last_error}</span>` : ''}</td>
            <td class="num">${num(d.traffic.requests)} / ${num(d.traffic.errors)}</td>
            <td class="num">${d.latency ? ms(d.latency.ttft_ms) : '–'}</td><td class="num">${d.latency ? num(d.latency.tokens_per_second) : '–'}</td>
            <td class="num">${d.latency ? html`${ms(d.latency.expected_ms)} <span class="muted small">(${d.latency.samples} samples)</span>` : 'unmeasured'}</td></tr>`)}</tbody>
        </table>
        <p class="muted small">Latency estimates are the moving averages <code>order: fastest</code> (yolo) ranks by, from live traffic since start; "expected" is the time to a typical 300-token answer.</p>
        <h2>Aliases and routers</h2>
        <p>${Object.entries(aliases).map(([a, t]) => html`<code>${a}</code> → ${t} · `)}${routers.map((r) => html`<code>${r}</code> (router) `)}</p>`;
    });
  }
}
