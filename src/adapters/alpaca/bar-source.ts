/**
 * Daily bars from Alpaca's historical market-data API behind the BarSource port, plus the
 * latest trade per symbol for the live runner. Split- and dividend-adjusted ("all"), one feed
 * per source, symbols requested in batches and pages followed to the end.
 */
import type { BarRequest, BarSet, BarSource, TickerBars } from "../../ports/bar-source.js";
import { DataError } from "../../data/errors.js";
import { contentHash } from "../../data/content-hash.js";
import { createAlpacaClient, type AlpacaClient, type AlpacaClientOptions } from "./client.js";

/** Alpaca stock feeds Strat supports: "iex" (free) or "sip" (all US exchanges, paid). */
export type AlpacaFeed = "iex" | "sip";

/** Latest trade of one symbol. */
export interface LatestTrade {
  /** Trade price in USD. */
  price: number;
  /** Trade time, ISO 8601 UTC (millisecond precision). */
  time: string;
}

interface AlpacaBarSourceTuning {
  /** Stock feed (default "iex", the one every account may query). */
  feed?: AlpacaFeed;
  /** Clock for `fetchedAt` and the SIP recency limit (default the system clock). */
  now?: () => Date;
  /** Symbols per request (default 100); keeps URLs short for large universes. */
  batchSize?: number;
  /** Alpaca's `limit`: bars per page across all symbols of a request, 1..10000 (default 10000). */
  pageLimit?: number;
}

/** Build the client from keys; the data host is `dataUrl`, else APCA_API_DATA_URL, else Alpaca's. */
export interface AlpacaBarSourceKeyOptions extends AlpacaBarSourceTuning, Omit<AlpacaClientOptions, "baseUrl" | "paper"> {
  client?: undefined;
}

/** Use an existing client (shared with the broker adapter, or pointed at a fake server). */
export interface AlpacaBarSourceClientOptions extends AlpacaBarSourceTuning {
  client: AlpacaClient;
}

/** Options for {@link createAlpacaBarSource}. */
export type AlpacaBarSourceOptions = AlpacaBarSourceKeyOptions | AlpacaBarSourceClientOptions;

/** The Alpaca BarSource, which can also price symbols now. */
export interface AlpacaBarSource extends BarSource {
  readonly name: "alpaca";
  readonly feed: AlpacaFeed;
  /** Latest trade per symbol on this source's feed; see {@link fetchLatestTrades}. */
  fetchLatestTrades(symbols: readonly string[]): Promise<Map<string, LatestTrade>>;
}

/** Sent as `start` when the request has no `from`: Alpaca's default is the start of today. */
const EARLIEST_START = "2000-01-01";
/** SIP data younger than 15 minutes needs a paid plan; ask a little less recent than that. */
const SIP_DELAY_MS = 16 * 60_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Creates the "alpaca" BarSource. `load` returns each requested ticker's daily closes keyed by
 * NYSE session date (YYYY-MM-DD, America/New_York), sorted, exact duplicates dropped. Rejects
 * with a DataError naming the ticker when a ticker has no bars in the range, or naming ticker
 * and date for a non-positive close or two different bars on one date; with an
 * AlpacaRequestError when Alpaca fails after retries.
 */
export function createAlpacaBarSource(options: AlpacaBarSourceOptions): AlpacaBarSource {
  const client = options.client ?? createAlpacaClient(options);
  const feed = options.feed ?? "iex";
  const now = options.now ?? (() => new Date());
  const batchSize = positiveInt(options.batchSize ?? 100, "batchSize");
  const pageLimit = positiveInt(options.pageLimit ?? 10_000, "pageLimit");
  if (pageLimit > 10_000) throw new RangeError(`pageLimit must be at most 10000 (Alpaca's maximum), got ${pageLimit}`);

  return {
    name: "alpaca",
    feed,
    async load(request: BarRequest): Promise<BarSet> {
      const fetchedAt = now();
      const tickers = [...new Set(request.tickers)];
      const from = checkDate(request.from, "from");
      const to = checkDate(request.to, "to");
      if (from !== undefined && to !== undefined && from > to) throw new DataError(`'from' ${from} is after 'to' ${to}`, { date: from });

      // UTC day bounds: a daily bar stamped at New York midnight (04:00/05:00Z) falls inside
      // its own UTC day, so these neither drop the first bar nor take one from after `to`.
      const start = new Date(`${from ?? EARLIEST_START}T00:00:00Z`);
      let end = to === undefined ? undefined : new Date(`${to}T23:59:59Z`);
      if (feed === "sip") {
        const latest = new Date(fetchedAt.getTime() - SIP_DELAY_MS);
        if (end === undefined || end > latest) end = latest;
      }

      const raw = new Map<string, RawBar[]>(tickers.map((t) => [t, []]));
      for (const batch of chunks(tickers, batchSize)) {
        const seenTokens = new Set<string>();
        let pageToken: string | undefined;
        do {
          const page = await client.call((sdk) =>
            sdk.marketData.stocks.stockBars({
              symbols: batch.join(","),
              timeframe: "1Day",
              start,
              ...(end === undefined ? {} : { end }),
              adjustment: "all",
              feed,
              limit: pageLimit,
              ...(pageToken === undefined ? {} : { pageToken }),
            }),
          );
          // The SDK passes the symbol map through untouched: `t` arrives as the wire string.
          for (const [symbol, bars] of Object.entries(page.bars ?? {})) {
            const into = raw.get(symbol);
            if (into === undefined) continue; // a symbol we did not ask for: not ours to keep
            for (const bar of bars ?? []) into.push({ t: bar.t as unknown, c: bar.c as unknown });
          }
          const next = page.nextPageToken ?? undefined;
          if (next !== undefined && next !== "" && seenTokens.has(next)) {
            throw new Error(`Alpaca bars pagination repeated a page token for ${batch.join(",")}`);
          }
          pageToken = next === "" ? undefined : next;
          if (pageToken !== undefined) seenTokens.add(pageToken);
        } while (pageToken !== undefined);
      }

      const bars = new Map<string, TickerBars>();
      const missing: string[] = [];
      for (const ticker of tickers) {
        const series = toTickerBars(ticker, raw.get(ticker) ?? [], from, to);
        if (series.dates.length === 0) missing.push(ticker);
        else bars.set(ticker, series);
      }
      if (missing.length > 0) {
        const range = `${from ?? "the start"} to ${to ?? "now"}`;
        const others = missing.length > 1 ? ` (also missing: ${missing.slice(1).join(", ")})` : "";
        throw new DataError(`no daily bars from Alpaca (feed ${feed}) from ${range}${others}`, { ticker: missing[0]! });
      }
      return {
        bars,
        provenance: { provider: "alpaca", source: feed, adjustment: "all", fetchedAt: fetchedAt.toISOString(), contentHash: barsContentHash(bars) },
      };
    },
    fetchLatestTrades(symbols) {
      return fetchLatestTrades(client, symbols, { feed, batchSize });
    },
  };
}

