// Display helpers: money arrives as USD strings or integer micro-dollars.
export const usd = (value) => {
  const n = typeof value === 'string' ? Number(value) : value;
  if (!Number.isFinite(n)) return '–';
  if (n === 0) return '$0';
  return Math.abs(n) < 0.01 ? `$${n.toFixed(6)}` : `$${n.toFixed(n < 100 ? 4 : 2)}`;
};
export const micros = (m) => usd((m ?? 0) / 1e6);
export const ms = (v) => (v === null || v === undefined ? '–' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`);
export const pct = (v) => `${(v * 100).toFixed(1)} %`;
export const num = (v) => (v === null || v === undefined ? '–' : Number(v).toLocaleString('en-US'));
export const time = (epochMs) => new Date(epochMs).toLocaleTimeString('en-GB', { hour12: false });
export const dateTime = (iso) => (iso ? new Date(iso).toLocaleString('en-GB', { hour12: false }) : '–');
export const ratio = (a, b) => (b > 0 ? Math.min(1, a / b) : 0);
