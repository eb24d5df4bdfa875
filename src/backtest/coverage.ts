/**
 * Branch coverage of a backtest: for every `if`, how often each branch was taken; for every
 * filter, how often each candidate won; and the branches and candidates never taken.
 */
import type { IrNode, IrStrategy } from "../ir/types.js";
import { forEachNode } from "../ir/walk.js";
import { describe } from "../engine/strategy-evaluation.js";
import type { Trace } from "../engine/trace.js";

export interface CoverageEntry {
  node: number;
  kind: "if" | "filter";
  /** Where the node is written: "file:line". */
  at: string;
  /** Sessions on which the node was part of the decision. */
  reached: number;
  /** `if`: sessions on which the condition held / failed. */
  then?: number;
  otherwise?: number;
  /** Filter: wins per candidate, in source order. */
  candidates?: { name: string; selected: number }[];
}

export interface Coverage {
  sessions: number;
  entries: CoverageEntry[];
  /** Human-readable list of what never happened, e.g. "if at x.strat:12 never took its else branch". */
  neverTaken: string[];
}

function at(node: IrNode): string {
  return node.span === undefined ? `node #${node.id}` : `${node.span.file}:${node.span.line}`;
}

/** Coverage of `strategy` from its trace over `sessions` decisions. */
export function coverageOf(strategy: IrStrategy, trace: Trace, sessions: number): Coverage {
  const entries: CoverageEntry[] = [];
  const neverTaken: string[] = [];
  forEachNode(strategy.root, (node) => {
    if (node.kind !== "if" && node.kind !== "filter") return;
    const e = trace.nodes.get(node.id);
    const reached = e?.reached ?? 0;
    if (node.kind === "if") {
      const then = e?.then ?? 0;
      const otherwise = e?.otherwise ?? 0;
      entries.push({ node: node.id, kind: "if", at: at(node), reached, then, otherwise });
      if (reached === 0) neverTaken.push(`if at ${at(node)} was never reached`);
      else {
        if (then === 0) neverTaken.push(`if at ${at(node)} never took its then branch`);
        if (otherwise === 0) neverTaken.push(`if at ${at(node)} never took its ${node.else === null ? "(empty) else" : "else"} branch`);
      }
    } else {
      const candidates = node.children.map((child, i) => ({ name: describe(child), selected: e?.selected?.[i] ?? 0 }));
      entries.push({ node: node.id, kind: "filter", at: at(node), reached, candidates });
      if (reached === 0) neverTaken.push(`${node.select} ${typeof node.count === "number" ? node.count : node.count.param} at ${at(node)} was never reached`);
      else for (const c of candidates) if (c.selected === 0) neverTaken.push(`${c.name} never won the ${node.select} at ${at(node)}`);
    }
  });
  return { sessions, entries, neverTaken };
}
