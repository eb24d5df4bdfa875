/**
 * The indicator kernels against (1) a naive reference written straight from SEMANTICS.md §2,
 * on random series (fast-check), (2) the `trading-signals` library for SMA/EMA/RSI, (3) numbers
 * worked out by hand, and (4) a naive recomputation at the end of a 20,000-bar series (drift).
 */
import fc from "fast-check";
import { EMA, RSI, SMA } from "trading-signals";
import { describe, expect, it } from "vitest";
import { computeIndicator, KERNELS } from "../../src/engine/indicators/registry.js";
import { mulberry32 } from "../../src/optimize/rng.js";
import { INDICATOR_NAMES, INDICATORS, type IndicatorName } from "../../src/ir/indicators.js";

// ---------------------------------------------------------------------------------------------
// Naive reference: per bar, recompute the indicator from scratch over the defined history, the
// way SEMANTICS.md §2 states it. Quadratic and obviously correct; EMA and RSI are the direct
// recursions from their seeds.

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Population standard deviation, two-pass. */
function popStdev(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) * (x - m), 0) / xs.length);
}

/** Daily returns r_k = P_k / P_(k−1) − 1 for k in [from, to]. */
function returns(p: number[], from: number, to: number): number[] {
  const r: number[] = [];
  for (let k = from; k <= to; k++) r.push(p[k]! / p[k - 1]! - 1);
  return r;
}

/** The indicator at defined-history index t (p[0] is the first defined close), or NaN. */
function naiveAt(name: IndicatorName, p: number[], t: number, n: number): number {
  switch (name) {
    case "price":
      return p[t]!;
    case "sma":
      return t + 1 < n ? NaN : mean(p.slice(t - n + 1, t + 1));
    case "ema": {
      if (t + 1 < n) return NaN;
      const alpha = 2 / (n + 1);
      let e = mean(p.slice(0, n));
      for (let k = n; k <= t; k++) e = alpha * p[k]! + (1 - alpha) * e;
      return e;
    }
    case "rsi": {
      if (t < n) return NaN;
      const d = (k: number): number => p[k]! - p[k - 1]!;
      let gain = 0;
      let loss = 0;
      for (let k = 1; k <= n; k++) {
        gain += Math.max(d(k), 0);
        loss += Math.max(-d(k), 0);
      }
      gain /= n;
      loss /= n;
      for (let k = n + 1; k <= t; k++) {
        gain = (gain * (n - 1) + Math.max(d(k), 0)) / n;
        loss = (loss * (n - 1) + Math.max(-d(k), 0)) / n;
      }
      if (loss === 0) return gain > 0 ? 100 : 50;
      return 100 - 100 / (1 + gain / loss);
    }
    case "cumulative_return":
      return t < n ? NaN : p[t]! / p[t - n]! - 1;
    case "ma_return":
      return t < n ? NaN : mean(returns(p, t - n + 1, t));
    case "stdev_return":
      return t < n ? NaN : popStdev(returns(p, t - n + 1, t));
    case "stdev_price":
      return t + 1 < n ? NaN : popStdev(p.slice(t - n + 1, t + 1));
    case "max_drawdown": {
      if (t + 1 < n) return NaN;
      let peak = -Infinity;
      let worst = 0;
      for (let k = t - n + 1; k <= t; k++) {
        peak = Math.max(peak, p[k]!);
        worst = Math.max(worst, (peak - p[k]!) / peak);
      }
      return worst;
    }
  }
}

