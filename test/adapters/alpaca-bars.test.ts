/**
 * The Alpaca client and bar source against the fake Alpaca server: routing, paging, batching,
 * session dates, retries, error hygiene and data errors. No request may leave 127.0.0.1: the
 * global fetch is guarded for every test, and every client gets explicit host overrides
 * except in the one test that checks the defaults with a stub fetch.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ALPACA_DATA_URL,
  ALPACA_LIVE_URL,
  ALPACA_PAPER_URL,
  AlpacaRequestError,
  createAlpacaClient,
  resolveAlpacaUrls,
  type AlpacaClient,
  type AlpacaClientOptions,
  type AlpacaRetryEvent,
  type FetchFunction,
} from "../../src/adapters/alpaca/client.js";
import { createAlpacaBarSource, fetchLatestTrades, sessionDate, type AlpacaBarSourceOptions } from "../../src/adapters/alpaca/bar-source.js";
import { DataError } from "../../src/data/errors.js";
import { contentHash } from "../../src/data/content-hash.js";
import type { TickerBars } from "../../src/ports/bar-source.js";
import { dailyBar, linearBars, startFakeAlpacaServer, weekdays, type FakeAlpacaServer, type FakeAlpacaServerOptions } from "../fakes/alpaca-server.js";

// ---- no request leaves the machine ---------------------------------------------------------

const realFetch = globalThis.fetch;
let offLoopback: string[] = [];

beforeEach(() => {
  offLoopback = [];
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.hostname !== "127.0.0.1") {
      offLoopback.push(url.origin);
      throw new Error(`test tried to reach ${url.origin}`);
    }
    return realFetch(input, init);
  }) as typeof fetch;
});

afterEach(() => {
  globalThis.fetch = realFetch;
  expect(offLoopback).toEqual([]);
});

// ---- fixtures -------------------------------------------------------------------------------

/** Ten weekdays, 2024-01-02 … 2024-01-15 (the fake needs no holiday calendar). */
const DATES = weekdays("2024-01-02", 10);
const NOW = new Date("2024-01-16T15:00:00Z");

const servers: FakeAlpacaServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function startServer(options: FakeAlpacaServerOptions = {}): Promise<FakeAlpacaServer> {
  const server = await startFakeAlpacaServer({
    bars: { SPY: linearBars(DATES, 100), QQQ: linearBars(DATES, 200, 2), TLT: linearBars(DATES, 50, -1) },
    now: () => NOW,
    ...options,
  });
  servers.push(server);
  return server;
}

interface Harness {
  client: AlpacaClient;
  sleeps: number[];
  retries: AlpacaRetryEvent[];
}

function connect(server: FakeAlpacaServer, extra: Partial<AlpacaClientOptions> = {}): Harness {
  const sleeps: number[] = [];
  const retries: AlpacaRetryEvent[] = [];
  const client = createAlpacaClient({
    keyId: server.keyId,
    secretKey: server.secretKey,
    baseUrl: server.url,
    dataUrl: server.url,
    env: {},
    rateLimit: false,
    timeoutMs: 5_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onRetry: (event) => retries.push(event),
    ...extra,
  });
  return { client, sleeps, retries };
}

function source(client: AlpacaClient, extra: Partial<AlpacaBarSourceOptions> = {}) {
  return createAlpacaBarSource({ client, now: () => NOW, ...extra } as AlpacaBarSourceOptions);
}

function closes(set: { bars: Map<string, { close: Float64Array }> }, ticker: string): number[] {
  return [...(set.bars.get(ticker)?.close ?? [])];
}

const range = (start: number, count: number, step = 1): number[] => Array.from({ length: count }, (_, i) => start + i * step);

// ---- routing ---------------------------------------------------------------------------------

