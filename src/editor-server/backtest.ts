/**
 * POST /api/backtest: compiles the editor's text on the server and backtests it with the
 * library's `backtest` on the picked data, dates and params (run-settings.ts; synthetic data and
 * the declared defaults when absent), returning the JSON report plus the series the page charts.
 */
import { backtest, BacktestError, loadStrategyBars, pickStrategy, type BacktestResult } from "../backtest/run.js";
import { alignBars } from "../data/align.js";
import { evaluate } from "../engine/evaluate.js";
import { explain, type Explanation } from "../engine/explain.js";
import { resolveParams } from "../engine/params.js";
import type { IrProgram } from "../ir/types.js";
import { resultJson } from "../backtest/report/json.js";
import { SyntheticBarSource } from "../data/synthetic.js";
import { DataError } from "../data/errors.js";
import { EvaluationError } from "../engine/evaluate.js";
import { ParamError } from "../engine/params.js";
import { compile } from "../lang/compile.js";
import { hasErrors } from "../lang/diagnostics.js";
import { diagnosticJson } from "../lang/render.js";
import { HttpError } from "./http.js";
import { barSourceFor } from "./data-sources.js";
import { workspaceHost, type SourceRoots } from "./imports.js";
import type { RunInputs } from "./run-inputs.js";
import { backtestOptions, checkParams, type RunSettings } from "./run-settings.js";

/** The charted series: one value per session. */
export interface BacktestSeries {
  dates: string[];
  equity: number[];
  /** The benchmark bought with the same starting capital; null without a benchmark. */
  benchmark: number[] | null;
  /** Fraction below the running peak (0 or negative). */
  drawdown: number[];
  /** Holdings' weights at each close, downsampled. */
  allocation: AllocationSeries;
}

/** Weights over time: `weights[k][i]` is `tickers[k]`'s weight on `dates[i]`. */
export interface AllocationSeries {
  dates: string[];
  /** The largest holdings by average weight, then "other" when there are more. */
  tickers: string[];
  weights: number[][];
}

/** Sessions the allocation chart gets at most. */
export const MAX_ALLOCATION_SESSIONS = 500;
/** Tickers drawn separately; the rest are summed into "other". */
export const MAX_ALLOCATION_TICKERS = 10;

/** The session indices kept when `n` sessions are sampled down to at most `max` (first and last always). */
export function sampleIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let k = 0; k < max; k++) out.push(Math.round((k * (n - 1)) / (max - 1)));
  return out;
}

/** Downsampled weights per session: top tickers by average weight, the rest as "other". */
export function allocationOf(dates: readonly string[], weights: readonly Map<string, number>[]): AllocationSeries {
  const totals = new Map<string, number>();
  for (const day of weights) for (const [t, w] of day) totals.set(t, (totals.get(t) ?? 0) + w);
  const ranked = [...totals].filter(([, w]) => w > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([t]) => t);
  const top = ranked.slice(0, MAX_ALLOCATION_TICKERS);
  const hasOther = ranked.length > top.length;
  const kept = sampleIndices(weights.length, MAX_ALLOCATION_SESSIONS);
  const series = top.map((t) => kept.map((i) => weights[i]!.get(t) ?? 0));
  if (hasOther) {
    const topSet = new Set(top);
    series.push(kept.map((i) => [...weights[i]!].reduce((s, [t, w]) => (topSet.has(t) ? s : s + w), 0)));
  }
  return { dates: kept.map((i) => dates[i]!), tickers: hasOther ? [...top, "other"] : top, weights: series };
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
  return { dates, equity: Array.from(equity), benchmark, drawdown, allocation: allocationOf(dates, result.simulation.weights) };
}

function compileOr422(roots: SourceRoots, path: string, text: string): IrProgram {
  const compiled = compile(text, { file: path, host: workspaceHost(roots) });
  if (hasErrors(compiled.diagnostics) || compiled.ir === null) {
    const errors = compiled.diagnostics.filter((d) => d.severity === "error");
    throw new HttpError(422, `the strategy has ${errors.length} error(s); fix them first`, { diagnostics: errors.map(diagnosticJson) });
  }
  return compiled.ir;
}

function userError(error: unknown): unknown {
  if (error instanceof BacktestError || error instanceof DataError || error instanceof ParamError || error instanceof EvaluationError) return new HttpError(422, error.message);
  return error;
}