function naive(name: IndicatorName, close: Float64Array, n: number): Float64Array {
  const out = new Float64Array(close.length).fill(NaN);
  const first = close.findIndex((x) => !Number.isNaN(x));
  if (first < 0) return out;
  const p = Array.from(close.subarray(first));
  for (let t = 0; t < p.length; t++) out[first + t] = naiveAt(name, p, t, n);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Comparison

/**
 * Absolute tolerance per unit, for values near 0 where a relative bound means nothing: price
 * quantities scale with the price level (the naive two-pass stdev of a flat window is ~1e-16 of
 * the price, not 0), fractions are O(1), RSI is 0–100.
 */
function absTolerance(name: IndicatorName, close: Float64Array): number {
  const unit = INDICATORS[name].unit;
  if (unit === "price") return 1e-12 * close.reduce((m, x) => (Number.isNaN(x) ? m : Math.max(m, Math.abs(x))), 1);
  if (unit === "score") return 1e-10;
  return 1e-12;
}

/** Null when equal (same NaN positions, values within rel·|expected| + abs), else the first difference. */
function difference(actual: Float64Array, expected: ArrayLike<number>, abs: number, rel = 1e-9): string | null {
  if (actual.length !== expected.length) return `length ${actual.length}, want ${expected.length}`;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(a) || Number.isNaN(e)) {
      if (Number.isNaN(a) !== Number.isNaN(e)) return `index ${i}: got ${a}, want ${e}`;
      continue;
    }
    if (!(Math.abs(a - e) <= rel * Math.abs(e) + abs)) return `index ${i}: got ${a}, want ${e} (diff ${a - e})`;
  }
  return null;
}

function expectSeries(actual: Float64Array, expected: ArrayLike<number>, abs = 1e-12, rel = 1e-9): void {
  expect(difference(actual, expected, abs, rel)).toBeNull();
}

function withPrefix(prefix: number, prices: number[]): Float64Array {
  return Float64Array.from([...Array<number>(prefix).fill(NaN), ...prices]);
}


