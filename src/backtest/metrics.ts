/**
 * Performance statistics of an equity curve (DESIGN.md §6). Conventions, stated once:
 * daily simple returns; 252 sessions a year; volatility from the sample standard deviation;
 * Sharpe and Sortino with a zero risk-free rate; drawdowns as positive fractions; alpha
 * annualised (×252) from the daily regression on the benchmark's returns.
 */

export const SESSIONS_PER_YEAR = 252;

export interface Metrics {
  totalReturn: number;
  cagr: number;
  volatility: number;
  sharpe: number | null;
  sortino: number | null;
  calmar: number | null;
  maxDrawdown: number;
  /** Longest stretch below a previous peak, in sessions. */
  maxDrawdownDuration: number;
  trailing1M: number | null;
  trailing3M: number | null;
  trailing1Y: number | null;
  bestDay: { date: string; return: number } | null;
  worstDay: { date: string; return: number } | null;
  /** Traded notional per year over average equity, one side (buys and sells halved). */
  turnover: number;
  trades: number;
  feesPaid: number;
  slippagePaid: number;
  benchmark: BenchmarkMetrics | null;
}

export interface BenchmarkMetrics {
  ticker: string;
  totalReturn: number;
  cagr: number;
  alpha: number | null;
  beta: number | null;
  r2: number | null;
  correlation: number | null;
}

export interface MetricInputs {
  dates: readonly string[];
  equity: Float64Array;
  tradedNotional: number;
  trades: number;
  feesPaid: number;
  slippagePaid: number;
  benchmark: { ticker: string; close: Float64Array } | null;
}

// Typed arrays and index loops throughout: the optimizer computes these for every trial. Sums run
// in index order, so each figure is the same double whatever container holds the series.

function dailyReturns(series: ArrayLike<number>): Float64Array {
  const out = new Float64Array(Math.max(0, series.length - 1));
  for (let i = 1; i < series.length; i++) out[i - 1] = series[i]! / series[i - 1]! - 1;
  return out;
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return values.length === 0 ? 0 : sum / values.length;
}

function sampleStdev(values: ArrayLike<number>): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i]! - m) ** 2;
  return Math.sqrt(sum / (values.length - 1));
}

/** Root mean square of the negative returns (positive ones count as 0), for the Sortino ratio. */
function downsideDeviation(returns: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < returns.length; i++) sum += Math.min(returns[i]!, 0) ** 2;
  return Math.sqrt(returns.length === 0 ? 0 : sum / returns.length);
}

function cagrOf(totalReturn: number, sessions: number): number {
  const years = (sessions - 1) / SESSIONS_PER_YEAR;
  return years > 0 ? (1 + totalReturn) ** (1 / years) - 1 : 0;
}

function trailing(equity: Float64Array, sessions: number): number | null {
  const n = equity.length;
  return n > sessions ? equity[n - 1]! / equity[n - 1 - sessions]! - 1 : null;
}

/** Statistics of an equity curve (at least one session). */
export function computeMetrics(input: MetricInputs): Metrics {
  const { equity, dates } = input;
  const n = equity.length;
  const returns = dailyReturns(equity);
  const totalReturn = equity[n - 1]! / equity[0]! - 1;
  const cagr = cagrOf(totalReturn, n);
  const sd = sampleStdev(returns);
  const volatility = sd * Math.sqrt(SESSIONS_PER_YEAR);
  const m = mean(returns);
  const downside = downsideDeviation(returns);
  let peak = equity[0]!;
  let maxDrawdown = 0;
  let underwater = 0;
  let maxDrawdownDuration = 0;
  for (let i = 0; i < n; i++) {
    const v = equity[i]!;
    if (v >= peak) {
      peak = v;
      underwater = 0;
    } else {
      underwater++;
      maxDrawdownDuration = Math.max(maxDrawdownDuration, underwater);
      maxDrawdown = Math.max(maxDrawdown, (peak - v) / peak);
    }
  }
  // The first best (worst) return wins ties, as a strict comparison keeps the earliest.
  let best = -1;
  let worst = -1;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!;
    if (best === -1 || r > returns[best]!) best = i;
    if (worst === -1 || r < returns[worst]!) worst = i;
  }
  const years = Math.max((n - 1) / SESSIONS_PER_YEAR, 1 / SESSIONS_PER_YEAR);
  const averageEquity = mean(equity);
  return {
    totalReturn,
    cagr,
    volatility,
    sharpe: sd > 0 ? (m / sd) * Math.sqrt(SESSIONS_PER_YEAR) : null,
    sortino: downside > 0 ? (m / downside) * Math.sqrt(SESSIONS_PER_YEAR) : null,
    calmar: maxDrawdown > 0 ? cagr / maxDrawdown : null,
    maxDrawdown,
    maxDrawdownDuration,
    trailing1M: trailing(equity, 21),
    trailing3M: trailing(equity, 63),
    trailing1Y: trailing(equity, 252),
    bestDay: best === -1 ? null : { date: dates[best + 1]!, return: returns[best]! },
    worstDay: worst === -1 ? null : { date: dates[worst + 1]!, return: returns[worst]! },
    turnover: averageEquity > 0 ? input.tradedNotional / 2 / averageEquity / years : 0,
    trades: input.trades,
    feesPaid: input.feesPaid,
    slippagePaid: input.slippagePaid,
    benchmark: input.benchmark === null ? null : benchmarkMetrics(input.benchmark.ticker, input.benchmark.close, returns),
  };
}

function benchmarkMetrics(ticker: string, close: Float64Array, returns: Float64Array): BenchmarkMetrics {
  const b = dailyReturns(close);
  const totalReturn = close[close.length - 1]! / close[0]! - 1;
  const mr = mean(returns);
  const mb = mean(b);
  let cov = 0;
  let varB = 0;
  let varR = 0;
  for (let i = 0; i < b.length; i++) {
    cov += (returns[i]! - mr) * (b[i]! - mb);
    varB += (b[i]! - mb) ** 2;
    varR += (returns[i]! - mr) ** 2;
  }
  const beta = varB > 0 ? cov / varB : null;
  const correlation = varB > 0 && varR > 0 ? cov / Math.sqrt(varB * varR) : null;
  return {
    ticker,
    totalReturn,
    cagr: cagrOf(totalReturn, close.length),
    alpha: beta === null ? null : (mr - beta * mb) * SESSIONS_PER_YEAR,
    beta,
    r2: correlation === null ? null : correlation ** 2,
    correlation,
  };
}
