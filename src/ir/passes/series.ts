/**
 * Deduplicates indicator series: every (indicator, subject, window) the strategy reads is listed
 * once, and indicator expressions point at their entry. Filters and inverse-volatility nodes
 * read one series per candidate: a ticker's prices, or a non-ticker candidate's NAV.
 */
import type { IrCount, IrNode, IrSeries } from "../types.js";
import { forEachExpr, forEachNode } from "../walk.js";

function countKey(count: IrCount): string {
  return typeof count === "number" ? String(count) : `$${count.param}`;
}

function seriesKey(series: IrSeries): string {
  const subject = "ticker" in series.subject ? `t:${series.subject.ticker}` : `n:${series.subject.node}`;
  return `${series.indicator}|${subject}|${countKey(series.window)}`;
}

/** Builds the series table and sets `series` on indicator expressions. Needs ids assigned. */
export function collectSeries(root: IrNode): IrSeries[] {
  const table: IrSeries[] = [];
  const index = new Map<string, number>();
  const add = (series: IrSeries): number => {
    const key = seriesKey(series);
    const known = index.get(key);
    if (known !== undefined) return known;
    table.push(series);
    index.set(key, table.length - 1);
    return table.length - 1;
  };
  const subjectOf = (child: IrNode): IrSeries["subject"] => (child.kind === "asset" ? { ticker: child.ticker } : { node: child.id });
  forEachNode(root, (node) => {
    switch (node.kind) {
      case "if":
        forEachExpr(node.cond, (e) => {
          if (e.kind === "indicator") e.series = add({ indicator: e.indicator, subject: { ticker: e.ticker }, window: e.window });
        });
        break;
      case "filter":
        for (const child of node.children) add({ indicator: node.metric.indicator, subject: subjectOf(child), window: node.metric.window });
        break;
      case "inverse_volatility":
        for (const child of node.children) add({ indicator: "stdev_return", subject: subjectOf(child), window: node.window });
        break;
      default:
        break;
    }
  });
  return table;
}
