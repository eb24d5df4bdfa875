/**
 * A day's allocation: parallel arrays of ticker indexes (into the evaluation's universe) and
 * weights. Weights are fractions summing to 1, or there are none (an empty node: it holds
 * nothing that day and its parent gives its share to its siblings).
 */
export interface Allocation {
  tickers: number[];
  weights: number[];
}

export const EMPTY: Allocation = Object.freeze({ tickers: [], weights: [] }) as Allocation;

export function isEmpty(allocation: Allocation): boolean {
  return allocation.tickers.length === 0;
}

/** One ticker at 100%. */
export function single(ticker: number): Allocation {
  return { tickers: [ticker], weights: [1] };
}

/**
 * Mixes allocations with the given shares (which need not sum to 1: they are normalised over the
 * parts given), summing weights of equal tickers. Parts must be non-empty.
 */
export function mix(parts: readonly Allocation[], shares: readonly number[]): Allocation {
  if (parts.length === 1) return parts[0]!;
  let total = 0;
  for (const s of shares) total += s;
  const tickers: number[] = [];
  const weights: number[] = [];
  const position = new Map<number, number>();
  parts.forEach((part, i) => {
    const share = shares[i]! / total;
    for (let k = 0; k < part.tickers.length; k++) {
      const t = part.tickers[k]!;
      const w = part.weights[k]! * share;
      const at = position.get(t);
      if (at === undefined) {
        position.set(t, tickers.length);
        tickers.push(t);
        weights.push(w);
      } else {
        weights[at] = weights[at]! + w;
      }
    }
  });
  return { tickers, weights };
}
