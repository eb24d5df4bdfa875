/**
 * The search loop: ask the sampler for a batch, backtest it through the evaluator, score it,
 * repeat until the budget is spent, the space is exhausted or a stop is requested. Batches
 * have a fixed size whatever the number of workers, so results never depend on parallelism.
 */
import type { Scoring } from "./objective.js";
import type { Sampler, SearchKind } from "./samplers.js";
import { bestTrial, type Trial, type TrialEvaluator, type TrialWindow } from "./trial.js";

/** Points proposed at a time: fixed so that 1 and N workers see the same history. */
export const BATCH_SIZE = 8;

/**
 * Points proposed at a time. Bayes reads the history, so its batches stay small and fixed.
 * Grid and random points do not depend on results, so their trials are the same whatever the
 * batch: a queue takes them all at once, and worker threads get 32 each per batch, since every
 * batch waits for its slowest worker. One thread keeps the small batch, which is what lets
 * Ctrl+C stop soonest.
 */
export function batchSizeFor(kind: SearchKind, queued: boolean, budget: number, workers: number): number {
  if (kind === "bayes") return BATCH_SIZE;
  if (queued) return Math.max(1, budget);
  return workers > 1 ? 32 * workers : BATCH_SIZE;
}

export interface SearchOptions {
  sampler: Sampler;
  evaluator: TrialEvaluator;
  scoring: Scoring;
  /** Total trials wanted, including `previous`. */
  budget: number;
  /** Trials already done (a resumed study); never re-run. */
  previous?: readonly Trial[];
  window?: TrialWindow;
  batchSize?: number;
  /** Called with each batch of new trials, in order (e.g. to store them). */
  onTrials?: (trials: readonly Trial[]) => Promise<void> | void;
  /** Checked between batches; true ends the search cleanly, keeping what is done. */
  shouldStop?: () => boolean;
}

export interface SearchResult {
  /** Every trial, previous ones first, in trial-number order. */
  trials: Trial[];
  best: Trial | null;
  /** True when `shouldStop` ended the search before the budget. */
  stopped: boolean;
}

/**
 * Lets the event loop run once. An in-thread evaluator resolves without I/O, so without this a
 * whole search would run in microtasks and signal handlers (Ctrl+C sets the stop flag) and
 * timers would wait until it ends.
 */
function turnEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/** Runs the search; see the module comment. */
export async function runSearch(options: SearchOptions): Promise<SearchResult> {
  const trials: Trial[] = [...(options.previous ?? [])];
  const batchSize = options.batchSize ?? BATCH_SIZE;
  let stopped = false;
  while (trials.length < options.budget) {
    await turnEventLoop();
    if (options.shouldStop?.() === true) {
      stopped = true;
      break;
    }
    const points = options.sampler.propose(trials, Math.min(batchSize, options.budget - trials.length));
    if (points.length === 0) break;
    const outcomes = await options.evaluator.run(points, options.window);
    const batch = points.map((params, i): Trial => {
      const outcome = outcomes[i]!;
      const number = trials.length + i;
      if (outcome.metrics === undefined) return { number, params, objective: null, feasible: false, metrics: null, error: outcome.error };
      const { objective, feasible } = options.scoring.score(outcome.metrics);
      return { number, params, objective, feasible, metrics: outcome.metrics, error: null };
    });
    trials.push(...batch);
    await options.onTrials?.(batch);
  }
  return { trials, best: bestTrial(trials), stopped };
}
