/**
 * The indicator kernels, one pure function per indicator of SEMANTICS.md §2:
 * `(close, window) → series` of the same length, where `series[i]` is the indicator at bar i
 * using bars up to and including i, NaN while undefined (the input's NaN prefix, then the first
 * `barsNeeded(N) − 1` defined bars; see `src/ir/indicators.ts`). Columnar over Float64Array,
 * a single pass per kernel, no allocation per bar. Units: prices in the series' currency,
 * percents as fractions (0.05 = 5 %), RSI as a 0–100 score.
 *
 * The implementations live in small files by family; this module is the one import point.
 */
export { price, sma, ema } from "./averages.js";
export { rsi } from "./rsi.js";
export { cumulativeReturn, maReturn, stdevReturn, stdevPrice, maxDrawdown } from "./returns.js";
export { firstDefined } from "./common.js";
