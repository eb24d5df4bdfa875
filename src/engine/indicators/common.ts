/**
 * Shared plumbing of the indicator kernels: the input contract, the undefined prefix, window
 * validation and the two rolling window statistics (mean, population standard deviation) that
 * several indicators are built on.
 *
 * Input contract of every kernel (SEMANTICS.md §1–2): `close` holds positive, split- and
 * dividend-adjusted closes (or a node's NAV) aligned to the calendar. It may start with a run of
 * NaN (a ticker listed later, a NAV that starts later): the first non-NaN index is the start of
 * that series' history. After it the kernels ASSUME no NaN and no non-positive value (the data
 * layer reports gaps and non-positive prices as errors before evaluation); if one slips through
 * it propagates into the outputs that read it instead of being patched over.
 */

/** Index of the first defined (non-NaN) value, or `values.length` when there is none. */
export function firstDefined(values: Float64Array): number {
  let i = 0;
  while (i < values.length && Number.isNaN(values[i]!)) i++;
  return i;
}

/**
 * Throws a RangeError unless `window` is an integer ≥ 1. The checker already rejects bad
 * windows in strategies; this guards direct callers so a typo cannot become a silent NaN series.
 */
export function checkWindow(indicator: string, window: number): void {
  if (!Number.isInteger(window) || window < 1) {
    throw new RangeError(`${indicator}: window must be an integer >= 1, got ${window}`);
  }
}

/**
 * A zero-filled output of length `n` whose first `firstOut` entries (clamped to `n`) are NaN:
 * the bars before an indicator has the history it needs.
 */
export function outputWithPrefix(n: number, firstOut: number): Float64Array {
  const out = new Float64Array(n);
  out.fill(NaN, 0, Math.min(firstOut, n));
  return out;
}

/**
 * Daily simple returns `r_i = P_i / P_(i−1) − 1` for i > first (NaN at and before `first`,
 * the first defined close). A fraction: 5 % is 0.05.
 */
export function dailyReturns(close: Float64Array, first: number): Float64Array {
  const n = close.length;
  const r = outputWithPrefix(n, first + 1);
  for (let i = first + 1; i < n; i++) r[i] = close[i]! / close[i - 1]! - 1;
  return r;
}

/**
 * Rolling mean of `x` over windows of `window` values, written into `out[i]` for every
 * i ≥ first + window − 1 (`x` is defined from index `first`). Entries before that are left
 * untouched.
 *
 * Why compensated: a running sum updated by `+ new − old` accumulates rounding error over tens
 * of thousands of bars and keeps the rounding residue of a large value (a +300 % day) long after
 * it left the window, which matters for means near 0 such as `ma_return`. A Neumaier running sum
 * carries the lost low-order bits in a second accumulator, so the error stays at a few ulps of
 * the current sum whatever the history, for a handful of extra flops per bar.
 */
export function rollingMean(x: Float64Array, first: number, window: number, out: Float64Array): void {
  const n = x.length;
  const start = first + window - 1;
  if (start >= n) return;
  let sum = 0;
  let comp = 0; // Neumaier compensation: the exact running sum is sum + comp
  for (let j = first; j < start; j++) {
    const v = x[j]!;
    const t = sum + v;
    comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  for (let i = start; i < n; i++) {
    // Add the newest value, read the window, then drop the oldest (the same Neumaier step,
    // written out twice: a shared closure costs more than the arithmetic in a hot loop).
    let v = x[i]!;
    let t = sum + v;
    comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
    out[i] = (sum + comp) / window;
    v = -x[i - window + 1]!;
    t = sum + v;
    comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
}

/**
 * Below this ratio between the rolling sum of squared deviations and the magnitude of the
 * updates applied to it since the last exact pass, rounding in the updates could be a visible
 * part of the result (relative error up to ~1e-16 / ratio), so the window is recomputed exactly.
 */
const STDEV_GUARD = 1e-6;

/**
 * Rolling POPULATION standard deviation (divide by N, not N − 1) of `x` over windows of
 * `window` values, written into `out[i]` for every i ≥ first + window − 1 (`x` is defined from
 * index `first`). Entries before that are left untouched. Same unit as `x`.
 *
 * Method, and why:
 * - Values are shifted by K, a value of the window at the last exact pass, so the sums work on
 *   small deviations instead of prices (no catastrophic cancellation when the spread is tiny
 *   compared with the level, e.g. a 1e4 price moving by cents).
 * - Between exact passes the window slides with the Welford add/remove update
 *   `M2 += (new − old)·(new − mean' + old − mean)`: O(1) per bar, no `Σx² − (Σx)²/N`.
 * - An exact two-pass recomputation of the window runs every `window` bars (bounds the drift
 *   over long series) and whenever M2 has become small compared with the updates that produced
 *   it (a volatile spell followed by a calm or flat one), where the square root would otherwise
 *   amplify leftover rounding. A flat window therefore gives exactly 0.
 */
export function rollingStdev(x: Float64Array, first: number, window: number, out: Float64Array): void {
  const n = x.length;
  const start = first + window - 1;
  let shift = 0; // K
  let sum = 0; // Σ (x − K) over the window
  let mean = 0; // sum / window, i.e. the window mean minus K
  let m2 = 0; // Σ (x − K − mean)², the sum of squared deviations
  let magnitude = 0; // m2 at the last exact pass + Σ |updates| since
  let sinceExact = window; // forces an exact pass at the first output

  for (let i = start; i < n; i++) {
    let exact = sinceExact >= window;
    if (!exact) {
      const yOld = x[i - window]! - shift;
      const yNew = x[i]! - shift;
      const d = yNew - yOld;
      sum += d;
      const nextMean = sum / window;
      const update = d * (yNew - nextMean + (yOld - mean));
      m2 += update;
      magnitude += Math.abs(update);
      mean = nextMean;
      exact = m2 < STDEV_GUARD * magnitude;
    }
    if (exact) {
      const lo = i - window + 1;
      shift = x[lo]!;
      sum = 0;
      for (let j = lo; j <= i; j++) sum += x[j]! - shift;
      mean = sum / window;
      m2 = 0;
      for (let j = lo; j <= i; j++) {
        const dev = x[j]! - shift - mean;
        m2 += dev * dev;
      }
      magnitude = m2;
      sinceExact = 0;
    }
    sinceExact++;
    out[i] = Math.sqrt(m2 / window);
  }
}