/**
 * Latest trade price and time of each symbol (`GET /v2/stocks/trades/latest`), requested in
 * batches. Rejects with a DataError naming the symbol when Alpaca has no trade for it or the
 * price is not positive; with an AlpacaRequestError when Alpaca fails after retries.
 */
export async function fetchLatestTrades(
  client: AlpacaClient,
  symbols: readonly string[],
  options: { feed?: AlpacaFeed; batchSize?: number } = {},
): Promise<Map<string, LatestTrade>> {
  const feed = options.feed ?? "iex";
  const unique = [...new Set(symbols)];
  const out = new Map<string, LatestTrade>();
  for (const batch of chunks(unique, positiveInt(options.batchSize ?? 100, "batchSize"))) {
    const response = await client.call((sdk) => sdk.marketData.stocks.stockLatestTrades({ symbols: batch.join(","), feed }));
    const trades = response.trades ?? {};
    for (const symbol of batch) {
      const trade = trades[symbol];
      if (trade === undefined) throw new DataError(`no latest trade from Alpaca (feed ${feed})`, { ticker: symbol });
      const time = toInstant(trade.t as unknown);
      const price = trade.p as unknown;
      if (typeof price !== "number" || !Number.isFinite(price) || price <= 0) {
        throw new DataError(`latest trade price ${String(price)} is not positive`, { ticker: symbol, ...(time ? { date: time.toISOString() } : {}) });
      }
      if (time === undefined) throw new DataError(`latest trade has no valid time`, { ticker: symbol });
      out.set(symbol, { price, time: time.toISOString() });
    }
  }
  return out;
}

/** The bars' content hash, as every provider computes it (see src/data/content-hash.ts). */
export function barsContentHash(bars: ReadonlyMap<string, TickerBars>): string {
  return contentHash(bars);
}

/**
 * NYSE session date (YYYY-MM-DD in America/New_York) of an instant. Alpaca stamps a daily bar
 * at New York midnight expressed in UTC ("2024-01-02T05:00:00Z"), so the UTC date would also
 * work today, but the New York date stays right if the stamp ever moves within the day.
 */
export function sessionDate(instant: Date): string {
  const parts = NEW_YORK.formatToParts(instant);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

const NEW_YORK = new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", year: "numeric", month: "2-digit", day: "2-digit" });

interface RawBar {
  t: unknown;
  c: unknown;
}

function toTickerBars(ticker: string, raw: RawBar[], from: string | undefined, to: string | undefined): TickerBars {
  const rows: { date: string; close: number }[] = [];
  for (const bar of raw) {
    const instant = toInstant(bar.t);
    if (instant === undefined) throw new DataError(`bar with an invalid timestamp '${String(bar.t)}'`, { ticker });
    const date = sessionDate(instant);
    const close = bar.c;
    if (typeof close !== "number" || !Number.isFinite(close) || close <= 0) {
      throw new DataError(`close ${String(close)} is not a positive price`, { ticker, date });
    }
    // Alpaca's bounds are instants; ours are session dates. Keep exactly the requested dates.
    if ((from !== undefined && date < from) || (to !== undefined && date > to)) continue;
    rows.push({ date, close });
  }
  rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const dates: string[] = [];
  const closes: number[] = [];
  for (const row of rows) {
    const last = dates.length - 1;
    if (last >= 0 && dates[last] === row.date) {
      if (closes[last] === row.close) continue; // the same bar twice (e.g. across pages)
      throw new DataError(`two different daily bars (closes ${closes[last]} and ${row.close})`, { ticker, date: row.date });
    }
    dates.push(row.date);
    closes.push(row.close);
  }
  return { ticker, dates, close: Float64Array.from(closes) };
}

function toInstant(value: unknown): Date | undefined {
  const instant = value instanceof Date ? value : typeof value === "string" ? new Date(value) : undefined;
  return instant !== undefined && !Number.isNaN(instant.getTime()) ? instant : undefined;
}

function checkDate(value: string | undefined, label: string): string | undefined {
  if (value === undefined) return undefined;
  const parsed = DATE.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
  // The round trip rejects dates like 2024-02-30 that Date would roll over.
  if (parsed === undefined || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw new DataError(`'${label}' must be a YYYY-MM-DD date`, { date: value });
  }
  return value;
}

function positiveInt(value: number, label: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${label} must be a positive integer, got ${value}`);
  return value;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
