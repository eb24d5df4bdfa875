/**
 * The evaluator's view of market data: one calendar of sessions and, per ticker, closes aligned
 * to it. NaN marks a session a ticker has no bar for (before its listing); the evaluator never
 * reads one after its start date (the aligner reports gaps inside a ticker's history).
 */
export interface Market {
  /** Session dates, YYYY-MM-DD, ascending; the union of the loaded tickers' dates. */
  dates: string[];
  /** Adjusted closes aligned to `dates`. */
  close: Map<string, Float64Array>;
}
