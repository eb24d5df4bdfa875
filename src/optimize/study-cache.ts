/**
 * A SeriesCache that survives re-alignment. `backtestOnBars` aligns the bars anew on every
 * call, so each trial gets a fresh `Market` object and the plain cache (keyed by object
 * identity) would recompute every indicator series per trial. Within one study every market
 * is aligned from the same BarSet and ticker list, so markets with the same calendar are
 * equal: this cache keys on the calendar instead, and serves one series to all trials.
 */
import type { IndicatorName } from "../ir/indicators.js";
import type { Market } from "../engine/market.js";
import { SeriesCache } from "../engine/series-cache.js";

/** Only for markets aligned from one BarSet (one study, one worker): see the module comment. */
export class StudySeriesCache extends SeriesCache {
  private readonly canonical = new Map<string, Market>();

  override tickerSeries(market: Market, indicator: IndicatorName, ticker: string, window: number): Float64Array {
    const { dates } = market;
    const key = `${dates.length}|${dates[0] ?? ""}|${dates[dates.length - 1] ?? ""}|${[...market.close.keys()].sort().join(",")}`;
    let first = this.canonical.get(key);
    if (first === undefined) {
      first = market;
      this.canonical.set(key, market);
    }
    return super.tickerSeries(first, indicator, ticker, window);
  }
}
