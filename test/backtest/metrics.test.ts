/** Metrics on hand-made equity curves, computed by hand. */
import { describe, expect, it } from "vitest";
import { computeMetrics } from "../../src/backtest/metrics.js";

const dates = ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08"];

describe("computeMetrics", () => {
  const equity = Float64Array.from([100, 110, 99, 108.9, 108.9]);
  const m = computeMetrics({ dates, equity, tradedNotional: 400, trades: 4, feesPaid: 0.5, slippagePaid: 0.04, benchmark: { ticker: "SPY", close: Float64Array.from([50, 55, 49.5, 54.45, 54.45]) } });
  // Returns: +10%, −10%, +10%, 0%.
  const r = [0.1, -0.1, 0.1, 0];
  const mean = 0.025;
  const sd = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / 3);

  it("computes returns, volatility, Sharpe and Sortino", () => {
    expect(m.totalReturn).toBeCloseTo(0.089, 12);
    expect(m.cagr).toBeCloseTo(1.089 ** (252 / 4) - 1, 9);
    expect(m.volatility).toBeCloseTo(sd * Math.sqrt(252), 12);
    expect(m.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(252), 12);
    expect(m.sortino).toBeCloseTo((mean / Math.sqrt(0.01 / 4)) * Math.sqrt(252), 12);
  });

  it("finds the drawdown, its duration and the best and worst days", () => {
    expect(m.maxDrawdown).toBeCloseTo(0.1, 12);
    expect(m.maxDrawdownDuration).toBe(3);
    expect(m.calmar).toBeCloseTo(m.cagr / 0.1, 9);
    expect(m.bestDay).toEqual({ date: "2024-01-03", return: expect.closeTo(0.1, 12) });
    expect(m.worstDay).toEqual({ date: "2024-01-04", return: expect.closeTo(-0.1, 12) });
    expect(m.trailing1M).toBeNull();
  });

  it("measures turnover per year and keeps costs", () => {
    const averageEquity = (100 + 110 + 99 + 108.9 + 108.9) / 5;
    expect(m.turnover).toBeCloseTo(400 / 2 / averageEquity / (4 / 252), 9);
    expect([m.trades, m.feesPaid, m.slippagePaid]).toEqual([4, 0.5, 0.04]);
  });

  it("regresses on the benchmark: a curve that is the benchmark ×2 has beta 1, alpha 0, R² 1", () => {
    expect(m.benchmark!.beta).toBeCloseTo(1, 12);
    expect(m.benchmark!.alpha).toBeCloseTo(0, 12);
    expect(m.benchmark!.r2).toBeCloseTo(1, 12);
    expect(m.benchmark!.correlation).toBeCloseTo(1, 12);
  });

  it("has no ratio where the denominator is zero", () => {
    const flat = computeMetrics({ dates, equity: Float64Array.from([5, 5, 5, 5, 5]), tradedNotional: 0, trades: 0, feesPaid: 0, slippagePaid: 0, benchmark: null });
    expect([flat.sharpe, flat.sortino, flat.calmar, flat.maxDrawdown, flat.totalReturn]).toEqual([null, null, null, 0, 0]);
  });
});
