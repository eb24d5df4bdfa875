/**
 * Warm-up: the bars of history a strategy needs before its first decision, i.e. until every
 * indicator it references is defined (SEMANTICS.md §2). A metric over a non-ticker candidate
 * reads that candidate's NAV, which starts only once the candidate itself is defined, so
 * nested filters add up. Param windows count at the largest value of their range, so every
 * optimizer trial starts on the same date.
 */
import { INDICATORS } from "../indicators.js";
import type { IrCount, IrExpr, IrNode, IrParam } from "../types.js";
import { forEachExpr, nodeChildren } from "../walk.js";

/** Resolves a count to its largest possible value. */
export function maxCount(count: IrCount, params: ReadonlyMap<string, IrParam>): number {
  if (typeof count === "number") return count;
  const param = params.get(count.param);
  return param === undefined ? 1 : Math.max(...param.values);
}

function exprBars(expr: IrExpr, params: ReadonlyMap<string, IrParam>): number {
  let bars = 1;
  forEachExpr(expr, (e) => {
    if (e.kind === "indicator") bars = Math.max(bars, INDICATORS[e.indicator].barsNeeded(maxCount(e.window, params)));
  });
  return bars;
}

/**
 * Bars needed before `node`'s allocation is defined on every date. Linear in the tree (memoised);
 * recursion is bounded by the checker's depth limit.
 */
export function warmupBars(node: IrNode, params: ReadonlyMap<string, IrParam>, memo = new Map<IrNode, number>()): number {
  const known = memo.get(node);
  if (known !== undefined) return known;
  const children = nodeChildren(node);
  let bars = 1;
  for (const child of children) bars = Math.max(bars, warmupBars(child, params, memo));
  switch (node.kind) {
    case "if":
      bars = Math.max(bars, exprBars(node.cond, params));
      break;
    case "filter": {
      const metricBars = INDICATORS[node.metric.indicator].barsNeeded(maxCount(node.metric.window, params));
      for (const child of children) {
        // A NAV series starts on its node's first defined bar: bars overlap by one.
        const candidate = child.kind === "asset" ? metricBars : warmupBars(child, params, memo) + metricBars - 1;
        bars = Math.max(bars, candidate);
      }
      break;
    }
    case "inverse_volatility": {
      const volBars = INDICATORS.stdev_return.barsNeeded(maxCount(node.window, params));
      for (const child of children) {
        const candidate = child.kind === "asset" ? volBars : warmupBars(child, params, memo) + volBars - 1;
        bars = Math.max(bars, candidate);
      }
      break;
    }
    default:
      break;
  }
  memo.set(node, bars);
  return bars;
}