describe("routing", () => {
  it("uses Alpaca's own hosts only when no override is given", async () => {
    expect(resolveAlpacaUrls({ env: {} })).toEqual({
      tradingUrl: "https://paper-api.alpaca.markets",
      dataUrl: "https://data.alpaca.markets",
      tradingOverridden: false,
      dataOverridden: false,
    });
    expect(resolveAlpacaUrls({ env: {}, paper: false }).tradingUrl).toBe(ALPACA_LIVE_URL);
    const env = { APCA_API_BASE_URL: "http://127.0.0.1:9001/v2/", APCA_API_DATA_URL: "http://127.0.0.1:9002" };
    expect(resolveAlpacaUrls({ env })).toEqual({
      tradingUrl: "http://127.0.0.1:9001",
      dataUrl: "http://127.0.0.1:9002",
      tradingOverridden: true,
      dataOverridden: true,
    });
    // Explicit options win over the environment.
    expect(resolveAlpacaUrls({ env, baseUrl: "http://127.0.0.1:9003", dataUrl: "http://127.0.0.1:9004/" })).toMatchObject({
      tradingUrl: "http://127.0.0.1:9003",
      dataUrl: "http://127.0.0.1:9004",
    });
    expect(() => resolveAlpacaUrls({ env: { APCA_API_DATA_URL: "ftp://127.0.0.1" } })).toThrow("APCA_API_DATA_URL must be an http(s) URL");
    expect(() => resolveAlpacaUrls({ env: {}, dataUrl: "https://me:hunter2pass@127.0.0.1" })).toThrow(/^dataUrl must not contain credentials$/);

    // What the SDK actually requests, seen by a stub fetch (nothing reaches the network).
    const seen: string[] = [];
    const stub: FetchFunction = async (url) => {
      seen.push(url);
      const body = url.includes("/v2/clock")
        ? { timestamp: "2024-01-16T10:00:00-05:00", is_open: false, next_open: "2024-01-16T09:30:00-05:00", next_close: "2024-01-16T16:00:00-05:00" }
        : { trades: {} };
      return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
    };
    const base = { keyId: "AKDEFAULTS0000000000", secretKey: "defaults-secret-000000000000", rateLimit: false as const, fetch: stub };
    const defaults = createAlpacaClient({ ...base, env: {} });
    expect([defaults.tradingUrl, defaults.dataUrl]).toEqual([ALPACA_PAPER_URL, ALPACA_DATA_URL]);
    await defaults.call((sdk) => sdk.trading.clock.legacyClock());
    await defaults.call((sdk) => sdk.marketData.stocks.stockLatestTrades({ symbols: "SPY", feed: "iex" }));
    const live = createAlpacaClient({ ...base, env: {}, paper: false });
    await live.call((sdk) => sdk.trading.clock.legacyClock());
    const routed = createAlpacaClient({ ...base, env: { APCA_API_BASE_URL: "http://127.0.0.1:9001", APCA_API_DATA_URL: "http://127.0.0.1:9002/v2" } });
    await routed.call((sdk) => sdk.trading.clock.legacyClock());
    await routed.call((sdk) => sdk.marketData.stocks.stockLatestTrades({ symbols: "SPY", feed: "iex" }));
    expect(seen).toEqual([
      "https://paper-api.alpaca.markets/v2/clock",
      "https://data.alpaca.markets/v2/stocks/trades/latest?symbols=SPY&feed=iex",
      "https://api.alpaca.markets/v2/clock",
      "http://127.0.0.1:9001/v2/clock",
      "http://127.0.0.1:9002/v2/stocks/trades/latest?symbols=SPY&feed=iex",
    ]);
  });

  it("sends the key headers the fake server requires", async () => {
    const server = await startServer();
    const bare = await realFetch(`${server.url}/v2/stocks/bars?symbols=SPY&timeframe=1Day`);
    expect(bare.status).toBe(401);
    expect(await bare.json()).toEqual({ code: 40110000, message: "request is not authorized" });

    const { client } = connect(server);
    await client.call((sdk) => sdk.marketData.stocks.stockLatestTrades({ symbols: "SPY" }));
    expect(server.requests.map((r) => [r.path, r.authorized])).toEqual([
      ["/v2/stocks/bars", false],
      ["/v2/stocks/trades/latest", true],
    ]);
  });
});

// ---- bars ------------------------------------------------------------------------------------

