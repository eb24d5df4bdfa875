/** Traversal helpers over IR trees, shared by passes, the evaluator and reports. */
import type { IrExpr, IrNode } from "./types.js";

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
