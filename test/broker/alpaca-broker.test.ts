/**
 * The Alpaca broker adapter beyond the shared contract: what goes on the wire, retries (GETs
 * yes, order submission never), lost responses, status mapping, error hygiene (no secret in
 * any message), paper by default, and the fake server's own clock and calendar routes.
 * Nothing leaves 127.0.0.1.
 */
import { describe, expect, it } from "vitest";
import { createAlpacaBroker, formatQty, mapOrderStatus, toBrokerError } from "../../src/adapters/alpaca/broker.js";
import { AlpacaRequestError, ALPACA_LIVE_URL, ALPACA_PAPER_URL, type FetchFunction } from "../../src/adapters/alpaca/client.js";
import { DataError } from "../../src/data/errors.js";
import { BrokerError, DuplicateOrderError } from "../../src/trading/broker-errors.js";
import { WORLD, closeServersAfterEach, connect, guardLoopback, rejection, startServer } from "./harness.js";

guardLoopback();
closeServersAfterEach();

const BUY_SPY = { clientOrderId: "run-1-SPY-0", symbol: "SPY", side: "buy" as const, qty: 10 };

async function setup(extra: Parameters<typeof connect>[1] = {}) {
  const server = await startServer();
  const harness = connect(server, extra);
  return { server, ...harness, broker: createAlpacaBroker({ client: harness.client }) };
}

describe("Alpaca broker: wire format", () => {
  it("posts a market day order with the client id and the quantity as a decimal string", async () => {
    const { server, broker } = await setup();
    await broker.submitOrder({ clientOrderId: "wire-1", symbol: "QQQ", side: "buy", qty: 0.1 + 0.2 });
    const [post] = server.requestsTo("/v2/orders").filter((r) => r.method === "POST");
    expect(post!.body).toEqual({ symbol: "QQQ", side: "buy", type: "market", time_in_force: "day", qty: "0.3", client_order_id: "wire-1" });
    expect(formatQty(10)).toBe("10");
    expect(formatQty(1e-7)).toBe("0.0000001");
    expect(formatQty(12.3456789012)).toBe("12.345678901");
  });

  it("asks for open orders, one calendar day either side, and assets one by one", async () => {
    const { server, broker } = await setup();
    await broker.openOrders();
    await broker.calendar("2024-07-01", "2024-07-05");
    await broker.assets(["SPY", "NOPE"]);
    await broker.clock();
    expect(server.requests.map((r) => [r.method, r.path, r.query])).toEqual([
      ["GET", "/v2/orders", { status: "open", limit: "500", direction: "asc" }],
      ["GET", "/v2/calendar", { start: "2024-06-30T12:00:00.000Z", end: "2024-07-06T12:00:00.000Z" }],
      ["GET", "/v2/assets/SPY", {}],
      ["GET", "/v2/assets/NOPE", {}],
      ["GET", "/v2/clock", {}],
    ]);
    expect(server.requests.every((r) => r.authorized)).toBe(true);
  });

  it("reports the broker's calendar, not Strat's rules: an unscheduled closure stays closed", async () => {
    const sessions = [
      { date: "2024-07-01", open: "09:30", close: "16:00" },
      { date: "2024-07-02", open: "09:30", close: "16:00" },
      { date: "2024-07-03", open: "09:30", close: "13:00" },
      // 2024-07-05 closed in this made-up calendar.
      { date: "2024-07-08", open: "09:30", close: "16:00" },
    ];
    const server = await startServer(WORLD, { calendar: sessions });
    const broker = createAlpacaBroker({ client: connect(server).client });
    expect(await broker.calendar("2024-07-01", "2024-07-08")).toEqual(sessions);
    server.setClock("2024-07-03T17:30:00.000Z");
    expect(await broker.clock()).toMatchObject({ isOpen: false, nextOpen: "2024-07-08T13:30:00.000Z", nextClose: "2024-07-08T20:00:00.000Z" });
  });

  it("serves /v3/clock from the same clock (what the SDK's clock() reads)", async () => {
    const { server, client } = await setup();
    const v3 = await client.call((sdk) => sdk.trading.clock.clock());
    expect(v3.clocks).toHaveLength(1);
    expect(v3.clocks[0]).toMatchObject({ isMarketDay: true, phase: "core", market: { acronym: "NYSE", timezone: "America/New_York" } });
    expect(v3.clocks[0]!.phaseUntil.toISOString()).toBe("2024-07-03T17:00:00.000Z");
    expect(v3.clocks[0]!.nextMarketOpen.toISOString()).toBe("2024-07-05T13:30:00.000Z");
    server.setClock("2024-07-03T17:30:00.000Z");
    const after = await client.call((sdk) => sdk.trading.clock.clock());
    expect(after.clocks[0]).toMatchObject({ phase: "post" });
    expect(after.clocks[0]!.phaseUntil.toISOString()).toBe("2024-07-03T21:00:00.000Z");
    // The legacy clock carries New York offsets on the wire.
    const raw = await globalThis.fetch(`${server.url}/v2/clock`, { headers: { "APCA-API-KEY-ID": server.keyId, "APCA-API-SECRET-KEY": server.secretKey } });
    expect(await raw.json()).toEqual({
      timestamp: "2024-07-03T13:30:00.000-04:00",
      is_open: false,
      next_open: "2024-07-05T09:30:00.000-04:00",
      next_close: "2024-07-05T16:00:00.000-04:00",
    });
  });
});