/** A run's settings, where the local bar cache is (for `data: "cache"`), and the CLI's data wiring. */
export interface RunContext {
  settings: RunSettings;
  cacheDir: string;
  inputs: RunInputs;
}


/**
 * Runs a backtest of `text` (named `path`) with `settings` (the cache, when picked, read from
 * `cacheDir`); bad settings and other user errors become 4xx with a message.
 */
export async function runEditorBacktest(
  roots: SourceRoots,
  path: string,
  text: string,
  strategy: string | undefined,
  { settings, cacheDir, inputs }: RunContext,
): Promise<Record<string, unknown>> {
  const ir = compileOr422(roots, path, text);
  try {
    checkParams(ir, pickStrategy(ir, strategy), settings.params);
    const result = await backtest(ir, await barSourceFor(settings.data, cacheDir, inputs), backtestOptions(settings, strategy));
    return { report: resultJson(result), series: seriesOf(result) };
  } catch (error) {
    throw userError(error);
  }
}

/**
 * POST /api/explain: the decision on `date` as the library's `explain` tree (on the picked data
 * and params, as the backtest it explains), plus the lines of `path` its nodes are written on
 * (the taken branches).
 */
export async function runEditorExplain(
  roots: SourceRoots,
  path: string,
  text: string,
  date: string,
  strategyName: string | undefined,
  { settings, cacheDir, inputs }: RunContext,
): Promise<Explanation & { lines: number[] }> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new HttpError(400, `'date' must be YYYY-MM-DD, not '${date}'`);
  const ir = compileOr422(roots, path, text);
  try {
    const strategy = pickStrategy(ir, strategyName);
    checkParams(ir, strategy, settings.params);
    const { bars, benchmark } = await loadStrategyBars(strategy, await barSourceFor(settings.data, cacheDir, inputs), date);
    const market = alignBars(bars, benchmark === null ? strategy.tickers : [...new Set([...strategy.tickers, benchmark])]);
    const day = market.dates.indexOf(date);
    if (day === -1) throw new HttpError(422, `${date} is not a session in the ${settings.data === "cache" ? "cached" : "synthetic"} data`);
    const params = resolveParams(ir.params.filter((p) => strategy.params.includes(p.name)), settings.params);
    const evaluation = evaluate(strategy, market, { params, to: day });
    if (day < evaluation.start) throw new HttpError(422, `${date} is before the first decision (${market.dates[evaluation.start]}): ${evaluation.startReason} is not defined yet`);
    const explanation = explain(evaluation, day);
    return { ...explanation, lines: linesIn(explanation.tree, path) };
  } catch (error) {
    throw userError(error);
  }
}

/** The sorted, distinct lines of `file` that nodes of `tree` are written on. */
export function linesIn(tree: Explanation["tree"], file: string): number[] {
  const lines = new Set<number>();
  const walk = (node: Explanation["tree"]): void => {
    if (node.at !== null) {
      const colon = node.at.lastIndexOf(":");
      if (node.at.slice(0, colon) === file) lines.add(Number(node.at.slice(colon + 1)));
    }
    node.children.forEach(walk);
  };
  walk(tree);
  return [...lines].sort((a, b) => a - b);
}

const tickerCache = new Map<string, { ticker: string; first: string | null; last: string | null; bars: number }>();

/** GET /api/ticker/NAME: the first and last bar date of a ticker in the local (synthetic) data. */
export async function tickerRange(name: string): Promise<{ ticker: string; first: string | null; last: string | null; bars: number }> {
  if (!/^[A-Za-z0-9.^=-]{1,20}$/.test(name)) throw new HttpError(400, `'${name}' is not a ticker`);
  const ticker = name.toUpperCase();
  const cached = tickerCache.get(ticker);
  if (cached !== undefined) return cached;
  try {
    const set = await new SyntheticBarSource().load({ tickers: [ticker] });
    const dates = set.bars.get(ticker)?.dates ?? [];
    const found = { ticker, first: dates[0] ?? null, last: dates[dates.length - 1] ?? null, bars: dates.length };
    tickerCache.set(ticker, found);
    return found;
  } catch (error) {
    throw userError(error);
  }
}
