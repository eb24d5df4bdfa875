/**
 * `backtest(program, bars, options)`: evaluate over history and simulate fills (DESIGN.md §3).
 * The library function behind `strat backtest`; the optimizer calls it with different params.
 */
import { alignBars } from "../data/align.js";
import { DataError } from "../data/errors.js";
import { firstOnOrAfter } from "../data/nyse-calendar.js";
import { evaluate, type Evaluation } from "../engine/evaluate.js";
import type { Market } from "../engine/market.js";
import { resolveParams } from "../engine/params.js";
import { SeriesCache } from "../engine/series-cache.js";
import type { IrProgram, IrStrategy } from "../ir/types.js";
import type { BarSet, BarSource, Provenance } from "../ports/bar-source.js";
import { coverageOf, type Coverage } from "./coverage.js";
import type { FeeModel } from "../trading/fees.js";
import { computeMetrics, type Metrics } from "./metrics.js";
import { simulate, type Simulation } from "./simulate.js";

export interface BacktestOptions {
  /** Strategy or portfolio name; default: the file's only one, or its only portfolio. */
  strategy?: string;
  params?: Record<string, number>;
  /** Starting cash (default 100,000). */
  capital?: number;
  /** Slippage in basis points (default 1). */
  slippageBps?: number;
  fees?: FeeModel;
  /** Smallest trade, in currency (default 1). */
  minNotional?: number;
  /** First session to trade (YYYY-MM-DD); history before it still warms indicators up. */
  from?: string;
  /** Last session (inclusive). */
  to?: string;
  /** Shared indicator series, e.g. across optimizer trials on the same bars. */
  cache?: SeriesCache;
  /** Record branch coverage (default true); optimizer trials skip it, as nobody reads it there. */
  coverage?: boolean;
  /** Keep per-session weights, targets and fills (default true); optimizer trials need only the metrics. */
  record?: boolean;
  /** Share param-free subtrees' allocations across runs through `cache` (see EvaluateOptions). */
  shareSubtrees?: boolean;
}

export interface BacktestResult {
  strategy: string;
  irHash: string;
  data: Provenance;
  params: Record<string, number>;
  start: string;
  end: string;
  warmupBars: number;
  /** Why the first decision is not earlier. */
  startReason: string;
  metrics: Metrics;
  coverage: Coverage;
  warnings: string[];
  simulation: Simulation;
  evaluation: Evaluation;
}

export class BacktestError extends Error {}

/** Picks the strategy to run: by name, else the only one, else the only portfolio. */
export function pickStrategy(program: IrProgram, name: string | undefined): IrStrategy {
  const names = program.strategies.map((s) => `"${s.name}"`).join(", ");
  if (name !== undefined) {
    const found = program.strategies.find((s) => s.name === name);
    if (found === undefined) throw new BacktestError(`no strategy named "${name}"; the file has ${names}`);
    return found;
  }
  if (program.strategies.length === 1) return program.strategies[0]!;
  const portfolios = program.strategies.filter((s) => s.kind === "portfolio");
  if (portfolios.length === 1) return portfolios[0]!;
  if (program.strategies.length === 0) throw new BacktestError("the file has no strategy (it is a module)");
  throw new BacktestError(`the file has ${program.strategies.length} strategies (${names}): choose one with --strategy`);
}

/** Loads the bars a strategy needs: its tickers, and its benchmark (SPY by default, when the source has it). */
export async function loadStrategyBars(strategy: IrStrategy, source: BarSource, to: string | undefined): Promise<{ bars: BarSet; benchmark: string | null }> {
  const request = { tickers: strategy.tickers, ...(to === undefined ? {} : { to }) };
  const wanted = strategy.benchmark ?? "SPY";
  if (strategy.tickers.includes(wanted)) return { bars: await source.load(request), benchmark: wanted };
  try {
    const bars = await source.load({ ...request, tickers: [...strategy.tickers, wanted] });
    return { bars, benchmark: wanted };
  } catch (error) {
    // The default benchmark is optional; an explicit one is not.
    if (strategy.benchmark !== null || !(error instanceof DataError) || error.location.ticker !== wanted) throw error;
    return { bars: await source.load(request), benchmark: null };
  }
}

