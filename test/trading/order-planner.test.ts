/** The shared order planner: exact orders for hand-made accounts. */
import { describe, expect, it } from "vitest";
import { planOrders } from "../../src/trading/order-planner.js";

const m = <T>(entries: [string, T][]): Map<string, T> => new Map(entries);

describe("planOrders", () => {
  it("buys a fresh account into its targets, fractional shares floored to 1e-6", () => {
    const plan = planOrders({ targets: m([["SPY", 0.6], ["TLT", 0.4]]), holdings: m([]), cash: 10_000, prices: m([["SPY", 300], ["TLT", 90]]) });
    expect(plan.equity).toBe(10_000);
    expect(plan.orders).toEqual([
      { symbol: "SPY", side: "buy", qty: 20, notional: 6000 },
      { symbol: "TLT", side: "buy", qty: 44.444444, notional: 44.444444 * 90 },
    ]);
    expect(plan.skipped).toEqual([]);
  });

  it("puts sells before buys and closes exited positions exactly", () => {
    const plan = planOrders({ targets: m([["QQQ", 1]]), holdings: m([["SPY", 10.123456789], ["QQQ", 1]]), cash: 0, prices: m([["SPY", 100], ["QQQ", 200]]) });
    expect(plan.orders.map((o) => [o.symbol, o.side, o.qty])).toEqual([
      ["SPY", "sell", 10.123456789],
      ["QQQ", "buy", 5.061728],
    ]);
  });

  it("skips trades below the minimum notional and reports them", () => {
    const plan = planOrders({ targets: m([["SPY", 0.5], ["TLT", 0.5]]), holdings: m([["SPY", 50.004], ["TLT", 50]]), cash: 0, prices: m([["SPY", 100], ["TLT", 100]]), minNotional: 1 });
    // Equity 10,000.40: SPY is 0.20 above its target, TLT 0.20 below: both below $1.
    expect(plan.orders).toEqual([]);
    expect(plan.skipped.map((s) => [s.symbol, s.side, Number(s.notional.toFixed(6))])).toEqual([
      ["SPY", "sell", 0.2],
      ["TLT", "buy", 0.2],
    ]);
  });

  it("scales buys down so costs never exceed the cash", () => {
    const plan = planOrders({ targets: m([["SPY", 1]]), holdings: m([]), cash: 1000, prices: m([["SPY", 100]]), buyCostRate: 0.01 });
    const cost = plan.orders.reduce((sum, o) => sum + o.notional * 1.01, 0);
    expect(plan.orders.map((o) => o.qty)).toEqual([9.90099]);
    expect(cost).toBeLessThanOrEqual(1000);
  });

  it("trades whole shares for symbols that require them", () => {
    const plan = planOrders({ targets: m([["BRK.A", 1]]), holdings: m([]), cash: 1_000_000, prices: m([["BRK.A", 600_000]]), wholeShares: new Set(["BRK.A"]) });
    expect(plan.orders).toEqual([{ symbol: "BRK.A", side: "buy", qty: 1, notional: 600_000 }]);
    const none = planOrders({ targets: m([["BRK.A", 1]]), holdings: m([]), cash: 500_000, prices: m([["BRK.A", 600_000]]), wholeShares: new Set(["BRK.A"]) });
    expect(none.orders).toEqual([]);
    expect(none.skipped).toEqual([{ symbol: "BRK.A", side: "buy", notional: 500_000, reason: "less than one tradable unit" }]);
  });

  it("goes to cash on an empty target", () => {
    const plan = planOrders({ targets: m([]), holdings: m([["SPY", 3]]), cash: 5, prices: m([["SPY", 100]]) });
    expect(plan.orders).toEqual([{ symbol: "SPY", side: "sell", qty: 3, notional: 300 }]);
  });

  it("refuses to plan without a price", () => {
    expect(() => planOrders({ targets: m([["SPY", 1]]), holdings: m([]), cash: 5, prices: m([]) })).toThrow("no usable price for SPY");
  });
});
