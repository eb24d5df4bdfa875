/**
 * The local bar cache, so repeated backtests never re-download: `CachedBarSource` serves bars
 * from the cache folder and asks the wrapped provider only for what is missing (new sessions
 * after the last cached bar, or history before the first), merging the answer in. Without a
 * provider it serves the cache alone (`--data cache`).
 *
 * Adjusted closes change retroactively after every split or dividend, so an incremental fetch
 * always re-asks for the cached bar it joins on; if the provider's close for that bar differs,
 * the history was re-adjusted and the ticker's whole range is fetched again instead of
 * splicing two adjustments together.
 */
import type { BarRequest, BarSet, BarSource, TickerBars } from "../ports/bar-source.js";
import { didYouMean } from "../lang/suggest.js";
import { CacheStore, DEFAULT_CACHE_DIR, type CacheEntry } from "./cache-store.js";
import { contentHashAsync } from "./content-hash.js";
import { CsvBarSource, sliceBars } from "./csv.js";
import { DataError } from "./errors.js";
import { addDays, sessionsBetween } from "./nyse-calendar.js";

/** Cache folder default and manifest entry type, re-exported for the CLI. */
export { DEFAULT_CACHE_DIR, type CacheEntry } from "./cache-store.js";

/** Relative difference above which a re-fetched close means the history was re-adjusted. */
const REVISION_TOLERANCE = 1e-9;

/** Options of a `CachedBarSource`. */
export interface CachedBarSourceOptions {
  /** Cache folder (default `.strat/data`, relative to the working directory). */
  dir?: string;
  /** Provider the cached bars must come from (default the inner source's `name`); others are re-fetched. */
  provider?: string;
  /** Provenance source they must have ("iex", "seed=42"); undefined: any source of that provider. */
  source?: string;
}

/** One planned request to the inner provider: a date range and the tickers needing it. */
interface Fetch {
  from: string | undefined;
  to: string | undefined;
  tickers: string[];
}

function minDate(a: string | undefined, b: string | undefined): string | undefined {
  return a === undefined || b === undefined ? undefined : a < b ? a : b;
}

function maxDate(a: string | undefined, b: string | undefined): string | undefined {
  return a === undefined || b === undefined ? undefined : a > b ? a : b;
}

/** True when some NYSE session lies in [from, to]: whether a gap could hold new bars at all. */
function hasSession(from: string, to: string): boolean {
  return from <= to && sessionsBetween(from, to).length > 0;
}

