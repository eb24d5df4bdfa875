/**
 * Size statistics of compiled strategies, for `strat count`. One pass over each tree: linear in
 * the IR's size (an older Composer runner's counter was exponential on large symphonies).
 */
import type { IrNodeKind, IrStrategy } from "./types.js";
import { forEachNode } from "./walk.js";

export interface IrStats {
  strategies: number;
  nodes: number;
  nodesByKind: Record<IrNodeKind, number>;
  /** Levels of the deepest tree; a lone ticker is depth 1. */
  maxDepth: number;
  tickers: Set<string>;
  /** Distinct series keys; NAV subjects are qualified by strategy. */
  series: Set<string>;
  params: Set<string>;
  warmupBars: number;
}

export function emptyStats(): IrStats {
  return {
    strategies: 0,
    nodes: 0,
    nodesByKind: { asset: 0, equal: 0, weighted: 0, inverse_volatility: 0, filter: 0, group: 0, if: 0 },
    maxDepth: 0,
    tickers: new Set(),
    series: new Set(),
    params: new Set(),
    warmupBars: 0,
  };
}

/** Adds strategies' counts into `stats` (in place) and returns it. */
export function addStrategies(stats: IrStats, strategies: IrStrategy[], scope: string): IrStats {
  for (const strategy of strategies) {
    stats.strategies++;
    forEachNode(strategy.root, (node, depth) => {
      stats.nodes++;
      stats.nodesByKind[node.kind]++;
      stats.maxDepth = Math.max(stats.maxDepth, depth + 1);
    });
    for (const t of strategy.tickers) stats.tickers.add(t);
    for (const s of strategy.series) {
      const subject = "ticker" in s.subject ? `t:${s.subject.ticker}` : `n:${scope}/${strategy.name}/${s.subject.node}`;
      stats.series.add(`${s.indicator}|${subject}|${typeof s.window === "number" ? s.window : `$${s.window.param}`}`);
    }
    for (const p of strategy.params) stats.params.add(`${scope}/${p}`);
    stats.warmupBars = Math.max(stats.warmupBars, strategy.warmupBars);
  }
  return stats;
}

/** Merges `other` into `into` (in place). */
export function mergeStats(into: IrStats, other: IrStats): IrStats {
  into.strategies += other.strategies;
  into.nodes += other.nodes;
  for (const kind of Object.keys(other.nodesByKind) as IrNodeKind[]) into.nodesByKind[kind] += other.nodesByKind[kind];
  into.maxDepth = Math.max(into.maxDepth, other.maxDepth);
  for (const t of other.tickers) into.tickers.add(t);
  for (const s of other.series) into.series.add(s);
  for (const p of other.params) into.params.add(p);
  into.warmupBars = Math.max(into.warmupBars, other.warmupBars);
  return into;
}
