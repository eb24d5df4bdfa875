/**
 * Price-level kernels: `price`, `sma`, `ema` (SEMANTICS.md §2). Inputs and outputs are prices in
 * the series' currency; see `common.ts` for the input contract (NaN prefix, then positive closes).
 */
import { checkWindow, firstDefined, outputWithPrefix, rollingMean } from "./common.js";

/**
 * `price(T)`: `P_t`, the adjusted close of bar t. Needs 1 bar. Returns a copy (kernels never
 * hand out their input), NaN over the undefined prefix. The window is ignored.
 */
export function price(close: Float64Array, _window?: number): Float64Array {
  return close.slice();
}

/**
 * `sma(T, N)`: mean of the last N closes. Needs N bars: defined from index first + N − 1,
 * where `first` is the first non-NaN close. Price unit.
 */
export function sma(close: Float64Array, window: number): Float64Array {
  checkWindow("sma", window);
  const first = firstDefined(close);
  const out = outputWithPrefix(close.length, first + window - 1);
  rollingMean(close, first, window, out);
  return out;
}

/**
 * `ema(T, N)`: exponential moving average with `α = 2/(N+1)`, seeded at bar first + N − 1 with
 * the SMA of the first N closes, then `E_t = α·P_t + (1 − α)·E_(t−1)` over all later history.
 * Needs N bars. Price unit.
 *
 * Why the SMA seed and the whole history: the value then depends only on the bars, never on
 * where a caller happened to start reading, so backtest and live agree (SEMANTICS.md §2).
 */
export function ema(close: Float64Array, window: number): Float64Array {
  checkWindow("ema", window);
  const n = close.length;
  const first = firstDefined(close);
  const seedAt = first + window - 1;
  const out = outputWithPrefix(n, seedAt);
  if (seedAt >= n) return out;
  let sum = 0;
  for (let i = first; i <= seedAt; i++) sum += close[i]!;
  let e = sum / window;
  out[seedAt] = e;
  const alpha = 2 / (window + 1);
  const keep = 1 - alpha;
  for (let i = seedAt + 1; i < n; i++) {
    e = alpha * close[i]! + keep * e;
    out[i] = e;
  }
  return out;
}
