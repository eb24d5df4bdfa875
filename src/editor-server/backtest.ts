/**
 * POST /api/backtest: compiles the editor's text on the server and backtests it on synthetic
 * data with the library's `backtest`, returning the JSON report plus the series the page charts.
 */
import { backtest, BacktestError, type BacktestResult } from "../backtest/run.js";
import { resultJson } from "../backtest/report/json.js";
import { SyntheticBarSource } from "../data/synthetic.js";
import { DataError } from "../data/errors.js";
import { EvaluationError } from "../engine/evaluate.js";
import { ParamError } from "../engine/params.js";
import { compile } from "../lang/compile.js";
import { hasErrors } from "../lang/diagnostics.js";
import { diagnosticJson } from "../lang/render.js";
import { HttpError } from "./http.js";
import { workspaceHost, type SourceRoots } from "./imports.js";

/** The charted series: one value per session. */
export interface BacktestSeries {
  dates: string[];
  equity: number[];
  /** The benchmark bought with the same starting capital; null without a benchmark. */
  benchmark: number[] | null;
  /** Fraction below the running peak (0 or negative). */
  drawdown: number[];
}

/** Equity, benchmark and drawdown series of a result. */
export function seriesOf(result: BacktestResult): BacktestSeries {
  const { dates, equity } = result.simulation;
  let peak = -Infinity;
  const drawdown = Array.from(equity, (v) => {
    peak = Math.max(peak, v);
    return peak > 0 ? (v - peak) / peak : 0;
  });
  let benchmark: number[] | null = null;
  const bench = result.metrics.benchmark;
  const close = bench === null ? undefined : result.evaluation.context.market.close.get(bench.ticker);
  if (close !== undefined && equity.length > 0) {
    const start = result.evaluation.start;
    const base = close[start]!;
    benchmark = dates.map((_, i) => (equity[0]! * close[start + i]!) / base);
  }
  return { dates, equity: Array.from(equity), benchmark, drawdown };
}

/** Runs a backtest of `text` (named `path`); user errors become 422 with a message. */
export async function runEditorBacktest(roots: SourceRoots, path: string, text: string, strategy?: string): Promise<Record<string, unknown>> {
  const compiled = compile(text, { file: path, host: workspaceHost(roots) });
  if (hasErrors(compiled.diagnostics) || compiled.ir === null) {
    const errors = compiled.diagnostics.filter((d) => d.severity === "error");
    throw new HttpError(422, `the strategy has ${errors.length} error(s); fix them first`, { diagnostics: errors.map(diagnosticJson) });
  }
  try {
    const result = await backtest(compiled.ir, new SyntheticBarSource(), strategy === undefined ? {} : { strategy });
    return { report: resultJson(result), series: seriesOf(result) };
  } catch (error) {
    if (error instanceof BacktestError || error instanceof DataError || error instanceof ParamError || error instanceof EvaluationError) {
      throw new HttpError(422, error.message);
    }
    throw error;
  }
}