describe("bars", () => {
  it("follows next_page_token across pages", async () => {
    const server = await startServer();
    const { client } = connect(server);
    const set = await source(client, { pageLimit: 3 }).load({ tickers: ["SPY"], from: "2024-01-02", to: "2024-01-15" });

    const requests = server.requestsTo("/v2/stocks/bars");
    expect(requests).toHaveLength(4); // 3 + 3 + 3 + 1 bars
    expect(requests[0]!.query).toEqual({
      symbols: "SPY",
      timeframe: "1Day",
      start: "2024-01-02T00:00:00.000Z",
      end: "2024-01-15T23:59:59.000Z",
      adjustment: "all",
      feed: "iex",
      limit: "3",
    });
    expect(requests.map((r) => r.query["page_token"] !== undefined)).toEqual([false, true, true, true]);

    expect([...set.bars.keys()]).toEqual(["SPY"]);
    const spy = set.bars.get("SPY")!;
    expect(spy.ticker).toBe("SPY");
    expect(spy.dates).toEqual([
      "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08",
      "2024-01-09", "2024-01-10", "2024-01-11", "2024-01-12", "2024-01-15",
    ]);
    expect(closes(set, "SPY")).toEqual(range(100, 10));
    const expected: TickerBars = { ticker: "SPY", dates: spy.dates, close: Float64Array.from(range(100, 10)) };
    expect(set.provenance).toEqual({
      provider: "alpaca",
      source: "iex",
      adjustment: "all",
      fetchedAt: "2024-01-16T15:00:00.000Z",
      contentHash: contentHash([expected]),
    });
  });

  it("requests tickers in batches and merges pages that straddle two symbols", async () => {
    const server = await startServer();
    const { client } = connect(server);
    const set = await source(client, { batchSize: 2, pageLimit: 4 }).load({ tickers: ["SPY", "QQQ", "TLT", "SPY"], from: "2024-01-02", to: "2024-01-15" });

    // SPY+QQQ: 20 bars in pages of 4 → 5 requests; TLT: 10 bars → 3 requests.
    expect(server.requestsTo("/v2/stocks/bars").map((r) => r.query["symbols"])).toEqual([
      "SPY,QQQ", "SPY,QQQ", "SPY,QQQ", "SPY,QQQ", "SPY,QQQ", "TLT", "TLT", "TLT",
    ]);
    expect([...set.bars.keys()]).toEqual(["SPY", "QQQ", "TLT"]);
    expect(closes(set, "SPY")).toEqual(range(100, 10));
    expect(closes(set, "QQQ")).toEqual(range(200, 10, 2));
    expect(closes(set, "TLT")).toEqual(range(50, 10, -1));
    for (const ticker of ["SPY", "QQQ", "TLT"]) expect(set.bars.get(ticker)!.dates).toEqual(DATES);

    const expected: TickerBars[] = [
      { ticker: "SPY", dates: DATES, close: Float64Array.from(range(100, 10)) },
      { ticker: "QQQ", dates: DATES, close: Float64Array.from(range(200, 10, 2)) },
      { ticker: "TLT", dates: DATES, close: Float64Array.from(range(50, 10, -1)) },
    ];
    expect(set.provenance.contentHash).toBe(contentHash(expected));
  });

  it("dates each bar by its New York session, across daylight-saving changes", async () => {
    // Alpaca stamps daily bars at New York midnight: 05:00Z in winter, 04:00Z in summer.
    const stamped = (t: string, c: number) => ({ ...dailyBar("2024-01-02", c), t });
    const server = await startServer({
      bars: {
        DST: [
          stamped("2024-03-08T05:00:00Z", 10), // Friday, EST
          stamped("2024-03-11T04:00:00Z", 11), // Monday, EDT
          stamped("2024-07-01T04:00:00Z", 12),
          stamped("2024-11-01T04:00:00Z", 13), // Friday, EDT
          stamped("2024-11-04T05:00:00Z", 14), // Monday, EST again
          stamped("2024-11-04T05:00:00Z", 14), // the same bar twice: dropped
        ],
      },
    });
    const { client } = connect(server);
    const set = await source(client).load({ tickers: ["DST"], from: "2024-03-01", to: "2024-11-30" });
    expect(set.bars.get("DST")!.dates).toEqual(["2024-03-08", "2024-03-11", "2024-07-01", "2024-11-01", "2024-11-04"]);
    expect(closes(set, "DST")).toEqual([10, 11, 12, 13, 14]);

    expect(sessionDate(new Date("2024-01-02T05:00:00Z"))).toBe("2024-01-02");
    expect(sessionDate(new Date("2024-07-01T04:00:00Z"))).toBe("2024-07-01");
    // 22:00 in New York on the 2nd is already the 3rd in UTC: the session is the 2nd.
    expect(sessionDate(new Date("2024-01-03T03:00:00Z"))).toBe("2024-01-02");
  });

  it("asks from 2000 when there is no 'from' (Alpaca would default to today) and keeps SIP 16 minutes back", async () => {
    const server = await startServer();
    const { client } = connect(server);
    await source(client).load({ tickers: ["SPY"] });
    await source(client, { feed: "sip" }).load({ tickers: ["SPY"], to: "2024-01-20" });
    const [iex, sip] = server.requestsTo("/v2/stocks/bars");
    expect(iex!.query).toEqual({ symbols: "SPY", timeframe: "1Day", start: "2000-01-01T00:00:00.000Z", adjustment: "all", feed: "iex", limit: "10000" });
    expect(sip!.query["end"]).toBe("2024-01-16T14:44:00.000Z");
    expect(sip!.query["feed"]).toBe("sip");
  });

  it("keeps only the requested dates", async () => {
    const server = await startServer();
    const { client } = connect(server);
    const set = await source(client).load({ tickers: ["QQQ"], from: "2024-01-05", to: "2024-01-09" });
    expect(set.bars.get("QQQ")!.dates).toEqual(["2024-01-05", "2024-01-08", "2024-01-09"]);
    expect(closes(set, "QQQ")).toEqual([206, 208, 210]);
  });
});

