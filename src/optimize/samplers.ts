/**
 * Samplers: which points to try next. Grid walks every point in grid order; random draws
 * distinct points from a seeded stream; bayes is a simple TPE (tree-structured Parzen
 * estimator) over the discrete value lists. All are deterministic given the seed and the
 * history, so a study re-run (or resumed) with the same seed proposes the same points.
 */
import { mixSeed, mulberry32, randomIndex } from "./rng.js";
import { gridPoints, pointAt, pointKey, spaceSize, type Dimension, type Point } from "./space.js";

/** What a sampler sees of a finished trial. */
export interface Observation {
  params: Point;
  /** Null when not computable; such trials and infeasible ones rank below every feasible one. */
  objective: number | null;
  feasible: boolean;
}

/** Proposes points not yet tried. */
export interface Sampler {
  /**
   * Up to `count` distinct points that are neither in `history` nor proposed before by this
   * sampler; fewer (possibly none) when the space is exhausted. `history` is every finished
   * trial, in trial order.
   */
  propose(history: readonly Observation[], count: number): Point[];
}

/** Search strategies `--search` accepts. */
export type SearchKind = "grid" | "random" | "bayes";

/**
 * The keys of every point in the history or proposed by this sampler. Each call reads only the
 * history's new entries (a search's history only grows), so a long study does not re-key every
 * trial for every batch; a shorter history than last time (another caller) starts over.
 */
class SeenPoints {
  private keys = new Set<string>();
  private readonly proposed = new Set<string>();
  private counted = 0;

  constructor(private readonly space: readonly Dimension[]) {}

  /** The seen keys with `history` taken in; the set is live (proposals add to it). */
  update(history: readonly Observation[]): Set<string> {
    if (history.length < this.counted) {
      this.keys = new Set(this.proposed);
      this.counted = 0;
    }
    for (let i = this.counted; i < history.length; i++) this.keys.add(pointKey(this.space, history[i]!.params));
    this.counted = history.length;
    return this.keys;
  }

  /** Records a proposal. */
  propose(point: Point): void {
    const key = pointKey(this.space, point);
    this.proposed.add(key);
    this.keys.add(key);
  }
}

/** Every point in grid order (the first param varies slowest). */
export function gridSampler(space: readonly Dimension[]): Sampler {
  const seen = new SeenPoints(space);
  // One pass over the grid for the whole search: every point behind the cursor was proposed or seen.
  const grid = gridPoints(space);
  return {
    propose(history, count) {
      const keys = seen.update(history);
      const out: Point[] = [];
      while (out.length < count) {
        const next = grid.next();
        if (next.done === true) break;
        if (keys.has(pointKey(space, next.value))) continue;
        seen.propose(next.value);
        out.push(next.value);
      }
      return out;
    },
  };
}

/**
 * A stream of distinct uniformly drawn points from `seed`. Stateful (continues where it left
 * off) but skips points already in the history, so a resumed study proposes what an
 * uninterrupted one would have.
 */
class RandomStream {
  private readonly rng: () => number;
  private readonly size: number;

  constructor(
    private readonly space: readonly Dimension[],
    seed: number,
  ) {
    this.rng = mulberry32(mixSeed(seed, 0x5eed));
    this.size = spaceSize(space);
  }

  next(seen: Set<string>): Point | null {
    if (seen.size >= this.size) return null;
    // Rejection is cheap while most of the space is untried; near exhaustion walk the grid.
    for (let attempt = 0; attempt < 1000; attempt++) {
      const p = pointAt(this.space, this.space.map((d) => randomIndex(this.rng, d.values.length)));
      const key = pointKey(this.space, p);
      if (!seen.has(key)) {
        seen.add(key);
        return p;
      }
    }
    for (const p of gridPoints(this.space)) {
      const key = pointKey(this.space, p);
      if (!seen.has(key)) {
        seen.add(key);
        return p;
      }
    }
    return null;
  }
}

