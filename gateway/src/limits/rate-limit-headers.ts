/** What a refusal reports about one limit. */
export interface LimitReport {
  /** `requests`, `tokens` or `concurrent`: the suffix of the x-ratelimit-* headers. */
  name: 'requests' | 'tokens' | 'concurrent';
  limit: number;
  used: number;
  resetInMs: number;
}

/** `retry-after` and the `x-ratelimit-{limit,remaining,reset}-<name>` headers of a refused request. */
export function rateLimitHeaders(report: LimitReport): Record<string, string> {
  const seconds = Math.max(1, Math.ceil(report.resetInMs / 1000));
  return {
    'retry-after': String(seconds),
    [`x-ratelimit-limit-${report.name}`]: String(report.limit),
    [`x-ratelimit-remaining-${report.name}`]: String(Math.max(0, report.limit - report.used)),
    [`x-ratelimit-reset-${report.name}`]: `${seconds}s`,
  };
}
