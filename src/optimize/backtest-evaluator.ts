/**
 * The in-process TrialEvaluator: the real backtester (`backtestOnBars`) on bars loaded once,
 * with one series cache shared by all trials. The worker threads run this same class.
 */
import { backtestOnBars, type BacktestOptions, type BacktestResult } from "../backtest/run.js";
import type { IrProgram, IrStrategy } from "../ir/types.js";
import type { BarSet } from "../ports/bar-source.js";
import type { Point } from "./space.js";
import { SeriesCache } from "../engine/series-cache.js";
import type { TrialEvaluator, TrialOutcome, TrialWindow } from "./trial.js";

/** Everything a trial needs besides its params; plain data, so it can cross to a worker. */
export interface StudyContext {
  program: IrProgram;
  strategy: string;
  bars: BarSet;
  benchmark: string | null;
  /** Backtest settings shared by all trials (capital, slippage, fees, from, to); no params, no cache. */
  options: Omit<BacktestOptions, "params" | "cache" | "strategy">;
}

/** Runs trials one after another in this thread. */
export class BacktestEvaluator implements TrialEvaluator {
  private readonly strategy: IrStrategy;
  private readonly cache = new SeriesCache();

  constructor(private readonly context: StudyContext) {
    const strategy = context.program.strategies.find((s) => s.name === context.strategy);
    if (strategy === undefined) throw new Error(`no strategy named "${context.strategy}"`);
    this.strategy = strategy;
  }

  /**
   * The backtest of one point. With `detail` (e.g. to report the best trial) it keeps fills,
   * weights and coverage; without, only what the metrics need, which gives the same metrics.
   */
  backtest(point: Point, window: TrialWindow = {}, detail = true): BacktestResult {
    const { from, to, ...rest } = this.context.options;
    const f = window.from ?? from;
    const t = window.to ?? to;
    return backtestOnBars(this.context.program, this.strategy, this.context.bars, this.context.benchmark, {
      ...rest,
      ...(f === undefined ? {} : { from: f }),
      ...(t === undefined ? {} : { to: t }),
      params: point,
      cache: this.cache,
      coverage: false,
      record: detail,
      shareSubtrees: true,
    });
  }

  async run(points: readonly Point[], window?: TrialWindow): Promise<TrialOutcome[]> {
    return this.runSync(points, window);
  }

  /** `run` without the promise (the worker thread calls it). */
  runSync(points: readonly Point[], window?: TrialWindow): TrialOutcome[] {
    return points.map((p) => {
      try {
        return { metrics: this.backtest(p, window, false).metrics };
      } catch (error) {
        return { error: error instanceof Error ? error.message : String(error) };
      }
    });
  }

  async close(): Promise<void> {}
}
