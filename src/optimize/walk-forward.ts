/**
 * Walk-forward analysis: rolling train/test windows over the sessions. In each window the
 * search picks the best params on the train sessions only, then those params are backtested
 * on the test sessions that follow. The test equity curves are stitched into one
 * out-of-sample curve. Train and test never share a session, and every train window ends
 * before its test window starts (indicators may warm up on earlier history, which is causal).
 * Each window's search depends only on its own trials, so a stored study resumes window by
 * window (`prepareWindow` hands back the stored trials) with the result of an uninterrupted run.
 */
import { computeMetrics, type Metrics } from "../backtest/metrics.js";
import type { BacktestResult } from "../backtest/run.js";
import type { Scoring } from "./objective.js";
import type { Sampler } from "./samplers.js";
import { runSearch } from "./search.js";
import type { Point } from "./space.js";
import type { Trial, TrialEvaluator, TrialWindow } from "./trial.js";

/** Sessions per unit of `--walk-forward` lengths. */
const SESSIONS: Record<string, number> = { y: 252, m: 21, d: 1 };

export class WalkForwardError extends Error {}

/** Parses `TRAIN/TEST` such as `3y/1y`, `18m/6m`, `500d/100d` into session counts. */
export function parseWalkForward(text: string): { train: number; test: number } {
  const m = /^\s*(\d+)([ymd])\s*\/\s*(\d+)([ymd])\s*$/.exec(text);
  if (m === null) throw new WalkForwardError(`--walk-forward takes TRAIN/TEST lengths such as 3y/1y, 18m/6m or 500d/100d (y = 252 sessions, m = 21, d = 1), not '${text}'`);
  const train = Number(m[1]) * SESSIONS[m[2]!]!;
  const test = Number(m[3]) * SESSIONS[m[4]!]!;
  if (train < 2 || test < 2) throw new WalkForwardError(`--walk-forward ${text}: train and test need at least 2 sessions each`);
  return { train, test };
}

/** One walk-forward window, as inclusive session dates. */
export interface WalkWindow {
  trainFrom: string;
  trainTo: string;
  testFrom: string;
  testTo: string;
}

/**
 * Rolling windows over `dates` from index `start`: train `train` sessions, then test `test`
 * sessions; the next window starts `test` sessions later. Only whole windows are returned.
 */
export function walkForwardWindows(dates: readonly string[], start: number, train: number, test: number): WalkWindow[] {
  const out: WalkWindow[] = [];
  for (let s = Math.max(0, start); s + train + test - 1 < dates.length; s += test) {
    out.push({ trainFrom: dates[s]!, trainTo: dates[s + train - 1]!, testFrom: dates[s + train]!, testTo: dates[s + train + test - 1]! });
  }
  return out;
}

/** The outcome of one window. */
export interface WindowResult {
  window: WalkWindow;
  /** The best train trial's params, or null when no train trial was feasible. */
  params: Point | null;
  trials: number;
  inSampleObjective: number | null;
  outOfSampleObjective: number | null;
  outOfSample: Metrics | null;
}

/** The stitched out-of-sample curve and its metrics. */
export interface WalkForwardResult {
  windows: WindowResult[];
  dates: string[];
  equity: number[];
  metrics: Metrics | null;
  /**
   * True when a stop was requested: `windows` holds the windows finished before it (a window
   * cut short is left out, since its best params could differ from an uninterrupted run's).
   */
  stopped: boolean;
}

/**
 * What one window's train search starts from and where its trials go; lets a stored study
 * resume window by window and send a window's trials elsewhere (the job queue).
 */
export interface WindowHooks {
  /** Train trials of this window already done (a resumed study), numbers 0..n-1; never re-run. */
  previous?: readonly Trial[];
  /** Runs this window's train trials instead of the shared `evaluator` (e.g. the window's queue). */
  evaluator?: TrialEvaluator;
  /** Called with each batch of this window's new train trials, in order (e.g. to store them). */
  onTrials?: (trials: readonly Trial[]) => Promise<void> | void;
}

