/** A failed gateway call, as the gateway described it (OpenAI error shape plus `x-should-retry`). */
export class GatewayCallError extends Error {
  override name = 'GatewayCallError';
  constructor(
    message: string,
    readonly details: {
      /** HTTP status; 0 when the gateway could not be reached, 200 for a stream that failed after its first byte. */
      status: number;
      type?: string;
      code?: string;
      /** The gateway said trying again can help (`x-should-retry: true`). */
      retryable: boolean;
      /** Seconds from `retry-after`. */
      retryAfterS?: number;
      requestId?: string;
    },
  ) {
    super(message);
  }

  /** A hard budget refusal (429 `budget_exceeded`): the run stops, nothing is retried. */
  get budgetExceeded(): boolean {
    return this.details.status === 429 && (this.details.type === 'budget_exceeded' || this.details.code === 'budget_exceeded');
  }
}
