/**
 * SimBroker behaviour beyond the shared contract (test/broker/contract.test.ts): slippage,
 * the forward-only clock, starting holdings, deterministic ids, later rejections with their
 * reason, and the New York time helpers it computes market hours with.
 */
import { describe, expect, it } from "vitest";
import { SimBroker } from "../../src/trading/sim-broker.js";
import { newYorkInstant, newYorkTime, nyseClock, nyseSession } from "../../src/data/market-hours.js";

const NOON = "2024-07-03T16:00:00.000Z";

describe("SimBroker", () => {
  it("charges slippage: buys above and sells below the price", async () => {
    const broker = new SimBroker({ now: NOON, cash: 10_000, prices: { SPY: 500 }, slippageBps: 10 });
    expect((await broker.submitOrder({ clientOrderId: "b", symbol: "SPY", side: "buy", qty: 10 })).filledAvgPrice).toBeCloseTo(500.5, 9);
    expect((await broker.submitOrder({ clientOrderId: "s", symbol: "SPY", side: "sell", qty: 10 })).filledAvgPrice).toBeCloseTo(499.5, 9);
    expect((await broker.account()).cash).toBeCloseTo(10_000 - 5_005 + 4_995, 9);
  });

  it("starts from given holdings, values them for last equity, and numbers orders deterministically", async () => {
    const broker = new SimBroker({ now: NOON, cash: 1_000, positions: { SPY: 2 }, prices: { SPY: 500, QQQ: 400 } });
    expect(await broker.account()).toEqual({ equity: 2_000, cash: 1_000, buyingPower: 1_000, lastEquity: 2_000, tradingBlocked: false });
    await broker.submitOrder({ clientOrderId: "a", symbol: "QQQ", side: "buy", qty: 1 });
    await broker.submitOrder({ clientOrderId: "b", symbol: "SPY", side: "sell", qty: 2 });
    expect(broker.allOrders().map((o) => [o.id, o.clientOrderId, o.status])).toEqual([
      ["sim-000001", "a", "filled"],
      ["sim-000002", "b", "filled"],
    ]);
    expect(await broker.positions()).toEqual([{ symbol: "QQQ", qty: 1, marketValue: 400 }]);
  });

  it("keeps the reason of an order rejected after acceptance", async () => {
    const broker = new SimBroker({ now: NOON, prices: { SPY: 500 }, fills: "manual" });
    broker.rejectNext(undefined, "halted by the exchange", { later: true });
    expect(await broker.submitOrder({ clientOrderId: "x", symbol: "SPY", side: "buy", qty: 1 })).toMatchObject({ status: "new", reason: null });
    broker.fillPending();
    expect(await broker.orderByClientId("x")).toMatchObject({ status: "rejected", reason: "halted by the exchange", filledQty: 0 });
  });

  it("only lets the clock move forward and checks its inputs", () => {
    const broker = new SimBroker({ now: NOON, prices: { SPY: 500 } });
    expect(() => broker.setNow("2024-07-03T15:59:59.000Z")).toThrow(RangeError);
    expect(() => broker.setNow("not a time")).toThrow(/not an ISO-8601 instant/);
    expect(() => broker.setPrices({ SPY: 0 })).toThrow(/must be positive/);
    expect(() => broker.fillPending({ partial: 1.5 })).toThrow(/partial/);
    expect(() => new SimBroker({ now: "yesterday" })).toThrow(RangeError);
  });

  it("never touches the network or timers: everything resolves from memory", async () => {
    const broker = new SimBroker({ now: NOON, prices: { SPY: 500 } });
    const results = await Promise.all([broker.account(), broker.clock(), broker.calendar("2024-07-01", "2024-07-05"), broker.openOrders()]);
    expect(results).toHaveLength(4);
  });
});

describe("New York time helpers", () => {
  it("converts across daylight saving in both directions", () => {
    expect(newYorkTime(new Date("2024-03-10T06:59:00Z"))).toEqual({ date: "2024-03-10", time: "01:59", offsetMinutes: -300 });
    expect(newYorkTime(new Date("2024-03-10T07:00:00Z"))).toEqual({ date: "2024-03-10", time: "03:00", offsetMinutes: -240 });
    // 01:30 happens twice on the night clocks fall back: first in EDT, then in EST.
    expect(newYorkTime(new Date("2024-11-03T05:30:00Z"))).toEqual({ date: "2024-11-03", time: "01:30", offsetMinutes: -240 });
    expect(newYorkTime(new Date("2024-11-03T06:30:00Z"))).toEqual({ date: "2024-11-03", time: "01:30", offsetMinutes: -300 });
    expect(newYorkTime(new Date("2024-01-03T03:00:00Z"))).toEqual({ date: "2024-01-02", time: "22:00", offsetMinutes: -300 });
    expect(newYorkInstant("2024-03-08", "09:30").toISOString()).toBe("2024-03-08T14:30:00.000Z");
    expect(newYorkInstant("2024-03-11", "09:30").toISOString()).toBe("2024-03-11T13:30:00.000Z");
    expect(newYorkInstant("2024-11-04", "16:00").toISOString()).toBe("2024-11-04T21:00:00.000Z");
  });

  it("knows sessions, early closes and which session a day order belongs to", () => {
    expect(nyseSession("2024-07-03")).toEqual({ date: "2024-07-03", open: "09:30", close: "13:00" });
    expect(nyseSession("2024-07-04")).toBeUndefined();
    // Before the open on a session day, a day order lives in that day's session.
    expect(nyseClock(new Date("2024-07-03T12:00:00Z"))).toMatchObject({ isOpen: false, session: "2024-07-03" });
    // After the close, in the next one.
    expect(nyseClock(new Date("2024-07-03T17:00:00Z"))).toMatchObject({ isOpen: false, session: "2024-07-05" });
  });
});
