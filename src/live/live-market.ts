/**
 * The market a live decision is made on (SEMANTICS.md §4): the same full history a backtest
 * reads, through the previous session, with today's latest trade price appended as today's
 * bar. Bars that stop before the previous session are stale: the run refuses to trade on them.
 */
import { contentHash } from "../data/content-hash.js";
import { alignBars } from "../data/align.js";
import type { Market } from "../engine/market.js";
import type { Broker } from "../ports/broker.js";
import type { BarSource, TickerBars } from "../ports/bar-source.js";
import { Refusal } from "./refusal.js";

export interface LiveMarket {
  market: Market;
  /** Content hash of the history plus today's prices: what the decision was made on. */
  dataHash: string;
  /** Today's price of each ticker (the latest trade). */
  prices: Map<string, number>;
}

/** History through `previousSession` from `source`, plus today's latest trades from the broker. */
export async function liveMarket(tickers: readonly string[], source: BarSource, broker: Broker, today: string, previousSession: string): Promise<LiveMarket> {
  const set = await source.load({ tickers: [...tickers], to: previousSession });
  for (const ticker of tickers) {
    const bars = set.bars.get(ticker);
    const last = bars?.dates[bars.dates.length - 1];
    if (last !== previousSession) {
      throw new Refusal(`stale bars: ${ticker}'s last bar is ${last ?? "missing"}, the previous session was ${previousSession}`);
    }
  }
  const trades = await broker.latestTrades(tickers);
  const prices = new Map<string, number>();
  for (const ticker of tickers) {
    const trade = trades.get(ticker);
    if (trade === undefined || !(trade.price > 0)) throw new Refusal(`no latest trade price for ${ticker}`);
    prices.set(ticker, trade.price);
  }
  const history = alignBars(set, [...tickers]);
  const close = new Map<string, Float64Array>();
  for (const [ticker, series] of history.close) {
    const extended = new Float64Array(series.length + 1);
    extended.set(series);
    extended[series.length] = prices.get(ticker)!;
    close.set(ticker, extended);
  }
  const market: Market = { dates: [...history.dates, today], close };
  const withToday: TickerBars[] = tickers.map((t) => ({ ticker: t, dates: market.dates, close: close.get(t)! }));
  return { market, dataHash: contentHash(withToday), prices };
}
