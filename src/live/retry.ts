/** Retries with exponential backoff for transient broker errors only (never for rejections). */
import { BrokerError } from "../trading/broker-errors.js";

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** Runs `operation`, retrying `BrokerError`s marked transient; other errors pass through at once. */
export async function withRetry<T>(operation: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const transient = error instanceof BrokerError && error.transient;
      if (!transient || attempt >= policy.attempts) throw error;
      await policy.sleep(policy.baseDelayMs * 2 ** (attempt - 1));
    }
  }
}
