/** The ticker universe: every ticker a strategy holds or reads, sorted. */
import type { IrNode } from "../types.js";
import { forEachExpr, forEachNode } from "../walk.js";

export function tickerUniverse(root: IrNode): string[] {
  const tickers = new Set<string>();
  forEachNode(root, (node) => {
    if (node.kind === "asset") tickers.add(node.ticker);
    if (node.kind === "if") {
      forEachExpr(node.cond, (e) => {
        if (e.kind === "indicator") tickers.add(e.ticker);
      });
    }
  });
  return [...tickers].sort();
}
