/**
 * One Broker contract, run against the SimBroker and against the Alpaca adapter talking to
 * the fake Alpaca server. What the live runner relies on — account fields, the market clock
 * and calendar (early closes, holidays, daylight saving), assets, fills and positions,
 * duplicate client ids, cancels, day-order expiry, refusals, latest trades — must hold for
 * both, so dry runs and parity tests on the SimBroker predict what the Alpaca broker does.
 */
import { describe, expect, it } from "vitest";
import { sessionsBetween, earlyClose } from "../../src/data/nyse-calendar.js";
import { type BrokerOrder } from "../../src/ports/broker.js";
import { BrokerError, DuplicateOrderError } from "../../src/trading/broker-errors.js";
import { WORLD, alpacaFactory, closeServersAfterEach, guardLoopback, rejection, simFactory, type BrokerFactory } from "./harness.js";

guardLoopback();
closeServersAfterEach();

/** Instants used below: July 2024 is daylight time, New York = UTC−4. */
const NY_1200 = "2024-07-03T16:00:00.000Z";
const NY_1300 = "2024-07-03T17:00:00.000Z"; // the early close of July 3
const NY_1330 = "2024-07-03T17:30:00.000Z";
const JULY_4_NOON = "2024-07-04T16:00:00.000Z";
const JULY_5_OPEN = "2024-07-05T13:30:00.000Z";
const JULY_5_CLOSE = "2024-07-05T20:00:00.000Z";

function order(clientOrderId: string, symbol: string, side: "buy" | "sell", qty: number) {
  return { clientOrderId, symbol, side, qty };
}

function expectRefusal(error: Error, status: number | null, message?: RegExp): void {
  expect(error).toBeInstanceOf(BrokerError);
  expect((error as BrokerError).transient).toBe(false);
  if (status !== null) expect((error as BrokerError).status).toBe(status);
  if (message !== undefined) expect(error.message).toMatch(message);
}

