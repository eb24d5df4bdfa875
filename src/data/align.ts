/**
 * Bars → the evaluator's `Market`: one calendar (the union of the tickers' dates) and each
 * ticker's closes on it. A ticker may start late (NaN before its first bar), but a session
 * missing inside its history or after its end is a DataError, never a reused price
 * (SEMANTICS.md §1).
 */
import type { Market } from "../engine/market.js";
import type { BarSet, TickerBars } from "../ports/bar-source.js";
import { DataError } from "./errors.js";

/** Content hashes of bars, re-exported for callers that align and record provenance together. */
export { contentHash, contentHashAsync } from "./content-hash.js";

/** Rejects bars that break the port's contract (unsorted, duplicate, non-positive), naming ticker and date. */
function checkBars(bars: TickerBars): void {
  const { ticker, dates, close } = bars;
  if (dates.length !== close.length) throw new DataError(`${dates.length} dates but ${close.length} closes`, { ticker });
  for (let i = 0; i < dates.length; i++) {
    const date = dates[i]!;
    const price = close[i]!;
    if (!(price > 0) || !Number.isFinite(price)) throw new DataError(`close ${price} is not a positive price`, { ticker, date });
    if (i > 0 && date <= dates[i - 1]!) {
      throw new DataError(date === dates[i - 1] ? "duplicate date" : `dates out of order (after ${dates[i - 1]})`, { ticker, date });
    }
  }
}

/**
 * Aligns `tickers` (duplicates ignored) of `set` to the union of their dates, sorted. Each
 * ticker's closes are NaN before its first bar. Throws a DataError naming the ticker when it
 * was not loaded or has no bars, when a calendar session inside its history has no bar (the
 * first such date), or when its history ends before the calendar's last session ("no bar on"
 * the first session after its last bar).
 */
export function alignBars(set: BarSet, tickers: string[]): Market {
  const wanted = [...new Set(tickers)];
  const series: TickerBars[] = [];
  for (const ticker of wanted) {
    const bars = set.bars.get(ticker);
    if (bars === undefined) throw new DataError("no bars loaded for this ticker", { ticker });
    if (bars.dates.length === 0) throw new DataError("no bars in the requested range", { ticker });
    checkBars(bars);
    series.push(bars);
  }
  const union = new Set<string>();
  for (const bars of series) for (const date of bars.dates) union.add(date);
  const dates = [...union].sort();
  const indexOf = new Map(dates.map((d, i) => [d, i]));
  const close = new Map<string, Float64Array>();
  for (const bars of series) {
    const { ticker } = bars;
    const aligned = new Float64Array(dates.length).fill(NaN);
    const start = indexOf.get(bars.dates[0]!)!;
    // Every calendar session from the ticker's first bar on must be one of its bars, in order.
    for (let k = 0; k < bars.dates.length; k++) {
      const expected = dates[start + k]!;
      if (bars.dates[k] !== expected) {
        throw new DataError(`no bar on ${expected}, a session inside its history (${bars.dates[0]} to ${bars.dates[bars.dates.length - 1]})`, { ticker, date: expected });
      }
      aligned[start + k] = bars.close[k]!;
    }
    const end = start + bars.dates.length;
    if (end < dates.length) {
      const missing = dates[end]!;
      throw new DataError(`no bar on ${missing}: its history ends on ${bars.dates[bars.dates.length - 1]}, the calendar on ${dates[dates.length - 1]}`, { ticker, date: missing });
    }
    close.set(ticker, aligned);
  }
  return { dates, close };
}
