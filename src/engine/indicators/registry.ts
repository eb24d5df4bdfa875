/**
 * The engine side of the indicator registry: one kernel per `IndicatorName`. The
 * `Record<IndicatorName, Kernel>` type makes a new entry in `src/ir/indicators.ts` fail to
 * compile until it has a kernel here.
 */
import type { IndicatorName } from "../../ir/indicators.js";
import { cumulativeReturn, ema, maReturn, maxDrawdown, price, rsi, sma, stdevPrice, stdevReturn } from "./kernels.js";

/**
 * An indicator kernel: from adjusted closes (or a NAV series) aligned to the calendar, possibly
 * starting with NaN, to the indicator's value at every bar (same length; NaN while undefined).
 * Pure: the input is never modified and the result is a fresh array.
 */
export type Kernel = (close: Float64Array, window: number) => Float64Array;

/** The kernel of every registry indicator, keyed by its `.strat` name. */
export const KERNELS: Record<IndicatorName, Kernel> = {
  price,
  sma,
  ema,
  rsi,
  cumulative_return: cumulativeReturn,
  ma_return: maReturn,
  stdev_return: stdevReturn,
  stdev_price: stdevPrice,
  max_drawdown: maxDrawdown,
};

/**
 * The series of indicator `name` with window `window` over `close` (see `Kernel`). `window` is
 * ignored by `price`; for the others it must be an integer ≥ 1 (RangeError otherwise).
 * Units per SEMANTICS.md §2: price-unit indicators in the series' currency, percent-unit ones
 * as fractions (0.05 = 5 %), RSI as 0–100.
 */
export function computeIndicator(name: IndicatorName, close: Float64Array, window: number): Float64Array {
  return KERNELS[name](close, window);
}
