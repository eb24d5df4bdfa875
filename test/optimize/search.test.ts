/** Searches through the real backtester, compared with plain `backtest()` calls. */
import { beforeAll, describe, expect, it } from "vitest";
import { backtest, loadStrategyBars, pickStrategy } from "../../src/backtest/run.js";
import { CsvBarSource } from "../../src/data/csv.js";
import type { IrProgram } from "../../src/ir/types.js";
import { compileOrFail } from "../../src/cli/compile-or-fail.js";
import { BacktestEvaluator, type StudyContext } from "../../src/optimize/backtest-evaluator.js";
import { makeScoring } from "../../src/optimize/objective.js";
import { makeSampler, randomSampler, tpeSampler, type Sampler } from "../../src/optimize/samplers.js";
import { runSearch } from "../../src/optimize/search.js";
import { buildSpace, type Dimension, type Point } from "../../src/optimize/space.js";
import { runStudy } from "../../src/optimize/study.js";
import type { TrialEvaluator, TrialOutcome, TrialWindow } from "../../src/optimize/trial.js";
import { runWalkForward, walkForwardWindows } from "../../src/optimize/walk-forward.js";
import { makeFixture, type Fixture } from "./fixture.js";

let fx: Fixture;
let program: IrProgram;
let context: StudyContext;
let space: Dimension[];
const range = { from: "2018-01-02", to: "2021-12-31" };

beforeAll(async () => {
  fx = await makeFixture();
  program = compileOrFail(fx.file);
  const strategy = pickStrategy(program, undefined);
  const { bars, benchmark } = await loadStrategyBars(strategy, new CsvBarSource(fx.data.slice(4)), range.to);
  context = { program, strategy: strategy.name, bars, benchmark, options: { ...range } };
  space = buildSpace(program.params);
});

describe("grid search", () => {
  it("finds the known optimum and equals a plain loop of backtest() calls", async () => {
    const scoring = makeScoring("cagr");
    const result = await runStudy({ context, space, search: "grid", seed: 1, budget: 9, scoring });
    expect(result.trials).toHaveLength(9);
    expect(result.best!.params.pick).toBe(2);
    for (const t of result.trials) {
      const plain = await backtest(program, new CsvBarSource(fx.data.slice(4)), { ...range, params: t.params });
      expect(t.metrics).toEqual(plain.metrics);
      expect(t.objective).toBe(plain.metrics.cagr);
    }
  });

  it("keeps infeasible trials but never makes them best", async () => {
    const result = await runStudy({ context, space, search: "grid", seed: 1, budget: 9, scoring: makeScoring("cagr", ["maxDrawdown < 0.005"]) });
    expect(result.trials).toHaveLength(9);
    expect(result.trials.filter((t) => !t.feasible).map((t) => t.params.pick)).not.toContain(3);
    expect(result.best!.params.pick).toBe(3);
  });

  it("gives identical trials with 2 worker threads and with the plain loop", async () => {
    const scoring = makeScoring("sharpe");
    const one = await runStudy({ context, space, search: "bayes", seed: 3, budget: 9, scoring, workers: 1 });
    const two = await runStudy({ context, space, search: "bayes", seed: 3, budget: 9, scoring, workers: 2 });
    expect(two.trials).toEqual(one.trials);
  });
});

describe("random and bayes", () => {
  it("are reproducible from the seed", async () => {
    const scoring = makeScoring("sharpe");
    for (const search of ["random", "bayes"] as const) {
      const a = await runStudy({ context, space, search, seed: 11, budget: 6, scoring });
      const b = await runStudy({ context, space, search, seed: 11, budget: 6, scoring });
      expect(b.trials).toEqual(a.trials);
      expect(new Set(a.trials.map((t) => `${t.params.pick}/${t.params.n}`)).size).toBe(6);
    }
    const a = makeSampler("random", space, 1).propose([], 9).map((p) => JSON.stringify(p));
    const b = makeSampler("random", space, 2).propose([], 9).map((p) => JSON.stringify(p));
    expect(a).not.toEqual(b);
  });

  it("TPE beats random search on average with the same budget", async () => {
    // Separable bowl over 4 params of 12 values: TPE should learn each param's good region.
    const dims: Dimension[] = ["a", "b", "c", "d"].map((name) => ({ name, values: Array.from({ length: 12 }, (_, i) => i), integer: true, unit: "number" }));
    const target: Point = { a: 9, b: 2, c: 7, d: 4 };
    const f = (p: Point): number => -dims.reduce((s, d) => s + (p[d.name]! - target[d.name]!) ** 2, 0);
    const evaluator: TrialEvaluator = {
      async run(points) {
        return points.map((p) => ({ metrics: { sharpe: f(p) } }) as unknown as TrialOutcome);
      },
      async close() {},
    };
    const scoring = makeScoring("sharpe");
    const bestOf = async (sampler: Sampler): Promise<number> => (await runSearch({ sampler, evaluator, scoring, budget: 60 })).best!.objective!;
    let tpe = 0;
    let random = 0;
    for (let seed = 1; seed <= 10; seed++) {
      tpe += await bestOf(tpeSampler(dims, seed));
      random += await bestOf(randomSampler(dims, seed));
    }
    expect(tpe / 10).toBeGreaterThan(random / 10);
  });
});

describe("walk-forward", () => {
  it("trains only on sessions before each test window", async () => {
    const calls: TrialWindow[] = [];
    const inner = new BacktestEvaluator(context);
    const spy: TrialEvaluator = {
      async run(points, window) {
        calls.push(window!);
        return inner.run(points, window);
      },
      async close() {},
    };
    const dates = [...context.bars.bars.get("UP")!.dates].filter((d) => d >= range.from && d <= range.to);
    const windows = walkForwardWindows(dates, 0, 252, 126);
    expect(windows.length).toBeGreaterThan(3);
    const result = await runWalkForward({ windows, sampler: () => makeSampler("grid", space, 1), evaluator: spy, scoring: makeScoring("cagr"), budget: 9, backtest: (p, w) => inner.backtest(p, w) });
    expect(result.windows).toHaveLength(windows.length);
    for (const call of calls) {
      const w = windows.find((x) => x.trainFrom === call.from)!;
      expect(call.to).toBe(w.trainTo);
      expect(call.to! < w.testFrom).toBe(true);
    }
    for (const w of result.windows) expect(w.params!.pick).toBe(2);
    expect(result.dates[0]).toBe(windows[0]!.testFrom);
    expect(result.dates[result.dates.length - 1]).toBe(windows[windows.length - 1]!.testTo);
    expect(new Set(result.dates).size).toBe(result.dates.length);
    expect(result.metrics!.cagr).toBeGreaterThan(0);
  });
});