function closeEnough(a: number, b: number): boolean {
  return Math.abs(a - b) <= REVISION_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

/** Groups per-ticker ranges into one inner request per distinct range. */
function group(ranges: Map<string, { from: string | undefined; to: string | undefined }>): Fetch[] {
  const fetches = new Map<string, Fetch>();
  for (const [ticker, { from, to }] of ranges) {
    const key = `${from ?? ""}|${to ?? ""}`;
    const fetch = fetches.get(key) ?? { from, to, tickers: [] };
    fetch.tickers.push(ticker);
    fetches.set(key, fetch);
  }
  return [...fetches.values()];
}

/** A `BarSource` serving from the cache folder, filling gaps from `inner` (or from nothing when null). */
export class CachedBarSource implements BarSource {
  readonly name = "cache";
  readonly store: CacheStore;
  private readonly provider: string | null;
  private readonly source: string | undefined;

  constructor(
    private readonly inner: BarSource | null,
    options: CachedBarSourceOptions = {},
  ) {
    this.store = new CacheStore(options.dir ?? DEFAULT_CACHE_DIR);
    this.provider = options.provider ?? inner?.name ?? null;
    this.source = options.source;
  }

  private matches(entry: CacheEntry): boolean {
    return this.provider === null || (entry.provider === this.provider && (this.source === undefined || entry.source === this.source));
  }

  /**
   * The requested bars, fetching from the inner provider only the ranges the cache lacks and
   * storing the merged result. Provenance: provider "cache", source the cached bars' origins
   * ("alpaca:iex"), fetchedAt the newest of their fetches, contentHash of exactly what is returned.
   */
  async load(request: BarRequest): Promise<BarSet> {
    const tickers = [...new Set(request.tickers)];
    const entries = await this.store.entries();
    const cached = new Map<string, { entry: CacheEntry; bars: TickerBars }>();
    for (const ticker of tickers) {
      const entry = entries.get(ticker);
      if (entry === undefined || !this.matches(entry)) continue;
      const bars = await this.store.read(entry);
      if (typeof bars !== "string") cached.set(ticker, { entry, bars });
      else if (this.inner === null) throw new DataError(`the cache file is corrupt (${bars}); fetch the ticker again`, { ticker, file: this.store.barsFile(ticker) });
    }
    if (this.inner === null) return this.cacheOnly(tickers, cached, [...entries.keys()], request);

    const updates = await this.refresh(this.inner, tickers, cached, request);
    await this.store.write([...updates.values()]);
    for (const [ticker, update] of updates) cached.set(ticker, update);
    return this.answer(tickers, cached, request);
  }

  private async cacheOnly(tickers: string[], cached: Map<string, { entry: CacheEntry; bars: TickerBars }>, known: string[], request: BarRequest): Promise<BarSet> {
    for (const ticker of tickers) {
      if (!cached.has(ticker)) {
        throw new DataError(`not in the cache ${this.store.dir}${didYouMean(ticker, known)} (fetch it with: strat data fetch ${ticker})`, { ticker });
      }
    }
    return this.answer(tickers, cached, request);
  }

  /** Plans, runs and merges the inner fetches; returns the new or changed entries with their bars. */
  private async refresh(inner: BarSource, tickers: string[], cached: Map<string, { entry: CacheEntry; bars: TickerBars }>, request: BarRequest): Promise<Map<string, { entry: CacheEntry; bars: TickerBars }>> {
    const { from, to } = request;
    const full = new Map<string, { from: string | undefined; to: string | undefined }>();
    const front = new Map<string, { from: string | undefined; to: string | undefined }>();
    const back = new Map<string, { from: string | undefined; to: string | undefined }>();
    for (const ticker of tickers) {
      const hit = cached.get(ticker);
      if (hit === undefined) {
        full.set(ticker, { from, to });
        continue;
      }
      const { entry } = hit;
      const coveredFrom = entry.coveredFrom;
      // History before the covered start: only if a session could lie there. The joining bar is re-asked.
      if (coveredFrom !== null && (from === undefined || hasSession(from, addDays(coveredFrom, -1)))) front.set(ticker, { from, to: entry.first });
      // New sessions after the last bar (always asked when the request is open-ended).
      if (to === undefined || hasSession(addDays(entry.last, 1), to)) back.set(ticker, { from: entry.last, to });
    }

    const updates = new Map<string, { entry: CacheEntry; bars: TickerBars }>();
    const revised = new Set<string>();
    for (const fetch of group(full)) {
      const set = await inner.load({ tickers: fetch.tickers, ...range(fetch) });
      for (const ticker of fetch.tickers) {
        const bars = set.bars.get(ticker);
        if (bars !== undefined && bars.dates.length > 0) updates.set(ticker, await entryFor(bars, set, fetch.from ?? null));
      }
    }
    for (const [ranges, side] of [[front, "front"], [back, "back"]] as const) {
      for (const fetch of group(ranges)) {
        const set = await inner.load({ tickers: fetch.tickers, ...range(fetch) });
        for (const ticker of fetch.tickers) {
          if (revised.has(ticker)) continue;
          const current = updates.get(ticker) ?? cached.get(ticker)!;
          const fetched = set.bars.get(ticker) ?? { ticker, dates: [], close: new Float64Array(0) };
          const merged = side === "front" ? joinFront(fetched, current.bars) : joinBack(current.bars, fetched);
          if (merged === null) {
            revised.add(ticker);
            continue;
          }
          // Nothing new after the last bar: leave the entry (and its fetchedAt) as it is.
          if (side === "back" && merged.dates.length === current.bars.dates.length) continue;
          const coveredFrom = side === "front" ? (fetch.from ?? null) : current.entry.coveredFrom;
          // Only a wider covered range, no new bar: keep the fetch time of the bars themselves.
          updates.set(ticker, await entryFor(merged, set, coveredFrom, merged.dates.length === current.bars.dates.length ? current.entry.fetchedAt : undefined));
        }
      }
    }
    // Re-adjusted histories: fetch the ticker's whole range again and replace it.
    const again = new Map<string, { from: string | undefined; to: string | undefined }>();
    for (const ticker of revised) {
      const { entry } = cached.get(ticker)!;
      again.set(ticker, { from: minDate(from, entry.coveredFrom ?? undefined), to: maxDate(to, entry.last) });
    }
    for (const fetch of group(again)) {
      const set = await inner.load({ tickers: fetch.tickers, ...range(fetch) });
      for (const ticker of fetch.tickers) {
        const bars = set.bars.get(ticker);
        if (bars !== undefined && bars.dates.length > 0) updates.set(ticker, await entryFor(bars, set, fetch.from ?? null));
      }
    }
    return updates;
  }

  private async answer(tickers: string[], cached: Map<string, { entry: CacheEntry; bars: TickerBars }>, request: BarRequest): Promise<BarSet> {
    const bars = new Map<string, TickerBars>();
    const origins = new Set<string>();
    const adjustments = new Set<string>();
    let fetchedAt = "";
    for (const ticker of tickers) {
      const hit = cached.get(ticker);
      // A ticker the provider had no bars for in the range is not stored; it is returned empty.
      bars.set(ticker, hit === undefined ? { ticker, dates: [], close: new Float64Array(0) } : sliceBars(hit.bars, request.from, request.to));
      if (hit === undefined) continue;
      origins.add(`${hit.entry.provider}:${hit.entry.source}`);
      adjustments.add(hit.entry.adjustment);
      if (hit.entry.fetchedAt > fetchedAt) fetchedAt = hit.entry.fetchedAt;
    }
    return {
      bars,
      provenance: {
        provider: "cache",
        source: [...origins].sort().join(", "),
        adjustment: [...adjustments].sort().join(", "),
        fetchedAt: fetchedAt === "" ? new Date(0).toISOString() : fetchedAt,
        contentHash: await contentHashAsync(bars),
      },
    };
  }
}

function range(fetch: { from: string | undefined; to: string | undefined }): { from?: string; to?: string } {
  return { ...(fetch.from === undefined ? {} : { from: fetch.from }), ...(fetch.to === undefined ? {} : { to: fetch.to }) };
}

/** Fetched history (ending on the cached first bar) + cached bars; null when the joining close differs or is missing. */
function joinFront(fetched: TickerBars, cached: TickerBars): TickerBars | null {
  const joint = fetched.dates.indexOf(cached.dates[0]!);
  if (joint < 0 || !closeEnough(fetched.close[joint]!, cached.close[0]!)) return null;
  return concat(cached.ticker, fetched, 0, joint, cached, 0);
}

/** Cached bars + fetched bars after the cached last one; null when the joining close differs or is missing. */
function joinBack(cached: TickerBars, fetched: TickerBars): TickerBars | null {
  const last = cached.dates.length - 1;
  const joint = fetched.dates.indexOf(cached.dates[last]!);
  if (joint < 0 || !closeEnough(fetched.close[joint]!, cached.close[last]!)) return null;
  return concat(cached.ticker, cached, 0, last + 1, fetched, joint + 1);
}

/** `a[aFrom, aTo)` followed by `b[bFrom, end)`. */
function concat(ticker: string, a: TickerBars, aFrom: number, aTo: number, b: TickerBars, bFrom: number): TickerBars {
  const dates = [...a.dates.slice(aFrom, aTo), ...b.dates.slice(bFrom)];
  const close = new Float64Array(dates.length);
  close.set(a.close.subarray(aFrom, aTo), 0);
  close.set(b.close.subarray(bFrom), aTo - aFrom);
  return { ticker, dates, close };
}

/** A manifest entry for `bars` fetched in `set`; `keepFetchedAt` when nothing new was added. */
async function entryFor(bars: TickerBars, set: BarSet, coveredFrom: string | null, keepFetchedAt?: string): Promise<{ entry: CacheEntry; bars: TickerBars }> {
  const { provider, source, adjustment, fetchedAt } = set.provenance;
  const entry: CacheEntry = {
    ticker: bars.ticker,
    provider,
    source,
    adjustment,
    fetchedAt: keepFetchedAt ?? fetchedAt,
    contentHash: await contentHashAsync([bars]),
    first: bars.dates[0]!,
    last: bars.dates[bars.dates.length - 1]!,
    bars: bars.dates.length,
    coveredFrom,
  };
  return { entry, bars };
}

/**
 * Imports every `TICKER.csv` of `dir` into the cache (ticker = file name upper-cased), after
 * validating all of them: one bad file and nothing is written. Returns the new entries, sorted.
 */
export async function importFolder(dir: string, options: { cacheDir?: string } = {}): Promise<CacheEntry[]> {
  const csv = new CsvBarSource(dir);
  const stems = await csv.tickers();
  if (stems.length === 0) throw new DataError("no .csv files in this folder", { file: dir });
  const updates: { entry: CacheEntry; bars: TickerBars }[] = [];
  for (const stem of stems) {
    const ticker = stem.toUpperCase();
    const set = await csv.load({ tickers: [ticker] });
    const bars = set.bars.get(ticker)!;
    if (bars.dates.length === 0) throw new DataError("the file has no bars", { ticker, file: `${dir}/${stem}.csv` });
    updates.push(await entryFor(bars, set, null));
  }
  await new CacheStore(options.cacheDir ?? DEFAULT_CACHE_DIR).write(updates);
  return updates.map((u) => u.entry);
}

/** Every cached ticker's manifest entry, sorted by ticker; empty when there is no cache. */
export async function listCache(cacheDir: string = DEFAULT_CACHE_DIR): Promise<CacheEntry[]> {
  return [...(await new CacheStore(cacheDir).entries()).values()].sort((a, b) => (a.ticker < b.ticker ? -1 : a.ticker > b.ticker ? 1 : 0));
}

/** A cache-backed source: `inner` fills gaps; null serves the cache alone (missing tickers are DataErrors). */
export function createCachedBarSource(inner: BarSource | null, options: CachedBarSourceOptions = {}): CachedBarSource {
  return new CachedBarSource(inner, options);
}
