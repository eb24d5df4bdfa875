/**
 * Optimizer speed: trials per second of a 20-node strategy with three params over 10 years of
 * daily synthetic data (a 4,088-point grid), in-process (1 worker) and on worker threads (2 workers). The target is
 * 1,000 trials per second on the 2-core bench machine. Trials are the real backtest of each
 * point (the same `BacktestEvaluator` `strat optimize` runs), after one warm-up pass.
 */
import { BacktestEvaluator, type StudyContext } from "../src/optimize/backtest-evaluator.js";
import { WorkerPool } from "../src/optimize/worker-pool.js";
import { batchSizeFor } from "../src/optimize/search.js";
import { buildSpace, gridPoints } from "../src/optimize/space.js";
import type { TrialEvaluator } from "../src/optimize/trial.js";
import { loadStrategyBars, pickStrategy } from "../src/backtest/run.js";
import { SyntheticBarSource } from "../src/data/synthetic.js";
import { compile } from "../src/lang/compile.js";
import { addStrategies, emptyStats } from "../src/ir/stats.js";

/** The benched strategy: 20 IR nodes, three params (fast, slow, entry). */
export const OPTIMIZE_BENCH_STRATEGY = `param fast = 50 in 10..100 step 10
param slow = 200 in 100..250 step 50
param entry = 30 in 10..40 step 5

strategy "Bench" {
  rebalance daily
  benchmark SPY
  if sma(SPY, fast) > sma(SPY, slow) {
    if rsi(QQQ, 10) < entry {
      top 2 by cumulative_return(fast) { QQQ, SPY, IWM, XLK }
    } else {
      weighted { 60% SPY, 40% TLT }
    }
  } else if rsi(SPY, 10) < entry {
    equal { SPY, QQQ, XLK, DIA }
  } else {
    inverse_volatility(20) { TLT, GLD, BIL }
  }
}
`;

export interface OptimizeBenchResult {
  name: string;
  nodes: number;
  params: number;
  sessions: number;
  trials: number;
  /** Trials per second by worker count. */
  trialsPerSecond: Record<string, number>;
  target: number;
  meetsTarget: boolean;
}

async function timeTrials(evaluator: TrialEvaluator, points: Record<string, number>[], batch: number): Promise<number> {
  await evaluator.run(points.slice(0, batch));
  const started = performance.now();
  for (let i = 0; i < points.length; i += batch) await evaluator.run(points.slice(i, i + batch));
  return points.length / ((performance.now() - started) / 1000);
}

/** Runs the optimizer bench, handing the evaluator batches of the size `strat optimize` uses for a grid. */
export async function benchOptimize(target = 1000): Promise<OptimizeBenchResult> {
  const compiled = compile(OPTIMIZE_BENCH_STRATEGY, { file: "bench.strat" });
  if (compiled.ir === null) throw new Error(`the bench strategy does not compile: ${compiled.diagnostics.map((d) => d.message).join("; ")}`);
  const program = compiled.ir;
  const strategy = pickStrategy(program, undefined);
  const { bars, benchmark } = await loadStrategyBars(strategy, new SyntheticBarSource(), "2025-12-31");
  const context: StudyContext = { program, strategy: strategy.name, bars, benchmark, options: { from: "2016-01-04", to: "2025-12-31" } };
  // Every fast window from 5 to 150: a 4,088-point grid, the size of a real study.
  const points = [...gridPoints(buildSpace(program.params, { fast: "5..150 step 1" }))];
  const local = new BacktestEvaluator(context);
  const sessions = local.backtest(points[0]!).simulation.dates.length;
  const trialsPerSecond: Record<string, number> = {};
  trialsPerSecond["1"] = Math.round(await timeTrials(local, points, batchSizeFor("grid", false, points.length, 1)));
  const pool = new WorkerPool(context, 2);
  try {
    trialsPerSecond["2"] = Math.round(await timeTrials(pool, points, batchSizeFor("grid", false, points.length, 2)));
  } finally {
    await pool.close();
  }
  return {
    name: "20-node strategy, 3 params, 10 years daily",
    nodes: addStrategies(emptyStats(), [strategy], "bench.strat").nodes,
    params: 3,
    sessions,
    trials: points.length,
    trialsPerSecond,
    target,
    meetsTarget: Math.max(...Object.values(trialsPerSecond)) >= target,
  };
}
