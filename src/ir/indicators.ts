/**
 * The indicator registry's vocabulary: names, Composer aliases, arity, unit, look-back and the
 * formula as documented in SEMANTICS.md §2. The checker, `strat docs`, the editor's hover and
 * completion read this table; the engine keys its kernels by `IndicatorName`, so a new entry
 * here does not compile until it has a kernel.
 */

/** Units of values in expressions. `score` is a 0–100 oscillator such as RSI. */
export type Unit = "price" | "percent" | "score" | "number" | "bool";

export interface IndicatorSpec {
  name: string;
  composer: string;
  unit: Exclude<Unit, "bool">;
  /** True when the indicator takes a window argument. */
  windowed: boolean;
  /** Bars of history needed for the first defined value, given the window N. */
  barsNeeded: (window: number) => number;
  signature: string;
  formula: string;
}

export const INDICATORS = {
  price: {
    name: "price",
    composer: "current-price",
    unit: "price",
    windowed: false,
    barsNeeded: () => 1,
    signature: "price(T)",
    formula: "P_t, the adjusted close of the bar being decided",
  },
  sma: {
    name: "sma",
    composer: "moving-average-price",
    unit: "price",
    windowed: true,
    barsNeeded: (n) => n,
    signature: "sma(T, N)",
    formula: "mean of the last N adjusted closes",
  },
  ema: {
    name: "ema",
    composer: "exponential-moving-average-price",
    unit: "price",
    windowed: true,
    barsNeeded: (n) => n,
    signature: "ema(T, N)",
    formula: "α = 2/(N+1), seeded with the SMA of the first N closes, recursive over all history",
  },
  rsi: {
    name: "rsi",
    composer: "rsi",
    unit: "score",
    windowed: true,
    barsNeeded: (n) => n + 1,
    signature: "rsi(T, N)",
    formula:
      "Wilder RSI: first averages are the simple mean of the first N gains/losses, then avg = (prev·(N−1) + x)/N; RSI = 100 − 100/(1 + gain/loss); loss 0 and gain > 0 → 100; both 0 → 50",
  },
  cumulative_return: {
    name: "cumulative_return",
    composer: "cumulative-return",
    unit: "percent",
    windowed: true,
    barsNeeded: (n) => n + 1,
    signature: "cumulative_return(T, N)",
    formula: "P_t / P_(t−N) − 1",
  },
  ma_return: {
    name: "ma_return",
    composer: "moving-average-return",
    unit: "percent",
    windowed: true,
    barsNeeded: (n) => n + 1,
    signature: "ma_return(T, N)",
    formula: "mean of the last N daily returns r_i = P_i / P_(i−1) − 1",
  },
  stdev_return: {
    name: "stdev_return",
    composer: "stdev-return",
    unit: "percent",
    windowed: true,
    barsNeeded: (n) => n + 1,
    signature: "stdev_return(T, N)",
    formula: "population standard deviation of the last N daily returns, not annualised",
  },
  stdev_price: {
    name: "stdev_price",
    composer: "stdev-price",
    unit: "price",
    windowed: true,
    barsNeeded: (n) => n,
    signature: "stdev_price(T, N)",
    formula: "population standard deviation of the last N closes",
  },
  max_drawdown: {
    name: "max_drawdown",
    composer: "max-drawdown",
    unit: "percent",
    windowed: true,
    barsNeeded: (n) => n,
    signature: "max_drawdown(T, N)",
    formula: "over the last N closes, the largest (running peak − P) / running peak, a positive number",
  },
} as const satisfies Record<string, IndicatorSpec>;

export type IndicatorName = keyof typeof INDICATORS;

const BY_COMPOSER = new Map<string, IndicatorName>(
  Object.values(INDICATORS).map((spec) => [spec.composer, spec.name as IndicatorName]),
);

/** The registry entry for a `.strat` name, or undefined. */
export function indicatorByName(name: string): IndicatorSpec | undefined {
  return Object.prototype.hasOwnProperty.call(INDICATORS, name) ? INDICATORS[name as IndicatorName] : undefined;
}

/** The `.strat` name for a Composer indicator name, or undefined. */
export function indicatorByComposerName(composer: string): IndicatorName | undefined {
  return BY_COMPOSER.get(composer);
}

/** All `.strat` indicator names, in registry order. */
export const INDICATOR_NAMES = Object.keys(INDICATORS) as IndicatorName[];
