import { Component, h, render } from './vendor/preact.mjs';
import htm from './vendor/htm.mjs';
import { api, authRequired, onUnauthorized, session } from './api.js';
import { BudgetsPage, KeysPage, ModelsPage, OverviewPage, RequestsPage, RoutingPage } from './pages.js';

const html = htm.bind(h);

const PAGES = [
  ['overview', 'Overview', OverviewPage],
  ['routing', 'Routing', RoutingPage],
  ['requests', 'Requests', RequestsPage],
  ['keys', 'Keys', KeysPage],
  ['budgets', 'Budgets & alerts', BudgetsPage],
  ['models', 'Models', ModelsPage],
];

const pageFromHash = () => {
  const name = location.hash.replace(/^#\/?/, '').split('?')[0];
  return PAGES.some(([id]) => id === name) ? name : 'overview';
};

/** Why a key was refused, in words a person can act on. */
const refusal = (err) => {
  if (err.status === 403) return 'That is a virtual key without the admin role. Sign in with the master key or an admin virtual key (created with "admin": true).';
  if (err.status === 401) return 'That key is not accepted: it is unknown, revoked or expired.';
  return err.message;
};

class SignIn extends Component {
  state = { key: '', error: '', busy: false };
  submit = async (event) => {
    event.preventDefault();
    this.setState({ busy: true, error: '' });
    try {
      const who = await api('admin/session', { key: this.state.key });
      session.set(this.state.key);
      this.setState({ key: '' });
      this.props.onSignedIn(who);
    } catch (err) {
      this.setState({ error: refusal(err) });
    } finally {
      this.setState({ busy: false });
    }
  };
  render(_, { key, error, busy }) {
    return html`<main class="signin">
      <form onSubmit=${this.submit} autocomplete="off">
        <h1>Switchyard</h1>
        <p>Sign in with the gateway's master key or an admin virtual key. It is kept in this tab only and sent as a header.</p>
        <label>Key <input type="password" name="key" value=${key} onInput=${(e) => this.setState({ key: e.target.value })} required autofocus /></label>
        <button type="submit" disabled=${busy}>Sign in</button>
        ${error && html`<p class="error" role="alert">${error}</p>`}
      </form>
    </main>`;
  }
}

class App extends Component {
  state = { page: pageFromHash(), phase: 'starting' };
  componentDidMount() {
    window.addEventListener('hashchange', () => this.setState({ page: pageFromHash() }));
    onUnauthorized(() => {
      session.clear();
      if (this.state.needsKey) this.setState({ phase: 'signin' });
    });
    authRequired()
      .then((needsKey) => {
        this.setState({ needsKey, phase: needsKey && !session.key ? 'signin' : 'ready' });
        if (!needsKey || session.key) this.loadWho();
      })
      .catch(() => this.setState({ phase: 'offline' }));
  }
  /** Who this tab is signed in as (a reload keeps the key but not this); a 401 sends the page back to sign-in. */
  loadWho() {
    api('admin/session')
      .then((who) => this.setState({ who }))
      .catch(() => {});
  }
  signOut = () => {
    session.clear();
    this.setState({ phase: 'signin', who: undefined });
  };
  render(_, { page, phase, needsKey, who }) {
    if (phase === 'starting') return html`<p class="boot">Loading…</p>`;
    if (phase === 'offline') return html`<p class="boot error">The gateway did not answer.</p>`;
    if (phase === 'signin') return html`<${SignIn} onSignedIn=${(signedIn) => this.setState({ phase: 'ready', who: signedIn })} />`;
    const Page = PAGES.find(([id]) => id === page)[2];
    return html`<div class="shell">
      <nav>
        <span class="brand">Switchyard</span>
        ${PAGES.map(([id, label]) => html`<a href=${`#/${id}`} class=${id === page ? 'active' : ''} aria-current=${id === page ? 'page' : undefined}>${label}</a>`)}
        <span class="spacer"></span>
        ${who && needsKey && html`<span class="who" data-testid="signed-in-as">${who.role === 'master' ? 'master key' : `${who.alias ?? who.key_id} (admin key)`}</span>`}
        <a href="../openapi.json" target="_blank" rel="noopener">API</a>
        ${needsKey && html`<button class="link" onClick=${this.signOut}>Sign out</button>`}
      </nav>
      <main><${Page} key=${page} who=${who} /></main>
    </div>`;
  }
}

render(html`<${App} />`, document.getElementById('app'));
