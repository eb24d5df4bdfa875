/**
 * NAV series of a node (SEMANTICS.md §3): the value of a portfolio that follows the node's own
 * allocation, decided at the close of day d and held from close d to close d+1, starting at 1
 * on the node's first defined session, without costs. An empty allocation holds cash.
 */
import type { Allocation } from "./allocation.js";

/**
 * @param from first session the allocations cover; NAV is NaN before it and 1 on it
 * @param allocations the node's allocation for each session from `from`
 * @param closes closes of the universe the allocations index into
 * @param length number of sessions
 */
export function navSeries(from: number, allocations: readonly Allocation[], closes: readonly Float64Array[], length: number): Float64Array {
  const nav = new Float64Array(length).fill(Number.NaN);
  if (from >= length) return nav;
  nav[from] = 1;
  for (let day = from + 1; day < length; day++) {
    const held = allocations[day - 1 - from];
    let growth = 0;
    if (held !== undefined) {
      for (let k = 0; k < held.tickers.length; k++) {
        const close = closes[held.tickers[k]!]!;
        growth += held.weights[k]! * (close[day]! / close[day - 1]! - 1);
      }
    }
    nav[day] = nav[day - 1]! * (1 + growth);
  }
  return nav;
}
