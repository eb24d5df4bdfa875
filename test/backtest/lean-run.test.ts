/**
 * The optimizer's lean backtest (no fills, weights or coverage recorded; param-free subtrees
 * shared across runs) gives exactly the metrics of the full backtest, for every bundled strategy
 * and corpus symphony, with regulatory fees and slippage on, and with one cache across runs and
 * param values.
 */
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { backtest } from "../../src/backtest/run.js";
import { SyntheticBarSource } from "../../src/data/synthetic.js";
import { SeriesCache } from "../../src/engine/series-cache.js";
import { compile } from "../../src/lang/compile.js";
import { REPO, testHost } from "../helpers/host.js";

const source = new SyntheticBarSource();
const files = [
  ...readdirSync(resolve(REPO, "strategies")).filter((f) => f.endsWith(".strat")).map((f) => `strategies/${f}`),
  ...readdirSync(resolve(REPO, "test", "fixtures", "corpus")).filter((f) => f.endsWith(".clj")).sort().map((f) => `test/fixtures/corpus/${f}`),
];

describe("lean backtest (record: false, coverage: false)", () => {
  it.each(files)("%s: same metrics as the full backtest", async (path) => {
    const ir = compile(readFileSync(resolve(REPO, path), "utf8"), { file: path, host: testHost() }).ir!;
    const cache = new SeriesCache();
    for (const { name } of ir.strategies) {
      const options = { strategy: name, from: "2016-01-04", to: "2024-12-31", fees: "regulatory" as const, slippageBps: 5 };
      const full = await backtest(ir, source, options);
      const lean = await backtest(ir, source, { ...options, cache, coverage: false, record: false, shareSubtrees: true });
      const again = await backtest(ir, source, { ...options, cache, coverage: false, record: false, shareSubtrees: true });
      expect(full.simulation.fills.length).toBeGreaterThan(0);
      expect(lean.simulation.fills).toEqual([]);
      expect(lean.simulation.trades).toBe(full.simulation.fills.length);
      expect(lean.metrics).toEqual(full.metrics);
      expect(Array.from(lean.simulation.equity)).toEqual(Array.from(full.simulation.equity));
      expect(again.metrics).toEqual(full.metrics);
    }
  });
});

describe("lean backtests across param values with one shared cache", () => {
  it.each(["strategies/sixty_forty_trend.strat", "strategies/rsi_dip_buyer.strat", "strategies/dual_momentum_gem.strat"])("%s: every value of every param", async (path) => {
    const ir = compile(readFileSync(resolve(REPO, path), "utf8"), { file: path, host: testHost() }).ir!;
    const cache = new SeriesCache();
    let runs = 0;
    for (const param of ir.params) {
      for (const value of param.values) {
        const options = { from: "2016-01-04", to: "2024-12-31", params: { [param.name]: value } };
        const full = await backtest(ir, source, options);
        const lean = await backtest(ir, source, { ...options, cache, coverage: false, record: false, shareSubtrees: true });
        expect(lean.metrics).toEqual(full.metrics);
        runs++;
      }
    }
    expect(runs).toBeGreaterThanOrEqual(3);
  });
});