export interface WalkForwardOptions {
  windows: readonly WalkWindow[];
  /** A fresh sampler per window (same seed: each window's search is reproducible on its own). */
  sampler: () => Sampler;
  evaluator: TrialEvaluator;
  scoring: Scoring;
  /** Train trials per window (including a window's `previous`). */
  budget: number;
  /** Points proposed at a time (runSearch's; grid and random give the same trials whatever it is). */
  batchSize?: number;
  /** The full backtest of params on a window (the test runs, in this thread). */
  backtest: (params: Point, window: TrialWindow) => BacktestResult;
  shouldStop?: () => boolean;
  /** Called before window `index` (0-based) starts its train search. */
  prepareWindow?: (index: number, window: WalkWindow) => Promise<WindowHooks> | WindowHooks;
  /** Called when window `index` is finished (not when its search was stopped). */
  onWindow?: (result: WindowResult, trials: readonly Trial[], index: number) => Promise<void> | void;
}

/** Runs the walk-forward; see the module comment. */
export async function runWalkForward(options: WalkForwardOptions): Promise<WalkForwardResult> {
  const windows: WindowResult[] = [];
  const dates: string[] = [];
  const equity: number[] = [];
  let tradedNotional = 0;
  let trades = 0;
  let feesPaid = 0;
  let slippagePaid = 0;
  let stopped = false;
  for (const [index, window] of options.windows.entries()) {
    const hooks = (await options.prepareWindow?.(index, window)) ?? {};
    // A window whose train trials are all stored needs no evaluation, so a stop request does
    // not cut it: a resumed study gets through its finished windows before stopping.
    const done = (hooks.previous?.length ?? 0) >= options.budget;
    if (!done && options.shouldStop?.() === true) {
      stopped = true;
      break;
    }
    const search = await runSearch({
      sampler: options.sampler(),
      evaluator: hooks.evaluator ?? options.evaluator,
      scoring: options.scoring,
      budget: options.budget,
      window: { from: window.trainFrom, to: window.trainTo },
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(hooks.previous === undefined ? {} : { previous: hooks.previous }),
      ...(hooks.onTrials === undefined ? {} : { onTrials: hooks.onTrials }),
      ...(options.shouldStop === undefined ? {} : { shouldStop: options.shouldStop }),
    });
    if (search.stopped) {
      stopped = true;
      break;
    }
    const best = search.best;
    let result: WindowResult = { window, params: best?.params ?? null, trials: search.trials.length, inSampleObjective: best?.objective ?? null, outOfSampleObjective: null, outOfSample: null };
    if (best !== null) {
      const test = options.backtest(best.params, { from: window.testFrom, to: window.testTo });
      result = { ...result, outOfSample: test.metrics, outOfSampleObjective: options.scoring.score(test.metrics).objective };
      // Each test run starts from the same cash: chain them by scaling its first close to the
      // previous window's last (so that session's own return, slippage of the first buys, is lost).
      const sim = test.simulation;
      const start = sim.equity[0]!;
      const scale = equity.length === 0 ? 1 : equity[equity.length - 1]! / start;
      for (let i = 0; i < sim.equity.length; i++) {
        dates.push(sim.dates[i]!);
        equity.push(sim.equity[i]! * scale);
      }
      tradedNotional += sim.fills.reduce((s, f) => s + f.notional * scale, 0);
      trades += sim.fills.length;
      feesPaid += sim.feesPaid * scale;
      slippagePaid += sim.slippagePaid * scale;
    }
    windows.push(result);
    await options.onWindow?.(result, search.trials, index);
  }
  const metrics = equity.length === 0 ? null : computeMetrics({ dates, equity: Float64Array.from(equity), tradedNotional, trades, feesPaid, slippagePaid, benchmark: null });
  return { windows, dates, equity, metrics, stopped };
}
