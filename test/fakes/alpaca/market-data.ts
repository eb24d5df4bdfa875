/**
 * Market-data routes of the fake Alpaca server, in Alpaca's wire format: historical daily bars
 * (multi- and single-symbol, with `start`/`end`, `limit`, `sort` and `page_token` paging) and
 * latest trades. Only daily bars exist here; other timeframes are refused with a 422.
 */
import { apiError, type FakeRequest, type FakeResponse, type Router } from "./router.js";
import type { FakeAlpacaState, WireBar, WireTrade } from "./state.js";

const DAILY = new Set(["1Day", "1D"]);
const ADJUSTMENTS = new Set(["raw", "split", "dividend", "spin-off", "all"]);
const HISTORICAL_FEEDS = new Set(["iex", "sip", "otc", "boats"]);
const LATEST_FEEDS = new Set(["iex", "sip", "delayed_sip", "otc", "boats", "overnight"]);
const MAX_LIMIT = 10_000;
const DEFAULT_LIMIT = 1_000;

/** Registers the market-data routes on `router`. */
export function registerMarketData(router: Router): void {
  router
    .add("GET", "/v2/stocks/bars", (req, state) => bars(req, state, splitSymbols(req.query.get("symbols")), "multi"))
    .add("GET", "/v2/stocks/:symbol/bars", (req, state) => bars(req, state, [req.params["symbol"]!], "single"))
    .add("GET", "/v2/stocks/trades/latest", latestTrades)
    .add("GET", "/v2/stocks/:symbol/trades/latest", latestTradeSingle);
}

function splitSymbols(raw: string | null): string[] {
  return (raw ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
}

/** Page position: the first (symbol, t) of the next page, opaque to clients like Alpaca's. */
function encodeToken(symbol: string, t: string): string {
  return Buffer.from(`${symbol}|${t}`, "utf8").toString("base64");
}

function decodeToken(token: string): { symbol: string; t: string } | undefined {
  const text = Buffer.from(token, "base64").toString("utf8");
  const bar = text.indexOf("|");
  return bar > 0 ? { symbol: text.slice(0, bar), t: text.slice(bar + 1) } : undefined;
}

/** RFC 3339 or YYYY-MM-DD (UTC midnight), like Alpaca; undefined when absent, NaN when invalid. */
function parseTime(raw: string | null): number | undefined {
  if (raw === null || raw === "") return undefined;
  return /^\d{4}-\d{2}-\d{2}$/.test(raw) ? Date.parse(`${raw}T00:00:00Z`) : Date.parse(raw);
}

function bars(req: FakeRequest, state: FakeAlpacaState, symbols: string[], shape: "multi" | "single"): FakeResponse {
  const q = req.query;
  if (symbols.length === 0) return apiError(400, 40010001, "missing symbols");
  const timeframe = q.get("timeframe");
  if (timeframe === null) return apiError(400, 40010001, "missing timeframe");
  if (!DAILY.has(timeframe)) return apiError(422, 42210000, `invalid timeframe: the fake serves daily bars only`);
  const adjustment = q.get("adjustment") ?? "raw";
  if (!adjustment.split(",").every((a) => ADJUSTMENTS.has(a))) return apiError(422, 42210000, "invalid adjustment");
  const feed = q.get("feed") ?? "sip";
  if (!HISTORICAL_FEEDS.has(feed)) return apiError(422, 42210000, "invalid feed");
  const limit = q.has("limit") ? Number(q.get("limit")) : DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return apiError(422, 42210000, "invalid limit: must be between 1 and 10000");
  const sort = q.get("sort") ?? "asc";
  if (sort !== "asc" && sort !== "desc") return apiError(422, 42210000, "invalid sort");

  // Alpaca's defaults: start of the current (UTC) day, and now.
  const now = state.now().getTime();
  const start = parseTime(q.get("start")) ?? Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  const end = parseTime(q.get("end")) ?? now;
  if (Number.isNaN(start)) return apiError(422, 42210000, "invalid start");
  if (Number.isNaN(end)) return apiError(422, 42210000, "invalid end");

  // Sorted by symbol, then by time: paging walks this one list.
  const items: { symbol: string; bar: WireBar }[] = [];
  for (const symbol of [...new Set(symbols)].sort()) {
    const series = (state.bars.get(symbol) ?? []).filter((b) => Date.parse(b.t) >= start && Date.parse(b.t) <= end);
    if (sort === "desc") series.reverse();
    for (const bar of series) items.push({ symbol, bar });
  }

  let offset = 0;
  const token = q.get("page_token");
  if (token !== null && token !== "") {
    const position = decodeToken(token);
    offset = position === undefined ? -1 : items.findIndex((i) => i.symbol === position.symbol && i.bar.t === position.t);
    if (offset < 0) return apiError(400, 40010001, "invalid page token");
  }
  const page = items.slice(offset, offset + limit);
  const following = items[offset + limit];
  const nextPageToken = following === undefined ? null : encodeToken(following.symbol, following.bar.t);

  if (shape === "single") {
    return { status: 200, body: { bars: page.map((i) => i.bar), symbol: symbols[0], next_page_token: nextPageToken } };
  }
  const grouped: Record<string, WireBar[]> = {};
  for (const { symbol, bar } of page) (grouped[symbol] ??= []).push(bar);
  return { status: 200, body: { bars: grouped, next_page_token: nextPageToken } };
}

/**
 * The explicit latest trade, else one at the last bar's close, stamped 16:00 New York that day.
 * Also the price the fake's orders fill at and positions are valued at.
 */
export function latestTradeOf(state: FakeAlpacaState, symbol: string): WireTrade | undefined {
  const explicit = state.latestTrades.get(symbol);
  if (explicit !== undefined) return explicit;
  const last = state.bars.get(symbol)?.at(-1);
  if (last === undefined) return undefined;
  const t = new Date(Date.parse(last.t) + 16 * 3_600_000).toISOString().replace(".000Z", "Z");
  return { t, x: "V", p: last.c, s: 100, c: ["@"], i: 1, z: "C" };
}

function latestTrades(req: FakeRequest, state: FakeAlpacaState): FakeResponse {
  const symbols = splitSymbols(req.query.get("symbols"));
  if (symbols.length === 0) return apiError(400, 40010001, "missing symbols");
  const feed = req.query.get("feed");
  if (feed !== null && !LATEST_FEEDS.has(feed)) return apiError(422, 42210000, "invalid feed");
  const trades: Record<string, WireTrade> = {};
  for (const symbol of symbols) {
    const trade = latestTradeOf(state, symbol);
    if (trade !== undefined) trades[symbol] = trade;
  }
  return { status: 200, body: { trades } };
}

function latestTradeSingle(req: FakeRequest, state: FakeAlpacaState): FakeResponse {
  const symbol = req.params["symbol"]!;
  const feed = req.query.get("feed");
  if (feed !== null && !LATEST_FEEDS.has(feed)) return apiError(422, 42210000, "invalid feed");
  const trade = latestTradeOf(state, symbol);
  if (trade === undefined) return apiError(404, 40410000, `no trade found for ${symbol}`);
  return { status: 200, body: { symbol, trade } };
}