/** A geometric random walk: `length` closes from `start`, daily volatility `vol(i)`. */
function randomWalk(seed: number, length: number, start: number, vol: (i: number) => number): number[] {
  const next = mulberry32(seed);
  const out: number[] = [];
  let p = start;
  for (let i = 0; i < length; i++) {
    out.push(p);
    // Sum of 4 uniforms: a cheap, bounded bell shape; mean 0, stdev 1.
    const z = (next() + next() + next() + next() - 2) * Math.sqrt(3);
    p *= Math.exp(vol(i) * z);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Random series for the properties: smooth walks with flat runs, wild positive noise (huge
// returns), and a few price levels (ties, flat windows, RSI's zero-loss cases).

const walk = fc
  .tuple(
    fc.double({ min: 1, max: 1000, noNaN: true }),
    fc.array(fc.oneof(fc.constant(0), fc.double({ min: -0.2, max: 0.2, noNaN: true })), { maxLength: 399 }),
  )
  .map(([start, steps]) => {
    const out = [start];
    for (const s of steps) out.push(out[out.length - 1]! * Math.exp(s));
    return out;
  });
const noisy = fc.array(fc.double({ min: 0.01, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 400 });
const levels = fc.array(
  fc.constantFrom(10, 10.5, 11, 12),
  { minLength: 1, maxLength: 400 },
);

const cases = fc.record({
  prices: fc.oneof(walk, noisy, levels),
  prefix: fc.integer({ min: 0, max: 50 }),
  window: fc.integer({ min: 1, max: 60 }),
});

describe("indicator kernels equal the naive SEMANTICS.md reference", () => {
  for (const name of INDICATOR_NAMES) {
    it(name, () => {
      fc.assert(
        fc.property(cases, ({ prices, prefix, window }) => {
          const close = withPrefix(prefix, prices);
          const before = close.slice();
          const got = computeIndicator(name, close, window);
          expect(close).toEqual(before); // kernels are pure
          expect(difference(got, naive(name, close, window), absTolerance(name, close))).toBeNull();
          // Defined exactly from firstDefined + barsNeeded(N) − 1 on.
          const firstOut = prefix + INDICATORS[name].barsNeeded(window) - 1;
          for (let i = 0; i < got.length; i++) expect(Number.isNaN(got[i]!)).toBe(i < firstOut);
        }),
        { numRuns: 300 },
      );
    });
  }
});

// ---------------------------------------------------------------------------------------------

describe("registry", () => {
  it("has a kernel for every indicator name, and nothing else", () => {
    expect(Object.keys(KERNELS).sort()).toEqual([...INDICATOR_NAMES].sort());
  });

  it("rejects windows that are not integers >= 1 (price ignores its window)", () => {
    const close = Float64Array.from([1, 2, 3]);
    for (const name of INDICATOR_NAMES) {
      if (!INDICATORS[name].windowed) {
        expectSeries(computeIndicator(name, close, 0), close);
        continue;
      }
      for (const bad of [0, -1, 2.5, NaN, Infinity]) expect(() => computeIndicator(name, close, bad)).toThrow(RangeError);
    }
  });

  it("gives all-NaN series for empty, all-NaN and too-short inputs", () => {
    for (const name of INDICATOR_NAMES) {
      expect(computeIndicator(name, new Float64Array(0), 3)).toEqual(new Float64Array(0));
      expect(Array.from(computeIndicator(name, withPrefix(4, []), 3)).every(Number.isNaN)).toBe(true);
      const short = withPrefix(2, [1, 2]);
      const got = Array.from(computeIndicator(name, short, 3));
      expect(got.every(Number.isNaN)).toBe(name !== "price");
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-computed: closes 10, 11, 10.5, 12, 11 (changes +1, −0.5, +1.5, −1; returns 1/10, −1/22,
// 1/7, −1/12), after a NaN prefix of 2 to check the shift.

describe("hand-computed values", () => {
  const P = [10, 11, 10.5, 12, 11];
  const close = withPrefix(2, P);
  const at = (values: number[]): number[] => [NaN, NaN, ...values];
  const u = NaN;

  it("price", () => expectSeries(computeIndicator("price", close, 3), at(P)));

  it("sma", () => {
    expectSeries(computeIndicator("sma", close, 2), at([u, 10.5, 10.75, 11.25, 11.5]));
    expectSeries(computeIndicator("sma", close, 3), at([u, u, 10.5, 33.5 / 3, 33.5 / 3]));
  });

  it("ema: α = 0.5 for N = 3, seeded with the SMA of the first 3 closes", () => {
    // seed (10 + 11 + 10.5)/3 = 10.5; then 0.5·12 + 0.5·10.5 = 11.25; 0.5·11 + 0.5·11.25 = 11.125
    expectSeries(computeIndicator("ema", close, 3), at([u, u, 10.5, 11.25, 11.125]));
  });

  it("rsi: Wilder with N = 2", () => {
    // first averages over changes +1, −0.5: gain 0.5, loss 0.25 → RS 2 → 66.67
    // then gain (0.5 + 1.5)/2 = 1, loss (0.25 + 0)/2 = 0.125 → RS 8 → 88.89
    // then gain (1 + 0)/2 = 0.5, loss (0.125 + 1)/2 = 0.5625 → RS 8/9 → 800/17 = 47.06
    expectSeries(computeIndicator("rsi", close, 2), at([u, u, 100 - 100 / 3, 100 - 100 / 9, 800 / 17]));
  });

  it("cumulative_return (a fraction)", () => {
    expectSeries(computeIndicator("cumulative_return", close, 2), at([u, u, 0.05, 1 / 11, 1 / 21]));
    expectSeries(computeIndicator("cumulative_return", close, 1), at([u, 0.1, -1 / 22, 1 / 7, -1 / 12]));
  });

  it("ma_return", () => {
    // (1/10 − 1/22)/2 = 3/110; (−1/22 + 1/7)/2 = 15/308; (1/7 − 1/12)/2 = 5/168
    expectSeries(computeIndicator("ma_return", close, 2), at([u, u, 3 / 110, 15 / 308, 5 / 168]));
  });

  it("stdev_return: population, so |a − b|/2 for two returns", () => {
    // (1/10 + 1/22)/2 = 4/55; (1/7 + 1/22)/2 = 29/308; (1/7 + 1/12)/2 = 19/168
    expectSeries(computeIndicator("stdev_return", close, 2), at([u, u, 4 / 55, 29 / 308, 19 / 168]));
  });

  it("stdev_price: population", () => {
    // {10, 11, 10.5}: deviations ∓0.5, 0 → var 1/6; {11, 10.5, 12} and {10.5, 12, 11}: var 7/18
    expectSeries(
      computeIndicator("stdev_price", close, 3),
      at([u, u, Math.sqrt(1 / 6), Math.sqrt(7 / 18), Math.sqrt(7 / 18)]),
    );
    expectSeries(computeIndicator("stdev_price", close, 1), at([0, 0, 0, 0, 0]));
  });

  it("max_drawdown: running peak inside the window only", () => {
    expectSeries(computeIndicator("max_drawdown", close, 2), at([u, 0, 1 / 22, 0, 1 / 12]));
    expectSeries(computeIndicator("max_drawdown", close, 3), at([u, u, 1 / 22, 1 / 22, 1 / 12]));
    // The peak before the window does not count: [12, 11] alone is 1/12, not (12 − 10.5)/12.
    expectSeries(computeIndicator("max_drawdown", close, 5), at([u, u, u, u, 1 / 12]));
    expectSeries(computeIndicator("max_drawdown", withPrefix(0, [10, 8, 9, 6, 12, 9]), 6), [u, u, u, u, u, 0.4]);
  });

  it("rsi edge cases: all gains → 100, flat → 50, all losses → 0, gains then flat → 100", () => {
    expectSeries(computeIndicator("rsi", withPrefix(1, [1, 2, 3, 4, 5]), 2), [u, u, u, 100, 100, 100]);
    expectSeries(computeIndicator("rsi", withPrefix(0, [5, 5, 5, 5]), 2), [u, u, 50, 50]);
    expectSeries(computeIndicator("rsi", withPrefix(0, [5, 4, 3, 2]), 2), [u, u, 0, 0]);
    expectSeries(computeIndicator("rsi", withPrefix(0, [1, 2, 2, 2, 2]), 2), [u, u, 100, 100, 100]);
    // A flat window after losses is not neutral: the Wilder average loss is still positive.
    const after = computeIndicator("rsi", withPrefix(0, [5, 4, 4, 4]), 2);
    expect(after[3]).toBe(0);
  });

  it("flat windows give a standard deviation of exactly 0, even after a volatile spell", () => {
    const prices = [...randomWalk(7, 300, 4321.5, () => 0.05), ...Array<number>(100).fill(1234.56)];
    for (const n of [1, 5, 20, 60]) {
      expect(computeIndicator("stdev_price", withPrefix(3, prices), n).at(-1)).toBe(0);
      expect(computeIndicator("stdev_return", withPrefix(3, prices), n).at(-1)).toBe(0);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// trading-signals 8.3.0 as an independent implementation.
//
// - SMA: same definition.
// - EMA: the library seeds with the FIRST PRICE (E_0 = P_0, then α·P + (1 − α)·E) and merely
//   withholds "stability" for N − 1 bars; we seed with the SMA of the first N closes. So (a) the
//   library fed our seed (its own SMA of the first N closes) as its first input must agree from
//   bar N − 1 on, and (b) the unmodified library converges to us once (1 − α)^k has erased the
//   seed difference, which we check from there on.
// - RSI: the library's default smoothing (WSMA) is Wilder's: SMA of the first N changes, then
//   prev + (x − prev)/N, the same as ours up to rounding. It differs by definition on a
//   zero-loss window with zero gain (flat prices): it reports 100 where SEMANTICS.md says 50;
//   and with N = 1 it never produces a value (it keeps only N previous prices). We compare N ≥ 2
//   on series that are never flat, and pin the flat-case difference below.

const WALK_3000 = randomWalk(20240601, 3000, 100, () => 0.015);
const FIXED: Record<string, number[]> = {
  tiny: [10, 11, 10.5, 12, 11],
  zigzag: Array.from({ length: 60 }, (_, i) => 50 + 5 * Math.sin(i / 3) + (i % 4) * 0.7),
  walk3000: WALK_3000,
};
const LIB_WINDOWS = [2, 3, 5, 14, 50, 200];

function defined(series: Float64Array, from: number): number[] {
  return Array.from(series.subarray(from));
}

describe("agreement with trading-signals 8.3.0", () => {
  for (const [label, prices] of Object.entries(FIXED)) {
    const close = Float64Array.from(prices);
    const windows = LIB_WINDOWS.filter((n) => n < prices.length);

    it(`SMA on ${label}`, () => {
      for (const n of windows) {
        const lib = new SMA(n);
        const expected = prices.map((p) => lib.add(p) ?? NaN);
        expectSeries(computeIndicator("sma", close, n), expected);
      }
    });

    it(`EMA on ${label}, the library seeded with the SMA of the first N closes`, () => {
      for (const n of windows) {
        const seed = new SMA(n).updates(prices.slice(0, n)).at(-1) ?? NaN;
        const lib = new EMA(n);
        const expected = prices.map((p, i) => (i < n - 1 ? NaN : (lib.add(i === n - 1 ? seed : p) ?? NaN)));
        expectSeries(computeIndicator("ema", close, n), expected);
      }
    });

    it(`EMA on ${label}, the unmodified library once its first-price seed has decayed`, () => {
      let compared = 0;
      for (const n of windows) {
        const lib = new EMA(n);
        const expected = prices.map((p) => lib.add(p) ?? NaN);
        // Both recursions apply the same contraction to their seed difference (< max price).
        const k = Math.ceil(Math.log(1e-11) / Math.log(1 - 2 / (n + 1)));
        const from = n - 1 + k;
        if (from >= prices.length) continue;
        compared++;
        expectSeries(Float64Array.from(defined(computeIndicator("ema", close, n), from)), expected.slice(from), 0, 1e-9);
      }
      if (label === "walk3000") expect(compared).toBe(windows.length);
    });

    it(`RSI on ${label}`, () => {
      for (const n of windows) {
        const lib = new RSI(n);
        const expected = prices.map((p) => lib.add(p) ?? NaN);
        expectSeries(computeIndicator("rsi", close, n), expected, 1e-10);
      }
    });
  }

  it("RSI differs by definition on a flat series: the library says 100, SEMANTICS.md says 50", () => {
    const flat = [7, 7, 7, 7, 7];
    const lib = new RSI(2);
    expect(flat.map((p) => lib.add(p)).at(-1)).toBe(100);
    expect(computeIndicator("rsi", Float64Array.from(flat), 2).at(-1)).toBe(50);
  });
});

// ---------------------------------------------------------------------------------------------
// Drift: the rolling statistics must not wander over long series. Regimes are chosen to hurt a
// plain running sum: a volatile spell at a high price level, a crash, then a calm spell.

describe("no drift over 20,000 bars", () => {
  const prices = randomWalk(99, 20_000, 5000, (i) => (i < 8000 ? 0.04 : i < 8050 ? 0.2 : 0.002));
  const close = withPrefix(17, prices);
  const level = Math.max(...prices);

  for (const name of ["sma", "ma_return", "stdev_return", "stdev_price", "ema", "rsi", "max_drawdown"] as const) {
    it(name, () => {
      for (const n of [5, 21, 252]) {
        const got = computeIndicator(name, close, n);
        const p = prices;
        // The naive value at a few indexes, the last one included.
        for (const t of [7999, 8049, 8060, 12_345, p.length - 1]) {
          const want = naiveAt(name, p, t, n);
          const tol = INDICATORS[name].unit === "price" ? 1e-12 * level : 1e-12;
          const a = got[17 + t]!;
          expect(Math.abs(a - want), `${name}(${n}) at ${t}: ${a} vs ${want}`).toBeLessThanOrEqual(1e-9 * Math.abs(want) + tol);
        }
      }
    });
  }

  it("a huge return leaves no rounding residue once it is out of the window (ma_return, stdev_return)", () => {
    // ×100,000 in a day, then a calm walk: a plain `+ new − old` running sum keeps ~1e-11 of
    // the jump forever, which is more than the whole mean of the calm returns.
    const prices = [...randomWalk(5, 50, 0.05, () => 0.01), ...randomWalk(6, 400, 5000, () => 0.001)];
    const close = Float64Array.from(prices);
    for (const name of ["ma_return", "stdev_return"] as const) {
      for (const n of [3, 10]) {
        expect(difference(computeIndicator(name, close, n), naive(name, close, n), 1e-15)).toBeNull();
      }
    }
  });
});
