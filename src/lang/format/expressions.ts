/** Prints expressions on one line with the fewest parentheses the grammar needs (plus the user's own). */
import type { Expr } from "../ast.js";
import { quoteString } from "../strings.js";

const PRECEDENCE: Record<string, number> = {
  or: 1,
  and: 2,
  ">": 4,
  "<": 4,
  ">=": 4,
  "<=": 4,
  "==": 4,
  "!=": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
};

function precedenceOf(expr: Expr): number {
  if (expr.kind === "binary") return PRECEDENCE[expr.op] ?? 8;
  if (expr.kind === "unary") return expr.op === "not" ? 3 : 7;
  return 8;
}

function wrap(expr: Expr, minimum: number, strict: boolean): string {
  const text = printExpr(expr);
  const p = precedenceOf(expr);
  return p < minimum || (strict && p === minimum) ? `(${text})` : text;
}

/** One-line text of an expression (not of allocation blocks). */
export function printExpr(expr: Expr): string {
  switch (expr.kind) {
    case "number":
      return `${expr.text}${expr.percent ? "%" : ""}`;
    case "bool":
      return expr.value ? "true" : "false";
    case "string":
      return quoteString(expr.value);
    case "name":
      return expr.parts.map((p) => p.name).join(".");
    case "call":
      return `${printExpr(expr.callee)}(${expr.args.map(printExpr).join(", ")})`;
    case "paren":
      return `(${printExpr(expr.inner)})`;
    case "unary":
      return expr.op === "not" ? `not ${wrap(expr.operand, 3, false)}` : `-${wrap(expr.operand, 7, false)}`;
    case "binary": {
      const p = PRECEDENCE[expr.op] ?? 8;
      const comparison = p === 4;
      // Comparisons do not chain; other operators are left-associative.
      return `${wrap(expr.left, p, comparison)} ${expr.op} ${wrap(expr.right, p, true)}`;
    }
    default:
      return `/* ${expr.kind} */`;
  }
}
