/**
 * One study end to end, as the CLI and library callers use it: the evaluator (in-process or
 * worker threads), the search, storage of every batch, and the overfitting report.
 */
import { BacktestEvaluator, type StudyContext } from "./backtest-evaluator.js";
import type { Scoring } from "./objective.js";
import { deflatedSharpe, stability, type DeflatedSharpe, type Stability } from "./overfitting.js";
import { makeSampler, type SearchKind } from "./samplers.js";
import { runSearch } from "./search.js";
import { neighbours, pointKey, type Dimension, type Point } from "./space.js";
import type { Trial, TrialEvaluator } from "./trial.js";
import { WorkerPool } from "./worker-pool.js";

/** Fewer trials than this to run are not worth starting worker threads for. */
const MIN_TRIALS_FOR_THREADS = 32;

/**
 * Worker threads for `--workers auto`: one per core, or just this thread when there are at most
 * 32 trials to run (starting a thread, which loads the code and receives the bars, costs about
 * as much as a few dozen trials). A number is taken as given.
 */
export function workerCount(flag: number | "auto", trialsToRun: number, cores: number): number {
  if (flag !== "auto") return flag;
  return trialsToRun <= MIN_TRIALS_FOR_THREADS ? 1 : Math.max(1, cores);
}

/** The evaluator for `workers` threads: the plain loop for 1, a WorkerPool above. */
export function makeEvaluator(context: StudyContext, workers: number): TrialEvaluator {
  return workers <= 1 ? new BacktestEvaluator(context) : new WorkerPool(context, workers);
}

export interface StudyOptions {
  context: StudyContext;
  space: Dimension[];
  search: SearchKind;
  seed: number;
  /** Total trials, including `previous`. */
  budget: number;
  scoring: Scoring;
  /** Worker threads (1: in this thread). */
  workers?: number;
  previous?: readonly Trial[];
  onTrials?: (trials: readonly Trial[]) => Promise<void> | void;
  shouldStop?: () => boolean;
}

export interface StudyResult {
  trials: Trial[];
  best: Trial | null;
  stopped: boolean;
}

/** Runs the search of a study; the evaluator is closed before returning. */
export async function runStudy(options: StudyOptions): Promise<StudyResult> {
  const evaluator = makeEvaluator(options.context, options.workers ?? 1);
  try {
    return await runSearch({
      sampler: makeSampler(options.search, options.space, options.seed),
      evaluator,
      scoring: options.scoring,
      budget: options.budget,
      ...(options.previous === undefined ? {} : { previous: options.previous }),
      ...(options.onTrials === undefined ? {} : { onTrials: options.onTrials }),
      ...(options.shouldStop === undefined ? {} : { shouldStop: options.shouldStop }),
    });
  } finally {
    await evaluator.close();
  }
}

/** The overfitting guards of a finished study (in-sample; walk-forward reports the rest). */
export interface OverfittingReport {
  trials: number;
  feasibleTrials: number;
  deflatedSharpe: DeflatedSharpe | null;
  /** The best point's grid neighbours, one step away in each param. */
  neighbours: { params: Point; objective: number | null }[];
  stability: Stability | null;
}

/**
 * Computes the report: reruns the best point for its daily returns (deflated Sharpe) and
 * backtests the neighbours the study did not try (they are not added to the study).
 */
export function overfittingReport(context: StudyContext, space: readonly Dimension[], scoring: Scoring, trials: readonly Trial[], best: Trial | null): OverfittingReport {
  const feasible = trials.filter((t) => t.feasible);
  const base = { trials: trials.length, feasibleTrials: feasible.length };
  if (best === null) return { ...base, deflatedSharpe: null, neighbours: [], stability: null };
  const local = new BacktestEvaluator(context);
  const equity = local.backtest(best.params).simulation.equity;
  const returns: number[] = [];
  for (let i = 1; i < equity.length; i++) returns.push(equity[i]! / equity[i - 1]! - 1);
  const sharpes = trials.map((t) => t.metrics?.sharpe ?? null).filter((s): s is number => s !== null);
  const byKey = new Map(trials.map((t) => [pointKey(space, t.params), t]));
  const around = neighbours(space, best.params).map((params) => {
    const known = byKey.get(pointKey(space, params));
    if (known !== undefined) return { params, objective: known.objective };
    const [outcome] = local.runSync([params]);
    return { params, objective: outcome?.metrics === undefined ? null : scoring.score(outcome.metrics).objective };
  });
  return {
    ...base,
    deflatedSharpe: deflatedSharpe(sharpes, returns),
    neighbours: around,
    stability: best.objective === null ? null : stability(best.objective, around.map((n) => n.objective)),
  };
}
