/**
 * `evaluate(strategy, market, options)`: the target allocation of every session from the first
 * one on which the strategy is defined. The only place weights are decided: the backtester, the
 * optimizer and the live runner all call this.
 */
import type { IrStrategy } from "../ir/types.js";
import type { Allocation } from "./allocation.js";
import type { Market } from "./market.js";
import type { ParamValues } from "./params.js";
import { SeriesCache } from "./series-cache.js";
import { EvaluationError, StrategyEvaluation } from "./strategy-evaluation.js";
import { Trace } from "./trace.js";

export interface EvaluateOptions {
  /** Every param's value (see `resolveParams`); defaults are not filled in here. */
  params: ParamValues;
  /** Shared indicator series (reuse one across strategies and optimizer trials). */
  cache?: SeriesCache;
  /** Record branch coverage. */
  trace?: boolean;
  /** Decide nothing before this session index (the backtest's --from). */
  from?: number;
  /** Decide nothing after this session index (inclusive; default the last). */
  to?: number;
  /**
   * Share the allocations of subtrees that read no param through the cache (default false): for
   * optimizer trials, which evaluate the same tree with other params many times. Same decisions.
   */
  shareSubtrees?: boolean;
}

export interface Evaluation {
  strategy: IrStrategy;
  /** All sessions of the market. */
  dates: string[];
  /** Index of the first decided session. */
  start: number;
  /** Why the first decision is not earlier, e.g. "sma(TQQQ, 200)". */
  startReason: string;
  /** Tickers the allocations index into. */
  universe: string[];
  /** Target allocation decided at the close of each session from `start` (index 0 is `start`). */
  allocations: Allocation[];
  trace: Trace | null;
  /** The evaluation itself, for explaining single decisions. */
  context: StrategyEvaluation;
}

/** Evaluates a strategy over the whole market history. Throws `EvaluationError` when it never becomes defined. */
export function evaluate(strategy: IrStrategy, market: Market, options: EvaluateOptions): Evaluation {
  const context = new StrategyEvaluation(strategy, market, options.params, options.cache ?? new SeriesCache(), options.shareSubtrees === true);
  const bound = context.start();
  let start = bound.index;
  let startReason = bound.reason;
  // The compiled warm-up counts param windows at their largest value and the warmup override,
  // so every trial of a study starts on the same session.
  if (strategy.warmupBars - 1 > start) {
    start = strategy.warmupBars - 1;
    startReason = `the strategy's warm-up of ${strategy.warmupBars} bars`;
  }
  if (options.from !== undefined && options.from > start) {
    start = options.from;
    startReason = "the requested start date";
  }
  if (start >= market.dates.length) {
    const missing = start - (market.dates.length - 1);
    throw new EvaluationError(
      `not enough history: ${startReason} needs ${missing} more session${missing === 1 ? "" : "s"} than the ${market.dates.length} loaded (${market.dates[0] ?? "none"} to ${market.dates[market.dates.length - 1] ?? "none"})`,
    );
  }
  const trace = options.trace === true ? new Trace() : null;
  const allocations: Allocation[] = [];
  const last = Math.min(options.to ?? market.dates.length - 1, market.dates.length - 1);
  for (let day = start; day <= last; day++) {
    allocations.push(context.allocate(strategy.root, day, trace ?? undefined));
  }
  return { strategy, dates: market.dates, start, startReason, universe: context.universe, allocations, trace, context };
}

/** The allocation as a ticker → weight record (weights summing to 1, or empty). */
export function weightsOf(evaluation: Pick<Evaluation, "universe">, allocation: Allocation): Record<string, number> {
  const out: Record<string, number> = {};
  allocation.tickers.forEach((t, k) => {
    out[evaluation.universe[t]!] = allocation.weights[k]!;
  });
  return out;
}

export { EvaluationError };
