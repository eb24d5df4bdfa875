/**
 * Unit rules for comparisons and arithmetic. A bare number adapts to prices and scores
 * (`price(SPY) > 400`, `rsi(SPY, 10) > 79`) but never to percents: `-6` next to a
 * cumulative return is almost always a forgotten `%`, so it is an error with a fix-it.
 */
import type { Unit } from "../ir/indicators.js";

export type UnitCheck = { ok: true; unit: Unit } | { ok: false; reason: "percent-vs-number" | "mismatch" };

const mismatch: UnitCheck = { ok: false, reason: "mismatch" };
const percentVsNumber: UnitCheck = { ok: false, reason: "percent-vs-number" };

/** Whether two values may be compared; the result unit is bool. */
export function compareUnits(left: Unit, right: Unit): UnitCheck {
  if (left === "bool" || right === "bool") return mismatch;
  if (left === right) return { ok: true, unit: "bool" };
  if ((left === "percent" && right === "number") || (left === "number" && right === "percent")) return percentVsNumber;
  if (left === "number" || right === "number") return { ok: true, unit: "bool" };
  return mismatch;
}

/** The unit of `left op right`, or why it has none. */
export function arithmeticUnit(op: "+" | "-" | "*" | "/", left: Unit, right: Unit): UnitCheck {
  if (left === "bool" || right === "bool") return mismatch;
  switch (op) {
    case "+":
    case "-":
      if (left === right) return { ok: true, unit: left };
      if ((left === "percent" && right === "number") || (left === "number" && right === "percent")) return percentVsNumber;
      if (left === "number") return { ok: true, unit: right };
      if (right === "number") return { ok: true, unit: left };
      return mismatch;
    case "*":
      if (left === "number") return { ok: true, unit: right };
      if (right === "number") return { ok: true, unit: left };
      return mismatch;
    case "/":
      if (right === "number") return { ok: true, unit: left };
      if (left === right) return { ok: true, unit: "number" };
      return mismatch;
  }
}

/** How a unit is named in messages. */
export function unitName(unit: Unit): string {
  switch (unit) {
    case "price":
      return "a price";
    case "percent":
      return "a percent";
    case "score":
      return "a 0–100 score";
    case "number":
      return "a bare number";
    case "bool":
      return "a condition";
  }
}
