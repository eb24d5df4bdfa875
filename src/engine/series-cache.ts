/**
 * Indicator series over tickers, computed once per (market, indicator, ticker, window) and shared
 * by every evaluation on that market: the tree, other strategies, optimizer trials.
 */
import type { IndicatorName } from "../ir/indicators.js";
import { computeIndicator } from "./indicators/registry.js";
import type { Market } from "./market.js";

export class SeriesCache {
  private readonly byMarket = new WeakMap<Market, Map<string, Float64Array>>();
  private readonly byNode = new WeakMap<Market, WeakMap<object, unknown>>();
  /** Series computed (not served from the cache), for tests and benchmarks. */
  computed = 0;

  /**
   * A value computed once per (market, node) and shared by every evaluation on that market: the
   * allocations of a subtree that reads no param, the same in every optimizer trial. `compute`
   * may return null (e.g. it cannot be precomputed); null is remembered too.
   */
  nodeValue<T>(market: Market, node: object, compute: () => T | null): T | null {
    let cache = this.byNode.get(market);
    if (cache === undefined) {
      cache = new WeakMap();
      this.byNode.set(market, cache);
    }
    if (!cache.has(node)) cache.set(node, compute());
    return cache.get(node) as T | null;
  }

  /** The indicator over `ticker`'s closes in `market`; `ticker` must be in the market. */
  tickerSeries(market: Market, indicator: IndicatorName, ticker: string, window: number): Float64Array {
    let cache = this.byMarket.get(market);
    if (cache === undefined) {
      cache = new Map();
      this.byMarket.set(market, cache);
    }
    const key = `${indicator}|${ticker}|${window}`;
    let series = cache.get(key);
    if (series === undefined) {
      const close = market.close.get(ticker);
      if (close === undefined) throw new Error(`no prices for ${ticker} in the market data`);
      series = computeIndicator(indicator, close, window);
      cache.set(key, series);
      this.computed++;
    }
    return series;
  }
}

/** The index of the first non-NaN value, or the length when there is none. */
export function firstDefined(series: Float64Array): number {
  for (let i = 0; i < series.length; i++) if (!Number.isNaN(series[i]!)) return i;
  return series.length;
}