/** Distinct points drawn uniformly at random, reproducible from `seed`. */
export function randomSampler(space: readonly Dimension[], seed: number): Sampler {
  const stream = new RandomStream(space, seed);
  const points = new SeenPoints(space);
  return {
    propose(history, count) {
      const seen = points.update(history);
      const out: Point[] = [];
      while (out.length < count) {
        const p = stream.next(seen);
        if (p === null) break;
        points.propose(p);
        out.push(p);
      }
      return out;
    },
  };
}

/** Settings of the TPE sampler. */
export interface TpeOptions {
  /** Random trials before the model is used (default 10). */
  startup?: number;
  /** Fraction of trials counted as "good" (default 0.25). */
  gamma?: number;
  /** Candidates drawn from the good model per proposal (default 24). */
  candidates?: number;
}

/** Ranks worst-first-safe: feasible by objective, then everything else. */
function rankValue(o: Observation): number {
  return o.feasible && o.objective !== null ? o.objective : -Infinity;
}

/**
 * Per-value probabilities of one dimension from the observations' values: each observation
 * spreads weight 1 on its value and 0.25 on each grid neighbour (the values are ordered, so
 * nearby values are alike), plus a flat prior so no value ever has probability zero.
 */
function density(values: readonly number[], observed: readonly number[]): number[] {
  const k = values.length;
  const w = new Array<number>(k).fill(1 / k);
  for (const v of observed) {
    const i = values.indexOf(v);
    if (i < 0) continue;
    w[i]! += 1;
    if (i > 0) w[i - 1]! += 0.25;
    if (i < k - 1) w[i + 1]! += 0.25;
  }
  const total = w.reduce((s, x) => s + x, 0);
  return w.map((x) => x / total);
}

function sampleIndex(rng: () => number, probs: readonly number[]): number {
  let u = rng();
  for (let i = 0; i < probs.length; i++) {
    u -= probs[i]!;
    if (u < 0) return i;
  }
  return probs.length - 1;
}

/**
 * TPE: split the history by the `gamma` quantile of the objective into good and bad; model
 * each param independently as a smoothed categorical over its values for both sets (l and g);
 * draw candidates from l and propose the untried one maximising l(x)/g(x). The first
 * `startup` trials come from the same seeded stream as random search. Each proposal's
 * randomness depends only on the seed and the trial number, so batches are reproducible.
 */
export function tpeSampler(space: readonly Dimension[], seed: number, options: TpeOptions = {}): Sampler {
  const startup = options.startup ?? 10;
  const gamma = options.gamma ?? 0.25;
  const candidates = options.candidates ?? 24;
  const stream = new RandomStream(space, seed);
  const points = new SeenPoints(space);
  return {
    propose(history, count) {
      const seen = points.update(history);
      const out: Point[] = [];
      const ranked = [...history].sort((a, b) => rankValue(b) - rankValue(a));
      const nGood = Math.max(1, Math.ceil(gamma * ranked.length));
      const good = ranked.slice(0, nGood);
      const bad = ranked.slice(nGood);
      const l = space.map((d) => density(d.values, good.map((o) => o.params[d.name]!)));
      const g = space.map((d) => density(d.values, bad.map((o) => o.params[d.name]!)));
      while (out.length < count) {
        const number = history.length + out.length;
        let pick: Point | null = null;
        if (history.length >= startup) {
          const rng = mulberry32(mixSeed(seed, number, 0x7be));
          let bestScore = -Infinity;
          for (let c = 0; c < candidates; c++) {
            const idx = space.map((_, k) => sampleIndex(rng, l[k]!));
            const p = pointAt(space, idx);
            if (seen.has(pointKey(space, p))) continue;
            let score = 0;
            idx.forEach((i, k) => (score += Math.log(l[k]![i]!) - Math.log(g[k]![i]!)));
            if (score > bestScore) {
              bestScore = score;
              pick = p;
            }
          }
          if (pick !== null) seen.add(pointKey(space, pick));
        }
        pick ??= stream.next(seen);
        if (pick === null) break;
        points.propose(pick);
        out.push(pick);
      }
      return out;
    },
  };
}

/** The sampler for `kind`. */
export function makeSampler(kind: SearchKind, space: readonly Dimension[], seed: number): Sampler {
  if (kind === "grid") return gridSampler(space);
  if (kind === "random") return randomSampler(space, seed);
  return tpeSampler(space, seed);
}
