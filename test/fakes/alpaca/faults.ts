/**
 * Fault injection for the fake Alpaca server: error statuses, Retry-After, delays and dropped
 * connections, for the next N requests or for requests matching a path.
 */

/** One fault to inject. Without `status` or `drop`, the request is only delayed, then served normally. */
export interface FaultSpec {
  /** Respond with this status and an Alpaca error body instead of serving the request. */
  status?: number;
  /** Retry-After header value in seconds (with `status`, typically 429). */
  retryAfter?: number;
  /** Body for the error response (default `{ code, message }` matching the status). */
  body?: unknown;
  /** Wait this long (ms) before responding or dropping: with a short client timeout, a timeout. */
  delayMs?: number;
  /**
   * Drop the connection: `true`/"before-response" destroys the socket without a byte,
   * "mid-body" sends the headers and half a body first.
   */
  drop?: boolean | "before-response" | "mid-body";
  /**
   * Serve the request first (its effects happen: an order is placed), then answer with
   * `status` or drop the connection instead of the real response: a lost response.
   */
  serveFirst?: boolean;
  /** How many matching requests this fault hits (default 1; Infinity for all). */
  times?: number;
  /** Only requests whose path equals this string or matches this pattern. */
  path?: string | RegExp;
  /** Only requests with this method. */
  method?: string;
}

/** A queued fault and how many more requests it will hit. */
export interface Fault extends FaultSpec {
  remaining: number;
}

/** FIFO of faults; each request takes the first one that matches it. */
export class FaultInjector {
  private readonly faults: Fault[] = [];

  /** Queues a fault; faults apply in the order injected. */
  inject(spec: FaultSpec): void {
    const times = spec.times ?? 1;
    if (!(times > 0)) throw new RangeError(`times must be positive, got ${times}`);
    this.faults.push({ ...spec, remaining: times });
  }

  /** The first fault matching this request, consuming one of its uses. */
  take(method: string, path: string): Fault | undefined {
    const index = this.faults.findIndex(
      (f) =>
        (f.method === undefined || f.method.toUpperCase() === method.toUpperCase()) &&
        (f.path === undefined || (typeof f.path === "string" ? f.path === path : f.path.test(path))),
    );
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }

  /** Faults still waiting for requests. */
  get pending(): number {
    return this.faults.length;
  }

  /** Drops every queued fault. */
  clear(): void {
    this.faults.length = 0;
  }
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: "bad request",
  401: "request is not authorized",
  403: "forbidden",
  404: "not found",
  422: "unprocessable entity",
  429: "too many requests",
  500: "internal server error",
  502: "bad gateway",
  503: "service unavailable",
  504: "gateway timeout",
};

/** Alpaca-style body for an injected status: `{ code: status·100000, message }`. */
export function faultBody(status: number): { code: number; message: string } {
  return { code: status * 100_000, message: DEFAULT_MESSAGES[status] ?? `error ${status}` };
}
