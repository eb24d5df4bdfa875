/** The simulated account: trade timing by rebalance rule, fills with slippage and fees, cash. */
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/backtest/simulate.js";
import { market, run } from "../helpers/market.js";

const n = 45;
// A rises 1% a session, B falls 1%: a 50/50 mix drifts away from its target every day.
const m = market({
  A: Array.from({ length: n }, (_, i) => 100 * 1.01 ** i),
  B: Array.from({ length: n }, (_, i) => 100 * 0.99 ** i),
});
const options = { capital: 10_000, slippageBps: 0, fees: "none" as const, minNotional: 1 };

function tradeDates(source: string, opts = options): string[] {
  const sim = simulate(run(source, m), m, opts);
  return [...new Set(sim.fills.map((f) => f.date))];
}

describe("simulate", () => {
  it("rebalances monthly on the first session of each month", () => {
    expect(tradeDates('strategy "s" { rebalance monthly\n weighted { 50% A, 50% B } }')).toEqual(["2024-01-02", "2024-02-01", "2024-03-01"]);
  });

  it("rebalances a threshold corridor only when a weight drifts past it", () => {
    const dates = tradeDates('strategy "s" { rebalance threshold 5%\n weighted { 50% A, 50% B } }');
    // k sessions after a rebalance A's weight is 1 / (1 + (0.99/1.01)^k): above 55% from k = 11.
    expect(dates.slice(0, 3)).toEqual(["2024-01-02", "2024-01-17", "2024-02-01"]);
  });

  it("rebalances daily every session", () => {
    expect(tradeDates('strategy "s" { weighted { 50% A, 50% B } }')).toHaveLength(n);
  });

  it("charges slippage against the trader and regulatory fees on sells", () => {
    const sim = simulate(run('strategy "s" { rebalance monthly\n weighted { 50% A, 50% B } }', m), m, { ...options, slippageBps: 10, fees: "regulatory" });
    const first = sim.fills.filter((f) => f.date === "2024-01-02");
    expect(first.map((f) => [f.symbol, f.side, f.price])).toEqual([
      ["A", "buy", 100.1],
      ["B", "buy", 100.1],
    ]);
    const sells = sim.fills.filter((f) => f.side === "sell");
    expect(sells.length).toBeGreaterThan(0);
    for (const s of sells) {
      expect(s.price).toBeCloseTo(m.close.get(s.symbol)![m.dates.indexOf(s.date)]! * 0.999, 10);
      expect(s.fees).toBeGreaterThanOrEqual(0.01);
    }
    expect(sim.feesPaid).toBeCloseTo(sells.reduce((t, s) => t + s.fees, 0), 12);
    // Cash never goes negative: equity equals holdings plus cash ≥ 0 each day.
    expect(Array.from(sim.equity).every((v) => v > 0)).toBe(true);
  });

  it("holds cash on sessions whose target is empty and says so", () => {
    const sim = simulate(run('strategy "s" { if price(A) < 110 { A } }', m), m, options);
    expect(sim.emptyTargets[0]).toBe(m.dates[10]);
    expect(sim.weights[10]!.size).toBe(0);
    expect(sim.equity[20]).toBeCloseTo(sim.equity[10]!, 9);
  });
});
