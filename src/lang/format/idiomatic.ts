/**
 * Rewrites an AST into idiomatic `.strat` without changing its meaning (the IR is the same):
 * an `equal` of one child is that child, a block whose only child is an `equal` takes its
 * children directly, a `weighted` of one 100% child is that child, and an `if` whose else is
 * a single `if` becomes an `else if` chain. Composer files need all of these.
 */
import type { Expr, IfNode, Program } from "../ast.js";

/** The idiomatic form of a whole program (a new tree; the input is not changed). */
export function idiomatic(program: Program): Program {
  return {
    ...program,
    decls: program.decls.map((decl) => {
      switch (decl.kind) {
        case "strategy":
        case "portfolio":
          return { ...decl, body: children(decl.body) };
        case "let":
          return { ...decl, body: node(decl.body) };
        default:
          return decl;
      }
    }),
  };
}

/** A block's children: a lone `equal` is dissolved into its children. */
function children(list: Expr[]): Expr[] {
  const simplified = list.map(node);
  const only = simplified[0];
  if (simplified.length === 1 && only !== undefined && only.kind === "equal" && only.children.length > 0) return only.children;
  return simplified;
}

function node(expr: Expr): Expr {
  switch (expr.kind) {
    case "equal": {
      const kids = expr.children.map(node);
      if (kids.length === 1) return kids[0]!;
      return { ...expr, children: kids };
    }
    case "weighted": {
      if (expr.children.length === 1) return node(expr.children[0]!.node);
      return { ...expr, children: expr.children.map((c) => ({ ...c, node: node(c.node) })) };
    }
    case "inverse_volatility":
    case "filter":
      return { ...expr, children: expr.children.map(node) };
    case "group":
      return { ...expr, children: children(expr.children) };
    case "if":
      return ifChain(expr);
    default:
      return expr;
  }
}

/** Flattens `if a {..} else { if b {..} else {..} }` into one chain of branches. */
function ifChain(expr: IfNode): IfNode {
  const branches = expr.branches.map((b) => ({ ...b, body: children(b.body) }));
  let elseBody = expr.elseBody === null ? null : children(expr.elseBody);
  let elseSpan = expr.elseSpan;
  while (elseBody !== null && elseBody.length === 1 && elseBody[0]!.kind === "if") {
    const inner: IfNode = elseBody[0];
    for (const b of inner.branches) branches.push({ ...b, body: children(b.body) });
    elseBody = inner.elseBody === null ? null : children(inner.elseBody);
    elseSpan = inner.elseSpan;
  }
  return { ...expr, branches, elseBody, elseSpan };
}
