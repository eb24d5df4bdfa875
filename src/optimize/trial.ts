/** Trials and the evaluator port the search loop runs them through. */
import type { Metrics } from "../backtest/metrics.js";
import type { Point } from "./space.js";

/** Sessions to backtest, as YYYY-MM-DD (inclusive); undefined ends: the study's own range. */
export interface TrialWindow {
  from?: string;
  to?: string;
}

/** What one backtest gave: its metrics, or the error message (e.g. a ParamError). */
export type TrialOutcome = { metrics: Metrics; error?: undefined } | { metrics?: undefined; error: string };

/**
 * Runs backtests for points. Outcomes come back in the order of `points`, and are the same
 * whatever the implementation (in-process loop or worker threads).
 */
export interface TrialEvaluator {
  run(points: readonly Point[], window?: TrialWindow): Promise<TrialOutcome[]>;
  close(): Promise<void>;
}

/** One finished trial of a study. */
export interface Trial {
  /** 0-based, in the order trials were proposed. */
  number: number;
  params: Point;
  /** The objective (maximised); null when not computable or the backtest failed. */
  objective: number | null;
  /** False when a constraint is violated, the objective is null or the backtest failed. */
  feasible: boolean;
  metrics: Metrics | null;
  error: string | null;
}

/** The feasible trial with the highest objective (the earliest on ties), or null. */
export function bestTrial(trials: readonly Trial[]): Trial | null {
  let best: Trial | null = null;
  for (const t of trials) {
    if (!t.feasible || t.objective === null) continue;
    if (best === null || t.objective > best.objective! || (t.objective === best.objective && t.number < best.number)) best = t;
  }
  return best;
}
