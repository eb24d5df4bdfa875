/**
 * Where daily bars come from. Providers (synthetic, csv, alpaca) and the bar cache implement
 * this; the backtester, `strat indicator` and the live runner only see the port.
 */

/** Provenance of a set of bars: recorded with every backtest result and live decision. */
export interface Provenance {
  /** "synthetic", "csv", "alpaca", or "cache" wrapping one of them. */
  provider: string;
  /** Alpaca feed ("iex", "sip") or the CSV folder or the synthetic seed, as text. */
  source: string;
  /** "all" (split and dividend adjusted) for every provider Strat ships. */
  adjustment: string;
  /** ISO timestamp of the fetch or generation. */
  fetchedAt: string;
  /** sha256 (hex) of the bars' canonical text: ticker, date and close of every bar. */
  contentHash: string;
}

/** One ticker's daily bars, sorted by date, no duplicates, every close positive. */
export interface TickerBars {
  ticker: string;
  /** Session dates, YYYY-MM-DD, ascending. */
  dates: string[];
  /** Split- and dividend-adjusted closes, in the ticker's currency (USD). */
  close: Float64Array;
}

export interface BarSet {
  bars: Map<string, TickerBars>;
  provenance: Provenance;
}

export interface BarRequest {
  tickers: string[];
  /** First date wanted (inclusive, YYYY-MM-DD); undefined: as early as the source has. */
  from?: string;
  /** Last date wanted (inclusive); undefined: the latest the source has. */
  to?: string;
}

export interface BarSource {
  readonly name: string;
  /** Loads the tickers' bars; rejects with a `DataError` naming the ticker (and file, line, date) on bad data. */
  load(request: BarRequest): Promise<BarSet>;
}
