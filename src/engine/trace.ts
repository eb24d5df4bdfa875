/**
 * Branch coverage: how often each node was reached, each branch of each `if` taken and each
 * candidate of each filter selected, over the sessions of a backtest.
 */
import type { IrNode } from "../ir/types.js";

export interface NodeCoverage {
  reached: number;
  /** `if` nodes: sessions on which the condition held / did not. */
  then?: number;
  otherwise?: number;
  /** Filter nodes: per candidate index, sessions on which it was selected. */
  selected?: number[];
}

export class Trace {
  readonly nodes = new Map<number, NodeCoverage>();

  private entry(node: IrNode): NodeCoverage {
    let e = this.nodes.get(node.id);
    if (e === undefined) {
      e = { reached: 0 };
      if (node.kind === "if") {
        e.then = 0;
        e.otherwise = 0;
      }
      if (node.kind === "filter") e.selected = node.children.map(() => 0);
      this.nodes.set(node.id, e);
    }
    return e;
  }

  reached(node: IrNode): void {
    this.entry(node).reached++;
  }

  branch(node: IrNode, taken: boolean): void {
    const e = this.entry(node);
    if (taken) e.then = (e.then ?? 0) + 1;
    else e.otherwise = (e.otherwise ?? 0) + 1;
  }

  selected(node: IrNode, children: number[]): void {
    const e = this.entry(node);
    for (const c of children) e.selected![c] = (e.selected![c] ?? 0) + 1;
  }
}