/** Runs one backtest. Rejects with BacktestError, DataError, ParamError or EvaluationError on bad input. */
export async function backtest(program: IrProgram, source: BarSource, options: BacktestOptions = {}): Promise<BacktestResult> {
  const strategy = pickStrategy(program, options.strategy);
  const { bars, benchmark } = await loadStrategyBars(strategy, source, options.to);
  return backtestOnBars(program, strategy, bars, benchmark, options);
}

const markets = new WeakMap<BarSet, Map<string, Market>>();

/**
 * The aligned market of `tickers` in `bars`, built once per bar set: optimizer trials share it,
 * and with it the series cache, which is keyed by the market.
 */
function marketFor(bars: BarSet, tickers: string[]): Market {
  let byTickers = markets.get(bars);
  if (byTickers === undefined) {
    byTickers = new Map();
    markets.set(bars, byTickers);
  }
  const key = [...tickers].sort().join(",");
  let market = byTickers.get(key);
  if (market === undefined) {
    market = alignBars(bars, tickers);
    byTickers.set(key, market);
  }
  return market;
}

/** A backtest on bars already loaded (the optimizer loads once and runs many). */
export function backtestOnBars(program: IrProgram, strategy: IrStrategy, bars: BarSet, benchmark: string | null, options: BacktestOptions = {}): BacktestResult {
  const market = marketFor(bars, benchmark === null ? strategy.tickers : [...new Set([...strategy.tickers, benchmark])]);
  const params = resolveParams(program.params.filter((p) => strategy.params.includes(p.name)), options.params ?? {});
  let to = market.dates.length - 1;
  if (options.to !== undefined) {
    const at = firstOnOrAfter(market.dates, options.to);
    to = at - (market.dates[at] === options.to ? 0 : 1);
  }
  const last = market.dates[market.dates.length - 1] ?? "";
  if (options.from !== undefined && options.from > last) throw new BacktestError(`--from ${options.from} is after the last session in the data (${last})`);
  const from = options.from === undefined ? undefined : firstOnOrAfter(market.dates, options.from);
  const evaluation = evaluate(strategy, market, { params, cache: options.cache ?? new SeriesCache(), trace: options.coverage !== false, shareSubtrees: options.shareSubtrees === true, to, ...(from === undefined ? {} : { from }) });
  if (evaluation.start > to) throw new BacktestError(`nothing to backtest: the first decision (${market.dates[evaluation.start]}) comes after --to ${options.to}`);
  const simulation = simulate(evaluation, market, {
    capital: options.capital ?? 100_000,
    slippageBps: options.slippageBps ?? 1,
    fees: options.fees ?? "none",
    minNotional: options.minNotional ?? 1,
    to,
    record: options.record !== false,
  });
  const benchmarkClose = benchmark === null ? null : market.close.get(benchmark)!.slice(evaluation.start, to + 1);
  const metrics = computeMetrics({
    dates: simulation.dates,
    equity: simulation.equity,
    tradedNotional: simulation.tradedNotional,
    trades: simulation.trades,
    feesPaid: simulation.feesPaid,
    slippagePaid: simulation.slippagePaid,
    benchmark: benchmarkClose === null ? null : { ticker: benchmark!, close: benchmarkClose },
  });
  const warnings: string[] = [];
  if (simulation.emptyTargets.length > 0) {
    const shown = simulation.emptyTargets.slice(0, 5).join(", ");
    warnings.push(`the allocation was empty (all cash) on ${simulation.emptyTargets.length} sessions: ${shown}${simulation.emptyTargets.length > 5 ? ", ..." : ""}`);
  }
  return {
    strategy: strategy.name,
    irHash: strategy.hash,
    data: bars.provenance,
    params: Object.fromEntries(params),
    start: market.dates[evaluation.start]!,
    end: market.dates[to]!,
    warmupBars: strategy.warmupBars,
    startReason: evaluation.startReason,
    metrics,
    coverage: evaluation.trace === null ? { sessions: to - evaluation.start + 1, entries: [], neverTaken: [] } : coverageOf(strategy, evaluation.trace, to - evaluation.start + 1),
    warnings,
    simulation,
    evaluation,
  };
}
