/**
 * The `rsi` kernel: Wilder's relative strength index (SEMANTICS.md §2), a 0–100 score.
 */
import { checkWindow, firstDefined, outputWithPrefix } from "./common.js";

/**
 * `rsi(T, N)`: Wilder RSI over the changes `d_i = P_i − P_(i−1)`, gains `max(d, 0)` and losses
 * `max(−d, 0)` (in price units). The first average gain/loss is the simple mean of the first N
 * changes (defined at bar first + N, so N + 1 bars are needed); after that
 * `avg = (prev·(N−1) + x)/N` over all later history. `RSI = 100 − 100/(1 + gain/loss)`;
 * average loss 0 gives 100 when the average gain is positive and 50 when both are 0 (a flat
 * series is neutral, not overbought).
 */
export function rsi(close: Float64Array, window: number): Float64Array {
  checkWindow("rsi", window);
  const n = close.length;
  const first = firstDefined(close);
  const seedAt = first + window;
  const out = outputWithPrefix(n, seedAt);
  if (seedAt >= n) return out;
  let gain = 0;
  let loss = 0;
  for (let i = first + 1; i <= seedAt; i++) {
    const d = close[i]! - close[i - 1]!;
    if (d > 0) gain += d;
    else loss -= d;
  }
  gain /= window;
  loss /= window;
  out[seedAt] = score(gain, loss);
  const keep = window - 1;
  for (let i = seedAt + 1; i < n; i++) {
    const d = close[i]! - close[i - 1]!;
    // Written exactly as the definition, (prev·(N−1) + x)/N, not prev + (x − prev)/N: the two
    // differ in the last bits and the documented form is the one users can reproduce.
    gain = (gain * keep + (d > 0 ? d : 0)) / window;
    loss = (loss * keep + (d < 0 ? -d : 0)) / window;
    out[i] = score(gain, loss);
  }
  return out;
}

function score(gain: number, loss: number): number {
  if (loss === 0) return gain > 0 ? 100 : 50;
  return 100 - 100 / (1 + gain / loss);
}