describe("Alpaca broker: retries and lost responses", () => {
  it("waits out a 429 with Retry-After on a GET and succeeds", async () => {
    const { server, broker, sleeps, retries } = await setup();
    server.inject({ status: 429, retryAfter: 2, path: "/v2/account" });
    expect(await broker.account()).toMatchObject({ equity: 100_000 });
    expect(sleeps).toEqual([2_000]);
    expect(retries).toEqual([{ method: "GET", path: "/v2/account", attempt: 1, delayMs: 2_000, status: 429, reason: "HTTP 429" }]);
    expect(server.requestsTo("/v2/account").map((r) => r.fault)).toEqual(["status 429", undefined]);
  });

  it("retries a 503 on the order lookup, which is safe to repeat", async () => {
    const { server, broker, sleeps } = await setup();
    await broker.submitOrder(BUY_SPY);
    server.inject({ status: 503, times: 2, path: "/v2/orders:by_client_order_id" });
    expect(await broker.orderByClientId(BUY_SPY.clientOrderId)).toMatchObject({ status: "filled" });
    expect(sleeps).toEqual([500, 1_000]);
  });

  it("never retries a 5xx on POST /v2/orders: a transient error, and the order found by client id afterwards", async () => {
    const { server, broker, sleeps } = await setup();
    // Alpaca placed the order, then the answer was lost as a 500.
    server.inject({ status: 500, path: "/v2/orders", method: "POST", serveFirst: true });
    const error = await rejection(broker.submitOrder(BUY_SPY));
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).not.toBeInstanceOf(DuplicateOrderError);
    expect(error).toMatchObject({ transient: true, status: 500 });
    expect(error.message).toBe("Alpaca POST /v2/orders failed: HTTP 500: internal server error");
    expect(server.requests.filter((r) => r.method === "POST")).toHaveLength(1);
    expect(sleeps).toEqual([]);

    // What the runner does next: look before resubmitting.
    expect(await broker.orderByClientId(BUY_SPY.clientOrderId)).toMatchObject({ status: "filled", filledQty: 10 });
    expect(await broker.positions()).toEqual([{ symbol: "SPY", qty: 10, marketValue: 5_000 }]);
    // And a blind resubmission could not double it.
    expect(await rejection(broker.submitOrder(BUY_SPY))).toBeInstanceOf(DuplicateOrderError);
    expect(server.state.orders).toHaveLength(1);
  });

  it("reports a 503 that placed nothing as transient too; the lookup then finds no order", async () => {
    const { server, broker } = await setup();
    server.inject({ status: 503, path: "/v2/orders", method: "POST" });
    expect(await rejection(broker.submitOrder(BUY_SPY))).toMatchObject({ transient: true, status: 503 });
    expect(await broker.orderByClientId(BUY_SPY.clientOrderId)).toBeNull();
    expect(server.requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("does not retry a POST whose connection dropped or timed out after the order was placed", async () => {
    const dropped = await setup();
    dropped.server.inject({ drop: true, path: "/v2/orders", method: "POST", serveFirst: true });
    const drop = await rejection(dropped.broker.submitOrder(BUY_SPY));
    expect(drop).toMatchObject({ transient: true, status: null });
    expect(drop.message).toMatch(/^Alpaca POST \/v2\/orders failed: no response: connection failed \(/);
    expect(await dropped.broker.orderByClientId(BUY_SPY.clientOrderId)).toMatchObject({ status: "filled" });

    const slow = await setup({ timeoutMs: 150 });
    slow.server.inject({ delayMs: 5_000, path: "/v2/orders", method: "POST", serveFirst: true });
    const timeout = await rejection(slow.broker.submitOrder(BUY_SPY));
    expect(timeout).toMatchObject({ transient: true, status: null });
    expect(timeout.message).toBe("Alpaca POST /v2/orders failed: no response: timeout after 150 ms");
    expect(slow.sleeps).toEqual([]);
    expect(await slow.broker.orderByClientId(BUY_SPY.clientOrderId)).toMatchObject({ status: "filled" });
    expect(slow.server.requests.filter((r) => r.method === "POST")).toHaveLength(1);
    expect(slow.server.state.orders).toHaveLength(1);
  });

  it("answers a served, merely slow POST with the order itself (the fake never serves twice)", async () => {
    const { server, broker } = await setup();
    server.inject({ delayMs: 50, path: "/v2/orders", method: "POST", serveFirst: true });
    expect(await broker.submitOrder(BUY_SPY)).toMatchObject({ clientOrderId: BUY_SPY.clientOrderId, status: "filled" });
    expect(server.state.orders).toHaveLength(1);
    expect(server.requests.map((r) => r.fault)).toEqual(["served, delay 50ms"]);
  });

  it("repeats a POST refused with 429 (Alpaca did not process it), placing one order", async () => {
    const { server, broker, sleeps } = await setup();
    server.inject({ status: 429, retryAfter: 1, path: "/v2/orders", method: "POST" });
    expect(await broker.submitOrder(BUY_SPY)).toMatchObject({ status: "filled" });
    expect(sleeps).toEqual([1_000]);
    expect(server.state.orders).toHaveLength(1);
  });
});

describe("Alpaca broker: mapping", () => {
  it("maps partial fills and Alpaca's rarer statuses to the port's", async () => {
    const { server, broker } = await setup();
    server.setFillMode("manual");
    await broker.submitOrder(BUY_SPY);
    server.fillPending({ partial: 0.3 });
    expect(await broker.orderByClientId(BUY_SPY.clientOrderId)).toMatchObject({ status: "partially_filled", filledQty: 3, filledAvgPrice: 500, qty: 10 });

    const stored = server.state.orders[0]!;
    const seen = async (status: string): Promise<string> => {
      stored.status = status;
      return (await broker.orderByClientId(BUY_SPY.clientOrderId))!.status;
    };
    expect(await seen("calculated")).toBe("done_for_day");
    expect(await seen("held")).toBe("partially_filled");
    expect(await seen("pending_replace")).toBe("partially_filled");
    expect(await seen("done_for_day")).toBe("done_for_day");

    expect(mapOrderStatus("calculated", 10, 10)).toBe("filled");
    expect(mapOrderStatus("accepted_for_bidding", 0, 10)).toBe("pending_new");
    expect(mapOrderStatus("stopped", 0, 10)).toBe("new");
    expect(mapOrderStatus("suspended", 0, 10)).toBe("accepted");
    expect(mapOrderStatus("held", 0, 10)).toBe("accepted");
    expect(mapOrderStatus("something_new", 0, 10)).toBe("accepted");
    expect(mapOrderStatus("replaced", 0, 10)).toBe("replaced");
  });

  it("surfaces a rejection at submission with Alpaca's reason and status, and no order", async () => {
    const { server, broker } = await setup();
    server.rejectNext("SPY", "insufficient day trading buying power");
    const error = await rejection(broker.submitOrder(BUY_SPY));
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).toMatchObject({ transient: false, status: 403 });
    expect(error.message).toBe("Alpaca POST /v2/orders failed: HTTP 403: insufficient day trading buying power");
    expect(await broker.orderByClientId(BUY_SPY.clientOrderId)).toBeNull();
  });

  it("tells a duplicate client id from other 422s", async () => {
    const { server, broker } = await setup();
    server.inject({ status: 422, path: "/v2/orders", method: "POST", body: { code: 40010001, message: "qty must be > 0" } });
    const other = await rejection(broker.submitOrder(BUY_SPY));
    expect(other).toBeInstanceOf(BrokerError);
    expect(other).not.toBeInstanceOf(DuplicateOrderError);
    expect(other).toMatchObject({ status: 422, transient: false });
    server.inject({ status: 422, path: "/v2/orders", method: "POST", body: { code: 40010001, message: "client_order_id must be unique" } });
    expect(await rejection(broker.submitOrder(BUY_SPY))).toBeInstanceOf(DuplicateOrderError);
  });

  it("counts the account blocked when Alpaca blocks it or it is not ACTIVE", async () => {
    const { server, broker } = await setup();
    server.state.account.status = "ACCOUNT_UPDATED";
    expect((await broker.account()).tradingBlocked).toBe(true);
    server.state.account.status = "ACTIVE";
    server.state.account.accountBlocked = true;
    expect((await broker.account()).tradingBlocked).toBe(true);
  });

  it("treats an inactive asset as not tradable", async () => {
    const server = await startServer(WORLD, { assets: { OLD: { status: "inactive", tradable: true } } });
    const broker = createAlpacaBroker({ client: connect(server).client });
    expect((await broker.assets(["OLD"])).get("OLD")).toEqual({ symbol: "OLD", tradable: false, fractionable: true });
  });

  it("leaves symbols without a usable trade out of latestTrades, asking again for the rest", async () => {
    const { server, broker } = await setup();
    server.state.latestTrades.set("ZERO", { t: "2024-07-03T16:00:00Z", x: "V", p: 0, s: 1, c: [], i: 1, z: "C" });
    const trades = await broker.latestTrades(["SPY", "NOPE", "ZERO", "QQQ"]);
    expect([...trades]).toEqual([
      ["SPY", { price: 500, time: "2024-07-03T16:00:00.000Z" }],
      ["QQQ", { price: 400, time: "2024-07-03T16:00:00.000Z" }],
    ]);
    expect(server.requestsTo("/v2/stocks/trades/latest").map((r) => r.query["symbols"])).toEqual(["SPY,NOPE,ZERO,QQQ", "SPY,ZERO,QQQ", "SPY,QQQ"]);
  });

  it("turns data and request failures into BrokerErrors, keeping the cause", () => {
    const data = toBrokerError(new DataError("no latest trade from Alpaca (feed iex)", { ticker: "NOPE" }));
    expect(data).toMatchObject({ transient: false, status: null, message: "Alpaca: NOPE: no latest trade from Alpaca (feed iex)" });
    expect(data.cause).toBeInstanceOf(DataError);
    const http = toBrokerError(new AlpacaRequestError({ method: "GET", path: "/v2/account", status: 502, reason: "bad gateway", attempts: 5 }));
    expect(http).toMatchObject({ transient: true, status: 502 });
    const refused = toBrokerError(new AlpacaRequestError({ method: "GET", path: "/v2/account", reason: "refusing", attempts: 0, transient: false }));
    expect(refused).toMatchObject({ transient: false, status: null });
  });
});

describe("Alpaca broker: secrets and environments", () => {
  it("never puts the keys in an error message", async () => {
    const { server, broker } = await setup();
    const errors: unknown[] = [];
    server.inject({ status: 403, path: "/v2/account", body: { code: 40310000, message: `forbidden for ${server.secretKey} / ${server.keyId}` } });
    errors.push(await rejection(broker.account()));
    server.rejectNext(undefined, `wash trade (${server.secretKey})`);
    errors.push(await rejection(broker.submitOrder(BUY_SPY)));
    server.inject({ status: 500, path: "/v2/orders", method: "POST", body: { message: server.secretKey } });
    errors.push(await rejection(broker.submitOrder({ ...BUY_SPY, clientOrderId: "x-2" })));
    server.inject({ status: 400, path: "/v2/stocks/trades/latest", body: { message: `bad key ${server.keyId}` } });
    errors.push(await rejection(broker.latestTrades(["SPY"])));

    // Wrong keys: a 401, reported without them.
    const wrongSecret = "wrong-secret-key-0000000000000000";
    const wrong = createAlpacaBroker({ client: connect(server, { secretKey: wrongSecret }).client });
    const unauthorized = await rejection(wrong.account());
    expect(unauthorized.message).toBe("Alpaca GET /v2/account failed: HTTP 401: request is not authorized");
    errors.push(unauthorized);

    // A broker built from keys, whose host refuses connections (still 127.0.0.1).
    const fromKeys = createAlpacaBroker({
      keyId: server.keyId,
      secretKey: server.secretKey,
      baseUrl: "http://127.0.0.1:9",
      dataUrl: "http://127.0.0.1:9",
      env: {},
      rateLimit: false,
      maxAttempts: 1,
    });
    const unreachable = await rejection(fromKeys.clock());
    expect(unreachable).toMatchObject({ transient: true, status: null });
    errors.push(unreachable);

    expect(errors).toHaveLength(6);
    for (const error of errors) {
      expect(error).toBeInstanceOf(BrokerError);
      const cause = (error as Error).cause;
      const text = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ""} ${String(cause)} ${JSON.stringify(cause)}`;
      for (const secret of [server.secretKey, server.keyId, wrongSecret]) expect(text).not.toContain(secret);
    }
    expect((errors[0] as Error).message).toBe("Alpaca GET /v2/account failed: HTTP 403: forbidden for [redacted] / [redacted]");
  });

  it("trades paper unless paper: false is passed", async () => {
    const seen: string[] = [];
    const stub: FetchFunction = async (url) => {
      seen.push(url);
      const body = { timestamp: "2024-07-03T12:00:00-04:00", is_open: true, next_open: "2024-07-05T09:30:00-04:00", next_close: "2024-07-03T13:00:00-04:00" };
      return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
    };
    const keys = { keyId: "AKPAPERDEFAULT000000", secretKey: "paper-default-secret-00000000", rateLimit: false as const, fetch: stub, env: {} };
    const byDefault = createAlpacaBroker(keys);
    const undefinedPaper = createAlpacaBroker({ ...keys, paper: undefined });
    const live = createAlpacaBroker({ ...keys, paper: false });
    expect([byDefault.paper, undefinedPaper.paper, live.paper]).toEqual([true, true, false]);
    expect(byDefault.name).toBe("alpaca");
    expect(await byDefault.clock()).toEqual({
      timestamp: "2024-07-03T16:00:00.000Z",
      isOpen: true,
      nextOpen: "2024-07-05T13:30:00.000Z",
      nextClose: "2024-07-03T17:00:00.000Z",
    });
    await undefinedPaper.clock();
    await live.clock();
    expect(seen).toEqual([`${ALPACA_PAPER_URL}/v2/clock`, `${ALPACA_PAPER_URL}/v2/clock`, `${ALPACA_LIVE_URL}/v2/clock`]);
  });
});
