/**
 * Return and risk kernels: `cumulative_return`, `ma_return`, `stdev_return`, `stdev_price`,
 * `max_drawdown` (SEMANTICS.md §2). Percent quantities are fractions (5 % is 0.05); see
 * `common.ts` for the input contract (NaN prefix, then positive closes).
 */
import { checkWindow, dailyReturns, firstDefined, outputWithPrefix, rollingMean, rollingStdev } from "./common.js";

/**
 * `cumulative_return(T, N)`: `P_t / P_(t−N) − 1`, a fraction. Needs N + 1 bars (defined from
 * index first + N).
 */
export function cumulativeReturn(close: Float64Array, window: number): Float64Array {
  checkWindow("cumulative_return", window);
  const n = close.length;
  const first = firstDefined(close);
  const out = outputWithPrefix(n, first + window);
  for (let i = first + window; i < n; i++) out[i] = close[i]! / close[i - window]! - 1;
  return out;
}

/**
 * `ma_return(T, N)`: arithmetic mean of the last N daily returns `r_i = P_i / P_(i−1) − 1`, a
 * fraction. Needs N + 1 bars (defined from index first + N).
 */
export function maReturn(close: Float64Array, window: number): Float64Array {
  checkWindow("ma_return", window);
  const n = close.length;
  const first = firstDefined(close);
  const out = outputWithPrefix(n, first + window);
  if (first + window < n) rollingMean(dailyReturns(close, first), first + 1, window, out);
  return out;
}

/**
 * `stdev_return(T, N)`: POPULATION standard deviation (divide by N) of the last N daily returns,
 * a fraction per day, NOT annualised. Needs N + 1 bars (defined from index first + N).
 */
export function stdevReturn(close: Float64Array, window: number): Float64Array {
  checkWindow("stdev_return", window);
  const n = close.length;
  const first = firstDefined(close);
  const out = outputWithPrefix(n, first + window);
  if (first + window < n) rollingStdev(dailyReturns(close, first), first + 1, window, out);
  return out;
}

/**
 * `stdev_price(T, N)`: POPULATION standard deviation (divide by N) of the last N closes, in
 * price units. Needs N bars (defined from index first + N − 1).
 */
export function stdevPrice(close: Float64Array, window: number): Float64Array {
  checkWindow("stdev_price", window);
  const first = firstDefined(close);
  const out = outputWithPrefix(close.length, first + window - 1);
  rollingStdev(close, first, window, out);
  return out;
}

/**
 * `max_drawdown(T, N)`: over the window of the last N closes `P_s … P_t` (s = t − N + 1), the
 * largest `(peak_j − P_j) / peak_j` where `peak_j = max(P_s … P_j)` is the running peak inside
 * the window. A non-negative fraction (0.2 is a 20 % drawdown; 0 when the window never falls
 * below its running peak). Needs N bars (defined from index first + N − 1).
 *
 * Algorithm, O(n) for any N: the drawdown of a range is a monoid over (max, min, drawdown),
 * `A·B = (max(A.max, B.max), min(A.min, B.min), max(A.dd, B.dd, (A.max − B.min)/A.max))`.
 * The series is cut into blocks of N bars starting at `first`; every window is either a whole
 * block or the suffix of one block followed by the prefix of the next, so one right-to-left pass
 * (suffix aggregates) and one left-to-right pass (prefix aggregates) answer every window with a
 * single combination (the van Herk/Gil-Werman idea, for a non-commutative monoid).
 */
export function maxDrawdown(close: Float64Array, window: number): Float64Array {
  checkWindow("max_drawdown", window);
  const n = close.length;
  const first = firstDefined(close);
  const start = first + window - 1;
  const out = outputWithPrefix(n, start);
  if (start >= n) return out;
  if (window === 1) return out; // one close has no drawdown: zeros from `start` on

  // Suffix aggregates within each block: max and drawdown of close[k .. end of k's block].
  const sufMax = new Float64Array(n);
  const sufDd = new Float64Array(n);
  // Prefix aggregates within each block: min and drawdown of close[start of i's block .. i].
  const preMin = new Float64Array(n);
  const preDd = new Float64Array(n);

  for (let blockStart = first; blockStart < n; blockStart += window) {
    const blockEnd = Math.min(blockStart + window, n) - 1;
    // Right to left: prepending P to aggregate S gives dd = max(S.dd, (P − S.min)/P).
    let max = close[blockEnd]!;
    let min = max;
    let dd = 0;
    sufMax[blockEnd] = max;
    sufDd[blockEnd] = 0;
    for (let k = blockEnd - 1; k >= blockStart; k--) {
      const p = close[k]!;
      const fall = (p - min) / p;
      if (fall > dd) dd = fall;
      if (p > max) max = p;
      if (p < min) min = p;
      sufMax[k] = max;
      sufDd[k] = dd;
    }
    // Left to right: the ordinary running-peak drawdown.
    let peak = close[blockStart]!;
    min = peak;
    dd = 0;
    preMin[blockStart] = min;
    preDd[blockStart] = 0;
    for (let i = blockStart + 1; i <= blockEnd; i++) {
      const p = close[i]!;
      if (p > peak) peak = p;
      const fall = (peak - p) / peak;
      if (fall > dd) dd = fall;
      if (p < min) min = p;
      preMin[i] = min;
      preDd[i] = dd;
    }
  }

  for (let i = start; i < n; i++) {
    const s = i - window + 1;
    if ((s - first) % window === 0) {
      out[i] = preDd[i]!; // the window is exactly one block
    } else {
      // Suffix of s's block, then prefix of i's block (the next one).
      const peak = sufMax[s]!;
      const cross = (peak - preMin[i]!) / peak;
      out[i] = Math.max(sufDd[s]!, preDd[i]!, cross, 0);
    }
  }
  return out;
}
