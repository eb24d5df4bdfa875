/**
 * Objectives and constraints of a study: what "better" means (always maximised) and which
 * trials count at all. Trials that violate a constraint are kept but marked infeasible.
 */
import type { Metrics } from "../backtest/metrics.js";
import { parseConstraint, parseExpression, type MetricConstraint, type MetricExpression } from "./expression.js";

/** The numeric metrics an expression may name (benchmark ones flattened: alpha, beta, ...). */
export const METRIC_NAMES: ReadonlySet<string> = new Set([
  "totalReturn",
  "cagr",
  "volatility",
  "sharpe",
  "sortino",
  "calmar",
  "maxDrawdown",
  "maxDrawdownDuration",
  "trailing1M",
  "trailing3M",
  "trailing1Y",
  "turnover",
  "trades",
  "feesPaid",
  "slippagePaid",
  "alpha",
  "beta",
  "r2",
  "correlation",
  "benchmarkCagr",
]);

/** The flat name → value view of metrics that expressions read (null where undefined). */
export function metricValues(metrics: Metrics): Record<string, number | null> {
  const b = metrics.benchmark;
  return {
    totalReturn: metrics.totalReturn,
    cagr: metrics.cagr,
    volatility: metrics.volatility,
    sharpe: metrics.sharpe,
    sortino: metrics.sortino,
    calmar: metrics.calmar,
    maxDrawdown: metrics.maxDrawdown,
    maxDrawdownDuration: metrics.maxDrawdownDuration,
    trailing1M: metrics.trailing1M,
    trailing3M: metrics.trailing3M,
    trailing1Y: metrics.trailing1Y,
    turnover: metrics.turnover,
    trades: metrics.trades,
    feesPaid: metrics.feesPaid,
    slippagePaid: metrics.slippagePaid,
    alpha: b?.alpha ?? null,
    beta: b?.beta ?? null,
    r2: b?.r2 ?? null,
    correlation: b?.correlation ?? null,
    benchmarkCagr: b?.cagr ?? null,
  };
}

/** How a trial is scored. */
export interface Scoring {
  /** The objective's text as given (`sharpe`, `cagr - 0.5 * maxDrawdown`). */
  objective: string;
  constraints: string[];
  /** Objective (null when not computable, e.g. Sharpe of a flat curve) and feasibility. */
  score(metrics: Metrics): { objective: number | null; feasible: boolean };
}

/** Builds the scoring from `--objective` and `--constraint` texts; ExpressionError on bad input. */
export function makeScoring(objective: string, constraints: readonly string[] = []): Scoring {
  const expression: MetricExpression = parseExpression(objective, METRIC_NAMES);
  const tests: MetricConstraint[] = constraints.map((c) => parseConstraint(c, METRIC_NAMES));
  return {
    objective,
    constraints: [...constraints],
    score(metrics) {
      const values = metricValues(metrics);
      const value = expression.evaluate(values);
      // A trial whose objective cannot be computed can never be "best": infeasible too.
      return { objective: value, feasible: value !== null && tests.every((t) => t.test(values)) };
    },
  };
}
