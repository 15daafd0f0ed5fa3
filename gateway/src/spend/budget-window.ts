/** Budget windows: calendar days, ISO weeks (from Monday) and months in a configured time zone. */
export type WindowPeriod = 'daily' | 'weekly' | 'monthly';

export interface BudgetWindow {
  /** Local calendar label of the window's first day, e.g. `2026-11-23` (daily, weekly) or `2026-11` (monthly). */
  id: string;
  startMs: number;
  /** When the next window starts (epoch ms). */
  resetMs: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the runtime knows a time zone name (for config validation). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface LocalDate {
  y: number;
  m: number;
  d: number;
}

function localParts(timeZone: string, ms: number): LocalDate & { offsetMs: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return { y: parts.year!, m: parts.month!, d: parts.day!, offsetMs: asUtc - Math.floor(ms / 1000) * 1000 };
}

/** Epoch ms of local midnight at the start of a local date (normalised, so day 32 is next month's first). */
function localMidnight(timeZone: string, date: LocalDate): number {
  const naive = Date.UTC(date.y, date.m - 1, date.d);
  // Two passes settle the offset across a DST change.
  let guess = naive - localParts(timeZone, naive).offsetMs;
  guess = naive - localParts(timeZone, guess).offsetMs;
  return guess;
}

const pad = (n: number) => String(n).padStart(2, '0');
const label = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};

/** The window of `period` in `timeZone` that contains `nowMs`. */
export function windowAt(period: WindowPeriod, timeZone: string, nowMs: number): BudgetWindow {
  const { y, m, d } = localParts(timeZone, nowMs);
  if (period === 'monthly') {
    return { id: `${y}-${pad(m)}`, startMs: localMidnight(timeZone, { y, m, d: 1 }), resetMs: localMidnight(timeZone, { y, m: m + 1, d: 1 }) };
  }
  let startDay = d;
  let length = 1;
  if (period === 'weekly') {
    const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7; // Monday = 0
    startDay = d - weekday;
    length = 7;
  }
  return {
    id: label(Date.UTC(y, m - 1, startDay)),
    startMs: localMidnight(timeZone, { y, m, d: startDay }),
    resetMs: localMidnight(timeZone, { y, m, d: startDay + length }),
  };
}
