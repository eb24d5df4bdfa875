/** Traversal helpers over IR trees, shared by passes, the evaluator and reports. */
import type { IrCount, IrExpr, IrNode } from "./types.js";

/** The allocation children of a node, in order. */
export function nodeChildren(node: IrNode): IrNode[] {
  switch (node.kind) {
    case "asset":
      return [];
    case "equal":
    case "weighted":
    case "inverse_volatility":
    case "filter":
      return node.children;
    case "group":
      return [node.child];
    case "if":
      return node.else === null ? [node.then] : [node.then, node.else];
  }
}

/** Visits every node in pre-order. */
export function forEachNode(root: IrNode, visit: (node: IrNode, depth: number) => void): void {
  const stack: [IrNode, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    visit(node, depth);
    const children = nodeChildren(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, depth + 1]);
  }
}

/** Visits every sub-expression of an expression, in pre-order. */
export function forEachExpr(expr: IrExpr, visit: (expr: IrExpr) => void): void {
  const stack: IrExpr[] = [expr];
  while (stack.length > 0) {
    const e = stack.pop()!;
    visit(e);
    switch (e.kind) {
      case "compare":
      case "logic":
      case "arith":
        stack.push(e.right, e.left);
        break;
      case "not":
      case "neg":
        stack.push(e.operand);
        break;
      default:
        break;
    }
  }
}

function isParamCount(count: IrCount): boolean {
  return typeof count !== "number";
}

const paramReaders = new WeakMap<IrNode, boolean>();

/** Whether the node itself (not its children) depends on a param. */
function ownParams(n: IrNode): boolean {
  if (n.kind === "filter") return isParamCount(n.count) || isParamCount(n.metric.window);
  if (n.kind === "inverse_volatility") return isParamCount(n.window);
  if (n.kind !== "if") return false;
  let reads = false;
  forEachExpr(n.cond, (e) => {
    if (e.kind === "param" || (e.kind === "indicator" && isParamCount(e.window))) reads = true;
  });
  return reads;
}

/**
 * Whether anything in `node`'s subtree depends on a param: a condition's param or indicator
 * window, a filter's count or metric window, an inverse-volatility window. A subtree that does
 * not decides the same allocations in every optimizer trial. Remembered per node (IR trees are
 * never changed), so every trial of a study asks at no cost.
 */
export function readsParams(node: IrNode): boolean {
  let reads = paramReaders.get(node);
  if (reads === undefined) {
    reads = ownParams(node);
    for (const child of nodeChildren(node)) reads = readsParams(child) || reads;
    paramReaders.set(node, reads);
  }
  return reads;
}
