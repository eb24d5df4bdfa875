/** IR expressions as `.strat` text, for explanations and reports. */
import type { IrCount, IrExpr } from "./types.js";

function count(c: IrCount): string {
  return typeof c === "number" ? String(c) : c.param;
}

/** A number as a user writes it: percents with %, at most 6 significant digits. */
function number(value: number, percent: boolean): string {
  return percent ? `${Number((value * 100).toPrecision(6))}%` : String(Number(value.toPrecision(6)));
}

/** `.strat` text of an IR expression (fully parenthesised below the top level where needed). */
export function printIrExpr(expr: IrExpr): string {
  switch (expr.kind) {
    case "const":
      return number(expr.value, expr.unit === "percent");
    case "bool":
      return String(expr.value);
    case "param":
      return expr.name;
    case "indicator":
      return expr.indicator === "price" ? `price(${expr.ticker})` : `${expr.indicator}(${expr.ticker}, ${count(expr.window)})`;
    case "compare":
    case "arith":
      return `${wrap(expr.left)} ${expr.op} ${wrap(expr.right)}`;
    case "logic":
      return `${wrap(expr.left)} ${expr.op} ${wrap(expr.right)}`;
    case "not":
      return `not ${wrap(expr.operand)}`;
    case "neg":
      return `-${wrap(expr.operand)}`;
  }
}

function wrap(expr: IrExpr): string {
  const text = printIrExpr(expr);
  return expr.kind === "compare" || expr.kind === "logic" || expr.kind === "arith" ? `(${text})` : text;
}

/** The value of an indicator term as shown next to it: percents with %, others plain. */
export function formatValue(value: number, unit: string): string {
  return number(value, unit === "percent");
}