/** The Broker contract, for any factory. */
function brokerContract(label: string, factory: BrokerFactory): void {
  describe(`Broker contract: ${label}`, () => {
    it("reports the account", async () => {
      const { broker } = await factory();
      expect(await broker.account()).toEqual({ equity: 100_000, cash: 100_000, buyingPower: 100_000, lastEquity: 100_000, tradingBlocked: false });
    });

    it("reports trading blocked and refuses orders then", async () => {
      const { broker, controls } = await factory();
      controls.setTradingBlocked(true);
      expect((await broker.account()).tradingBlocked).toBe(true);
      expectRefusal(await rejection(broker.submitOrder(order("blocked-1", "SPY", "buy", 1))), 403, /blocked/);
      expect(await broker.orderByClientId("blocked-1")).toBeNull();
    });

    it("tells open from closed: midday, the early close, after it, the holiday, the next open", async () => {
      const { broker, controls } = await factory();
      expect(await broker.clock()).toEqual({ timestamp: NY_1200, isOpen: true, nextOpen: JULY_5_OPEN, nextClose: NY_1300 });
      controls.setNow(NY_1300);
      expect(await broker.clock()).toEqual({ timestamp: NY_1300, isOpen: false, nextOpen: JULY_5_OPEN, nextClose: JULY_5_CLOSE });
      controls.setNow(NY_1330);
      expect(await broker.clock()).toEqual({ timestamp: NY_1330, isOpen: false, nextOpen: JULY_5_OPEN, nextClose: JULY_5_CLOSE });
      controls.setNow(JULY_4_NOON);
      expect(await broker.clock()).toEqual({ timestamp: JULY_4_NOON, isOpen: false, nextOpen: JULY_5_OPEN, nextClose: JULY_5_CLOSE });
      controls.setNow(JULY_5_OPEN);
      expect(await broker.clock()).toEqual({ timestamp: JULY_5_OPEN, isOpen: true, nextOpen: "2024-07-08T13:30:00.000Z", nextClose: JULY_5_CLOSE });
    });

    it("keeps New York hours across the winter and the daylight-saving change", async () => {
      const { broker, controls } = await factory({ ...WORLD, now: "2024-01-02T14:29:00.000Z" });
      // January: New York = UTC−5; January 1 was a holiday, the 2nd a session.
      expect(await broker.clock()).toEqual({ timestamp: "2024-01-02T14:29:00.000Z", isOpen: false, nextOpen: "2024-01-02T14:30:00.000Z", nextClose: "2024-01-02T21:00:00.000Z" });
      controls.setNow("2024-01-02T14:30:00.000Z");
      expect(await broker.clock()).toMatchObject({ isOpen: true, nextOpen: "2024-01-03T14:30:00.000Z", nextClose: "2024-01-02T21:00:00.000Z" });
      // Friday March 8 after the close (EST); clocks go forward on Sunday the 10th.
      controls.setNow("2024-03-08T21:00:00.000Z");
      expect(await broker.clock()).toMatchObject({ isOpen: false, nextOpen: "2024-03-11T13:30:00.000Z", nextClose: "2024-03-11T20:00:00.000Z" });
    });

    it("lists the NYSE sessions between two dates, with early closes", async () => {
      const { broker } = await factory();
      const july = await broker.calendar("2024-06-28", "2024-07-09");
      expect(july).toEqual([
        { date: "2024-06-28", open: "09:30", close: "16:00" },
        { date: "2024-07-01", open: "09:30", close: "16:00" },
        { date: "2024-07-02", open: "09:30", close: "16:00" },
        { date: "2024-07-03", open: "09:30", close: "13:00" },
        { date: "2024-07-05", open: "09:30", close: "16:00" },
        { date: "2024-07-08", open: "09:30", close: "16:00" },
        { date: "2024-07-09", open: "09:30", close: "16:00" },
      ]);
      const autumn = await broker.calendar("2024-11-25", "2024-12-31");
      expect(autumn.map((s) => s.date)).toEqual(sessionsBetween("2024-11-25", "2024-12-31"));
      expect(autumn.filter((s) => s.close !== "16:00")).toEqual([
        { date: "2024-11-29", open: "09:30", close: "13:00" },
        { date: "2024-12-24", open: "09:30", close: "13:00" },
      ]);
      expect(autumn.map((s) => s.close === "13:00")).toEqual(autumn.map((s) => earlyClose(s.date)));
      expect(autumn.some((s) => s.date === "2024-11-28" || s.date === "2024-12-25")).toBe(false);
      expect(await broker.calendar("2024-07-04", "2024-07-04")).toEqual([]);
      expect(await broker.calendar("2024-07-09", "2024-07-01")).toEqual([]);
      expectRefusal(await rejection(broker.calendar("2024-07-01", "July 9")), null);
    });

    it("reports tradable and fractionable flags, and leaves unknown symbols out", async () => {
      const { broker } = await factory();
      const assets = await broker.assets(["SPY", "WHOLE", "HALT", "NOPE", "SPY"]);
      expect([...assets]).toEqual([
        ["SPY", { symbol: "SPY", tradable: true, fractionable: true }],
        ["WHOLE", { symbol: "WHOLE", tradable: true, fractionable: false }],
        ["HALT", { symbol: "HALT", tradable: false, fractionable: true }],
      ]);
    });

    it("fills a market order, finds it by client id and moves positions and cash by the filled quantity", async () => {
      const { broker, controls } = await factory();
      const placed = await broker.submitOrder(order("buy-spy", "SPY", "buy", 10));
      expect(placed).toEqual({
        id: expect.any(String),
        clientOrderId: "buy-spy",
        symbol: "SPY",
        side: "buy",
        qty: 10,
        filledQty: 10,
        filledAvgPrice: 500,
        status: "filled",
        submittedAt: NY_1200,
        reason: null,
      } satisfies Record<keyof BrokerOrder, unknown>);
      expect(placed.id).not.toBe("");
      expect(await broker.orderByClientId("buy-spy")).toEqual(placed);
      expect(await broker.positions()).toEqual([{ symbol: "SPY", qty: 10, marketValue: 5_000 }]);
      expect(await broker.account()).toMatchObject({ cash: 95_000, equity: 100_000, buyingPower: 95_000 });

      await broker.submitOrder(order("buy-qqq", "QQQ", "buy", 0.25));
      await broker.submitOrder(order("sell-spy", "SPY", "sell", 4));
      expect(await broker.positions()).toEqual([
        { symbol: "QQQ", qty: 0.25, marketValue: 100 },
        { symbol: "SPY", qty: 6, marketValue: 3_000 },
      ]);
      await broker.submitOrder(order("sell-qqq", "QQQ", "sell", 0.25));
      controls.setPrices({ SPY: 510 });
      expect(await broker.positions()).toEqual([{ symbol: "SPY", qty: 6, marketValue: 3_060 }]);
      expect(await broker.account()).toMatchObject({ cash: 97_000, equity: 100_060 });
      expect(await broker.openOrders()).toEqual([]);
    });

    it("keeps fractional quantities to 9 decimals", async () => {
      const { broker } = await factory();
      const placed = await broker.submitOrder(order("frac", "QQQ", "buy", 0.1 + 0.2));
      expect(placed).toMatchObject({ qty: 0.3, filledQty: 0.3, status: "filled" });
      expect(await broker.positions()).toEqual([{ symbol: "QQQ", qty: 0.3, marketValue: expect.closeTo(120, 9) }]);
    });

    it("refuses a duplicate client order id without a second order or position change", async () => {
      const { broker } = await factory();
      const first = await broker.submitOrder(order("dup", "SPY", "buy", 10));
      const error = await rejection(broker.submitOrder(order("dup", "QQQ", "buy", 5)));
      expect(error).toBeInstanceOf(DuplicateOrderError);
      expect(error).toBeInstanceOf(BrokerError);
      expect(error).toMatchObject({ clientOrderId: "dup", transient: false, status: 422 });
      expect(await broker.orderByClientId("dup")).toEqual(first);
      expect(await broker.positions()).toEqual([{ symbol: "SPY", qty: 10, marketValue: 5_000 }]);
      expect(await broker.account()).toMatchObject({ cash: 95_000 });
    });

    it("answers null for a client id it has never seen", async () => {
      const { broker } = await factory();
      expect(await broker.orderByClientId("never-sent")).toBeNull();
    });

    it("fills waiting orders in parts and reports partially_filled, then filled at the average price", async () => {
      const { broker, controls } = await factory();
      controls.setFillMode("manual");
      const placed = await broker.submitOrder(order("later", "SPY", "buy", 10));
      expect(placed).toMatchObject({ status: "new", filledQty: 0, filledAvgPrice: null });
      expect(await broker.openOrders()).toEqual([placed]);
      expect(await broker.positions()).toEqual([]);
      expect(await broker.account()).toMatchObject({ cash: 100_000, buyingPower: 95_000 });

      controls.fillPending({ partial: 0.4 });
      expect(await broker.orderByClientId("later")).toMatchObject({ status: "partially_filled", filledQty: 4, filledAvgPrice: 500 });
      expect(await broker.positions()).toEqual([{ symbol: "SPY", qty: 4, marketValue: 2_000 }]);
      expect(await broker.openOrders()).toHaveLength(1);

      controls.setPrices({ SPY: 520 });
      controls.fillPending();
      expect(await broker.orderByClientId("later")).toMatchObject({ status: "filled", filledQty: 10, filledAvgPrice: 512 });
      expect(await broker.positions()).toEqual([{ symbol: "SPY", qty: 10, marketValue: 5_200 }]);
      expect(await broker.account()).toMatchObject({ cash: 94_880 });
      expect(await broker.openOrders()).toEqual([]);
    });

    it("cancels an open order, keeping what already filled; a final or unknown order cannot be canceled", async () => {
      const { broker, controls } = await factory();
      controls.setFillMode("manual");
      const whole = await broker.submitOrder(order("cancel-me", "SPY", "buy", 10));
      const part = await broker.submitOrder(order("cancel-part", "QQQ", "buy", 10));
      controls.fillPending({ partial: 0.5, symbol: "QQQ" });
      expect((await broker.openOrders()).map((o) => o.clientOrderId)).toEqual(["cancel-me", "cancel-part"]);

      await broker.cancelOrder(whole.id);
      await broker.cancelOrder(part.id);
      expect(await broker.orderByClientId("cancel-me")).toMatchObject({ status: "canceled", filledQty: 0 });
      expect(await broker.orderByClientId("cancel-part")).toMatchObject({ status: "canceled", filledQty: 5, filledAvgPrice: 400 });
      expect(await broker.openOrders()).toEqual([]);
      expect(await broker.positions()).toEqual([{ symbol: "QQQ", qty: 5, marketValue: 2_000 }]);

      expectRefusal(await rejection(broker.cancelOrder(whole.id)), 422);
      expectRefusal(await rejection(broker.cancelOrder("no-such-order")), 404);
    });

    it("queues an order sent while closed and fills it at the next open at that price", async () => {
      const { broker, controls } = await factory();
      controls.setNow(NY_1330);
      const placed = await broker.submitOrder(order("overnight", "SPY", "buy", 2));
      expect(placed).toMatchObject({ status: "accepted", filledQty: 0, submittedAt: NY_1330 });
      expect(await broker.openOrders()).toEqual([placed]);
      controls.setNow(JULY_4_NOON);
      expect(await broker.orderByClientId("overnight")).toMatchObject({ status: "accepted" });
      controls.setPrices({ SPY: 505 });
      controls.setNow("2024-07-05T13:31:00.000Z");
      expect(await broker.orderByClientId("overnight")).toMatchObject({ status: "filled", filledQty: 2, filledAvgPrice: 505 });
      expect(await broker.positions()).toEqual([{ symbol: "SPY", qty: 2, marketValue: 1_010 }]);
    });

    it("expires an unfilled day order at its session's close and rolls last equity there", async () => {
      const { broker, controls } = await factory();
      await broker.submitOrder(order("held", "SPY", "buy", 10));
      controls.setFillMode("manual");
      await broker.submitOrder(order("unfilled", "QQQ", "buy", 1));
      controls.setPrices({ SPY: 510 });
      controls.setNow(NY_1300);
      expect(await broker.orderByClientId("unfilled")).toMatchObject({ status: "expired", filledQty: 0 });
      expect(await broker.openOrders()).toEqual([]);
      expect(await broker.account()).toMatchObject({ cash: 95_000, equity: 100_100, lastEquity: 100_100 });
    });

    it("refuses orders while closed when told to, and records nothing", async () => {
      const { broker, controls } = await factory();
      controls.setRejectWhenClosed(true);
      controls.setNow(JULY_4_NOON);
      expectRefusal(await rejection(broker.submitOrder(order("holiday", "SPY", "buy", 1))), 403, /market is closed/);
      expect(await broker.orderByClientId("holiday")).toBeNull();
    });

    it("refuses the next order with the broker's reason, once, for the chosen symbol", async () => {
      const { broker, controls } = await factory();
      controls.rejectNext("QQQ", "potential wash trade detected");
      expect(await broker.submitOrder(order("spy-ok", "SPY", "buy", 1))).toMatchObject({ status: "filled" });
      expectRefusal(await rejection(broker.submitOrder(order("qqq-no", "QQQ", "buy", 1))), 403, /potential wash trade detected/);
      expect(await broker.orderByClientId("qqq-no")).toBeNull();
      expect(await broker.positions()).toEqual([{ symbol: "SPY", qty: 1, marketValue: 500 }]);
      expect(await broker.submitOrder(order("qqq-ok", "QQQ", "buy", 1))).toMatchObject({ status: "filled" });

      controls.rejectNext(undefined, "account restricted for the day");
      expectRefusal(await rejection(broker.submitOrder(order("any-no", "SPY", "sell", 1))), 403, /account restricted for the day/);
    });

    it("reports an order rejected after acceptance as rejected, with nothing filled", async () => {
      const { broker, controls, reportsRejectReason } = await factory();
      controls.rejectNext("SPY", "exchange rejected the order", { later: true });
      const placed = await broker.submitOrder(order("late-no", "SPY", "buy", 3));
      expect(placed).toMatchObject({ status: "rejected", filledQty: 0, filledAvgPrice: null });
      expect((await broker.orderByClientId("late-no"))?.reason).toBe(reportsRejectReason ? "exchange rejected the order" : null);
      expect(await broker.positions()).toEqual([]);
      expect(await broker.account()).toMatchObject({ cash: 100_000 });
    });

    it("refuses what the account or the asset cannot do, without transient errors", async () => {
      const { broker } = await factory();
      expectRefusal(await rejection(broker.submitOrder(order("too-big", "SPY", "buy", 201))), 403, /insufficient buying power/);
      expectRefusal(await rejection(broker.submitOrder(order("short", "SPY", "sell", 1))), 403, /insufficient qty/);
      expectRefusal(await rejection(broker.submitOrder(order("frac-whole", "WHOLE", "buy", 1.5))), 422, /not fractionable/);
      expectRefusal(await rejection(broker.submitOrder(order("halted", "HALT", "buy", 1))), 422, /not tradable/);
      expectRefusal(await rejection(broker.submitOrder(order("unknown", "NOPE", "buy", 1))), 422, /not found/);
      expectRefusal(await rejection(broker.submitOrder(order("zero", "SPY", "buy", 0))), null);
      expectRefusal(await rejection(broker.submitOrder(order("", "SPY", "buy", 1))), null);
      expect(await broker.submitOrder(order("whole-ok", "WHOLE", "buy", 2))).toMatchObject({ status: "filled", filledQty: 2 });
      for (const id of ["too-big", "short", "frac-whole", "halted", "unknown", "zero"]) expect(await broker.orderByClientId(id)).toBeNull();
      expect(await broker.positions()).toEqual([{ symbol: "WHOLE", qty: 2, marketValue: 100 }]);
    });

    it("holds back shares of open sells and cash of open buys", async () => {
      const { broker, controls } = await factory();
      await broker.submitOrder(order("own", "SPY", "buy", 10));
      controls.setFillMode("manual");
      await broker.submitOrder(order("sell-6", "SPY", "sell", 6));
      expectRefusal(await rejection(broker.submitOrder(order("sell-5", "SPY", "sell", 5))), 403, /insufficient qty/);
      await broker.submitOrder(order("buy-200", "QQQ", "buy", 200));
      expect((await broker.account()).buyingPower).toBe(15_000);
      expectRefusal(await rejection(broker.submitOrder(order("buy-more", "QQQ", "buy", 40))), 403, /insufficient buying power/);
    });

    it("prices symbols by their latest trade", async () => {
      const { broker, controls } = await factory();
      expect([...(await broker.latestTrades(["SPY", "QQQ"]))]).toEqual([
        ["SPY", { price: 500, time: NY_1200 }],
        ["QQQ", { price: 400, time: NY_1200 }],
      ]);
      controls.setNow(NY_1300);
      controls.setPrices({ SPY: 501.25 });
      expect((await broker.latestTrades(["SPY"])).get("SPY")).toEqual({ price: 501.25, time: NY_1300 });
      // No trade, no entry: the runner refuses to trade a symbol it cannot price.
      expect([...(await broker.latestTrades(["NOPE", "SPY", "NADA", "QQQ"]))].map(([s]) => s)).toEqual(["SPY", "QQQ"]);
      expect((await broker.latestTrades([])).size).toBe(0);
    });
  });
}

brokerContract("SimBroker", simFactory);
brokerContract("Alpaca adapter on the fake Alpaca server", alpacaFactory);
