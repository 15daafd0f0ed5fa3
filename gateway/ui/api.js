// The admin API, called with the key held in this tab's sessionStorage (never a cookie, never in a URL).
const KEY = 'switchyard.adminKey';

export const session = {
  get key() {
    return sessionStorage.getItem(KEY) ?? '';
  },
  set(key) {
    sessionStorage.setItem(KEY, key);
  },
  clear() {
    sessionStorage.removeItem(KEY);
  },
};

export class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const listeners = new Set();
/** Called with no argument when the API answers 401: the console goes back to sign-in. */
export const onUnauthorized = (fn) => listeners.add(fn);

/** Paths are relative to /ui/, so the console works behind a proxy that mounts the gateway under a prefix. */
export async function api(path, { method = 'GET', body, key = session.key } = {}) {
  const headers = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`../${path.replace(/^\//, '')}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit' });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const error = new ApiError(res.status, data?.error?.message ?? `HTTP ${res.status}`, data?.error?.code);
    if (res.status === 401) listeners.forEach((fn) => fn());
    throw error;
  }
  return data;
}

/** Whether the gateway wants a key (`auth` configured) — read without one, so no 401 is needed to find out. */
export async function authRequired() {
  const res = await fetch('session.json', { cache: 'no-store', credentials: 'omit' });
  return (await res.json()).auth_required === true;
}
