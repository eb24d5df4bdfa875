/**
 * `strat explain`: one session's decision as a tree — every condition with its indicator values
 * and which branch it took, every filter with each candidate's score and the winners, and the
 * weights that result. Built from the same evaluation the backtest uses, so it cannot disagree.
 */
import { INDICATORS } from "../ir/indicators.js";
import { formatValue, printIrExpr } from "../ir/print-expr.js";
import type { IrExpr, IrNode } from "../ir/types.js";
import { isEmpty, type Allocation } from "./allocation.js";
import type { Evaluation } from "./evaluate.js";
import { describe } from "./strategy-evaluation.js";

export interface ExplainTerm {
  text: string;
  value: number;
  display: string;
}

export interface ExplainNode {
  kind: IrNode["kind"];
  label: string;
  /** Where it is written, "file:line". */
  at: string | null;
  /** This node's share of the whole portfolio on that session. */
  share: number;
  /** The node's own allocation (ticker → fraction of the node). */
  allocation: Record<string, number>;
  condition?: { text: string; holds: boolean; terms: ExplainTerm[] };
  /** Filter scores or inverse-volatility σ per candidate; `display` in the metric's unit. */
  candidates?: { name: string; score: number | null; display: string; selected: boolean }[];
  children: ExplainNode[];
}

export interface Explanation {
  strategy: string;
  date: string;
  weights: Record<string, number>;
  tree: ExplainNode;
}

function terms(expr: IrExpr, value: (e: IrExpr) => number, out: ExplainTerm[] = []): ExplainTerm[] {
  switch (expr.kind) {
    case "indicator": {
      const v = value(expr);
      out.push({ text: printIrExpr(expr), value: v, display: formatValue(v, expr.unit) });
      break;
    }
    case "compare":
    case "logic":
    case "arith":
      terms(expr.left, value, out);
      terms(expr.right, value, out);
      break;
    case "not":
    case "neg":
      terms(expr.operand, value, out);
      break;
    case "param": {
      const v = value(expr);
      out.push({ text: expr.name, value: v, display: formatValue(v, expr.unit) });
      break;
    }
    default:
      break;
  }
  return out;
}

/** Explains the decision at session index `day` (which the evaluation must cover). */
export function explain(evaluation: Evaluation, day: number): Explanation {
  const ctx = evaluation.context;
  const record = (a: Allocation): Record<string, number> => {
    const out: Record<string, number> = {};
    a.tickers.forEach((t, k) => (out[evaluation.universe[t]!] = a.weights[k]!));
    return out;
  };
  const build = (node: IrNode, share: number): ExplainNode => {
    const allocation = ctx.allocate(node, day);
    const out: ExplainNode = {
      kind: node.kind,
      label: label(node, ctx.count.bind(ctx)),
      at: node.span === undefined ? null : `${node.span.file}:${node.span.line}`,
      share,
      allocation: record(allocation),
      children: [],
    };
    switch (node.kind) {
      case "asset":
        break;
      case "group":
        out.children.push(build(node.child, share));
        break;
      case "if": {
        const holds = ctx.condition(node.cond, day);
        out.condition = { text: printIrExpr(node.cond), holds, terms: terms(node.cond, (e) => ctx.value(e, day)) };
        const branch = holds ? node.then : node.else;
        if (branch !== null) out.children.push(build(branch, share));
        break;
      }
      case "equal":
      case "weighted": {
        const parts = node.children.map((child, i) => ({ child, weight: node.kind === "weighted" ? node.weights[i]! : 1, alloc: ctx.allocate(child, day) }));
        const live = parts.filter((p) => !isEmpty(p.alloc));
        const total = live.reduce((s, p) => s + p.weight, 0);
        for (const p of live) out.children.push(build(p.child, (share * p.weight) / total));
        break;
      }
      case "filter": {
        const ranking = ctx.ranking(node, day);
        const winners = new Set(ranking.slice(0, ctx.count(node.count)).map((r) => r.child));
        const scores = new Map(ranking.map((r) => [r.child, r.score]));
        const unit = INDICATORS[node.metric.indicator].unit;
        out.candidates = node.children.map((child, i) => {
          const score = scores.get(i) ?? null;
          return { name: describe(child), score, display: score === null ? "undefined" : formatValue(score, unit), selected: winners.has(i) };
        });
        const live = node.children.filter((child, i) => winners.has(i) && !isEmpty(ctx.allocate(child, day)));
        for (const child of live) out.children.push(build(child, share / live.length));
        break;
      }
      case "inverse_volatility": {
        const sigmas = node.children.map((_, i) => ctx.volatility(node, i, day));
        out.candidates = node.children.map((child, i) => {
          const sigma = sigmas[i]!;
          const defined = !Number.isNaN(sigma);
          return { name: describe(child), score: defined ? sigma : null, display: defined ? formatValue(sigma, "percent") : "undefined", selected: defined };
        });
        for (const [ticker, weight] of Object.entries(out.allocation)) out.children.push({ kind: "asset", label: ticker, at: null, share: share * weight, allocation: { [ticker]: 1 }, children: [] });
        break;
      }
    }
    return out;
  };
  const tree = build(evaluation.strategy.root, 1);
  return { strategy: evaluation.strategy.name, date: evaluation.dates[day]!, weights: tree.allocation, tree };
}

function label(node: IrNode, count: (c: Parameters<Evaluation["context"]["count"]>[0]) => number): string {
  switch (node.kind) {
    case "asset":
      return node.ticker;
    case "group":
      return `group "${node.name}"`;
    case "equal":
      return "equal";
    case "weighted":
      return `weighted (${node.weights.map((w) => `${Number((w * 100).toPrecision(6))}%`).join(", ")})`;
    case "inverse_volatility":
      return `inverse_volatility(${count(node.window)})`;
    case "filter":
      return `${node.select} ${count(node.count)} by ${node.metric.indicator}(${node.metric.indicator === "price" ? "" : count(node.metric.window)})`;
    case "if":
      return `if ${printIrExpr(node.cond)}`;
  }
}

const pct = (v: number): string => `${Number((v * 100).toFixed(2))}%`;

/** The explanation as an indented text tree. */
export function renderExplanation(e: Explanation): string[] {
  const weights = Object.entries(e.weights).sort((a, b) => b[1] - a[1]).map(([t, w]) => `${t} ${pct(w)}`).join(", ");
  const lines = [`${e.strategy} on ${e.date} → ${weights === "" ? "cash (empty allocation)" : weights}`];
  const walk = (node: ExplainNode, prefix: string, last: boolean): void => {
    let text = node.label;
    if (node.condition !== undefined) {
      const values = node.condition.terms.map((t) => `${t.text} = ${t.display}`).join(", ");
      text += `  [${values}] → ${node.condition.holds ? "true" : "false, else"}`;
    }
    if (node.kind === "asset") text += ` ${pct(node.share)}`;
    if (node.at !== null) text += `  (${node.at})`;
    lines.push(`${prefix}${last ? "└─ " : "├─ "}${text}`);
    const inner = prefix + (last ? "   " : "│  ");
    if (node.candidates !== undefined) {
      for (const c of node.candidates) {
        lines.push(`${inner}${c.selected ? "✓" : "·"} ${c.name}: ${node.kind === "inverse_volatility" ? "σ" : "score"} ${c.display}`);
      }
    }
    node.children.forEach((child, i) => walk(child, inner, i === node.children.length - 1));
  };
  walk(e.tree, "", true);
  return lines;
}