// ---- retries ---------------------------------------------------------------------------------

describe("retries", () => {
  const request = { tickers: ["SPY"], from: "2024-01-02", to: "2024-01-15" };

  it("waits as long as a 429's Retry-After says, then succeeds", async () => {
    const server = await startServer();
    const { client, sleeps, retries } = connect(server);
    server.inject({ status: 429, retryAfter: 1 });
    const set = await source(client).load(request);
    expect(closes(set, "SPY")).toEqual(range(100, 10));
    expect(sleeps).toEqual([1000]);
    expect(retries).toEqual([{ method: "GET", path: "/v2/stocks/bars", attempt: 1, delayMs: 1000, status: 429, reason: "HTTP 429" }]);
    expect(server.requests.map((r) => r.fault)).toEqual(["status 429", undefined]);
  });

  it("retries 5xx with doubling backoff, and reports the last status when they persist", async () => {
    const server = await startServer();
    const ok = connect(server);
    server.inject({ status: 503, times: 2 });
    const set = await source(ok.client).load(request);
    expect(closes(set, "SPY")).toEqual(range(100, 10));
    expect(ok.sleeps).toEqual([500, 1000]);
    expect(server.requests).toHaveLength(3);

    const failing = connect(server, { maxAttempts: 3 });
    server.inject({ status: 500, times: 5, path: "/v2/stocks/bars" });
    const error = await source(failing.client).load(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlpacaRequestError);
    expect((error as AlpacaRequestError).message).toBe("Alpaca GET /v2/stocks/bars failed: HTTP 500: internal server error (after 3 attempts)");
    expect(error).toMatchObject({ status: 500, attempts: 3, method: "GET", path: "/v2/stocks/bars" });
    expect(failing.sleeps).toEqual([500, 1000]);
    expect(server.pendingFaults).toBe(1);
  });

  it("retries a connection dropped before the response and one dropped mid-body", async () => {
    const server = await startServer();
    const { client, sleeps, retries } = connect(server);
    server.inject({ drop: true });
    server.inject({ drop: "mid-body" });
    const set = await source(client).load(request);
    expect(closes(set, "SPY")).toEqual(range(100, 10));
    expect(sleeps).toEqual([500, 1000]);
    expect(retries.map((r) => r.reason.startsWith("connection failed ("))).toEqual([true, true]);
    expect(server.requests.map((r) => r.fault)).toEqual(["drop", "drop mid-body", undefined]);
  });

  it("times out a stalled attempt and retries it", async () => {
    const server = await startServer();
    const { client, sleeps, retries } = connect(server, { timeoutMs: 150 });
    server.inject({ delayMs: 5_000 });
    const set = await source(client).load(request);
    expect(closes(set, "SPY")).toEqual(range(100, 10));
    expect(sleeps).toEqual([500]);
    expect(retries).toEqual([{ method: "GET", path: "/v2/stocks/bars", attempt: 1, delayMs: 500, reason: "timeout after 150 ms" }]);
  });

  it("never retries other 4xx and never shows the secret", async () => {
    const server = await startServer();
    const { client, sleeps } = connect(server);

    server.inject({ status: 422, body: { code: 42210000, message: "invalid symbol: SPY!" } });
    const invalid = await source(client).load(request).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(AlpacaRequestError);
    expect((invalid as Error).message).toBe("Alpaca GET /v2/stocks/bars failed: HTTP 422: invalid symbol: SPY!");
    expect(invalid).toMatchObject({ status: 422, code: 42210000, attempts: 1, requestId: "fake-1" });

    server.inject({ status: 403, body: { message: `forbidden for key ${server.secretKey}` } });
    const forbidden = await source(client).load(request).catch((e: unknown) => e);
    expect((forbidden as Error).message).toBe("Alpaca GET /v2/stocks/bars failed: HTTP 403: forbidden for key [redacted]");

    const wrongSecret = "wrong-secret-key-0000000000000000";
    const wrong = connect(server, { secretKey: wrongSecret });
    const unauthorized = await source(wrong.client).load(request).catch((e: unknown) => e);
    expect((unauthorized as Error).message).toBe("Alpaca GET /v2/stocks/bars failed: HTTP 401: request is not authorized");

    expect(server.requests).toHaveLength(3);
    expect(sleeps).toEqual([]);
    expect(wrong.sleeps).toEqual([]);
    for (const error of [invalid, forbidden, unauthorized]) {
      const text = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ""}`;
      expect(text).not.toContain(server.secretKey);
      expect(text).not.toContain(wrongSecret);
      expect(text).not.toContain(server.keyId);
    }
  });
});

// ---- data errors -----------------------------------------------------------------------------

describe("data errors", () => {
  it("names a requested ticker that has no bars", async () => {
    const server = await startServer();
    const { client } = connect(server);
    const error = await source(client).load({ tickers: ["SPY", "NOPE", "NADA"], from: "2024-01-02", to: "2024-01-15" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).location).toEqual({ ticker: "NOPE" });
    expect((error as Error).message).toBe("NOPE: no daily bars from Alpaca (feed iex) from 2024-01-02 to 2024-01-15 (also missing: NADA)");
  });

  it("names ticker and date of a non-positive close or of two different bars on one date", async () => {
    const server = await startServer({
      bars: {
        BAD: [dailyBar("2024-01-04", 10), dailyBar("2024-01-05", 0)],
        TWICE: [dailyBar("2024-01-04", 10), dailyBar("2024-01-04", 11)],
      },
    });
    const { client } = connect(server);
    const bad = await source(client).load({ tickers: ["BAD"], from: "2024-01-02", to: "2024-01-15" }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(DataError);
    expect((bad as DataError).location).toEqual({ ticker: "BAD", date: "2024-01-05" });
    expect((bad as Error).message).toBe("BAD 2024-01-05: close 0 is not a positive price");

    const twice = await source(client).load({ tickers: ["TWICE"], from: "2024-01-02", to: "2024-01-15" }).catch((e: unknown) => e);
    expect((twice as DataError).location).toEqual({ ticker: "TWICE", date: "2024-01-04" });
  });
});

// ---- latest trades ---------------------------------------------------------------------------

describe("latest trades", () => {
  it("prices each symbol from its latest trade", async () => {
    const server = await startServer({
      latestTrades: { SPY: { t: "2024-01-16T14:59:58.123456789Z", x: "V", p: 471.25, s: 10, c: ["@"], i: 52983525029461, z: "B" } },
    });
    const { client } = connect(server);
    const prices = await source(client).fetchLatestTrades(["SPY", "QQQ"]);
    expect([...prices]).toEqual([
      ["SPY", { price: 471.25, time: "2024-01-16T14:59:58.123Z" }],
      // No explicit trade: the fake prices QQQ at its last close, 16:00 New York that day.
      ["QQQ", { price: 218, time: "2024-01-15T21:00:00.000Z" }],
    ]);
    expect(server.requestsTo("/v2/stocks/trades/latest").map((r) => r.query)).toEqual([{ symbols: "SPY,QQQ", feed: "iex" }]);

    const missing = await fetchLatestTrades(client, ["SPY", "NOPE"], { feed: "sip" }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(DataError);
    expect((missing as Error).message).toBe("NOPE: no latest trade from Alpaca (feed sip)");
  });
});

// ---- the fake's single-symbol endpoint through the SDK ---------------------------------------

describe("fake server wire format", () => {
  it("pages the single-symbol bars endpoint like the multi-symbol one", async () => {
    const server = await startServer();
    const { client } = connect(server);
    const start = new Date("2024-01-02T00:00:00Z");
    const first = await client.call((sdk) => sdk.marketData.stocks.stockBarSingle({ symbol: "TLT", timeframe: "1Day", start, limit: 6, adjustment: "all", feed: "iex" }));
    expect(first.symbol).toBe("TLT");
    expect(first.bars.map((b) => b.c)).toEqual(range(50, 6, -1));
    expect(first.nextPageToken).not.toBeNull();
    const second = await client.call((sdk) =>
      sdk.marketData.stocks.stockBarSingle({ symbol: "TLT", timeframe: "1Day", start, limit: 6, pageToken: first.nextPageToken! }),
    );
    expect(second.bars.map((b) => b.c)).toEqual(range(44, 4, -1));
    expect(second.nextPageToken).toBeNull();
    expect(server.requestsTo("/v2/stocks/TLT/bars").map((r) => r.query["adjustment"] ?? "raw")).toEqual(["all", "raw"]);
  });
});
