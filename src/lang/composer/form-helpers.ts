/** Constants and small helpers for reading Composer forms, shared by the converter's parts. */
import type * as A from "../ast.js";
import { shiftDecimal } from "../decimal.js";
import { INDICATORS } from "../../ir/indicators.js";
import type { CollectionForm, Form, NumberForm } from "./forms.js";
import type { Span } from "../source.js";

export const NODE_FORMS = ["asset", "group", "weight-equal", "weight-specified", "weight-inverse-volatility", "if", "filter"];
// A Map, not an object literal, so heads such as `toString` are not mistaken for operators.
export const COMPARISONS = new Map<string, A.BinaryOp>([
  [">", ">"],
  ["<", "<"],
  [">=", ">="],
  ["<=", "<="],
  ["=", "=="],
]);
export const FREQUENCIES = ["none", "daily", "weekly", "monthly", "quarterly", "yearly"];
export const HEADER_KEYS = ["asset-class", "rebalance-frequency", "rebalance-threshold"];
export const SELECTORS = ["select-top", "select-bottom"];
export const COMPOSER_INDICATORS = Object.values(INDICATORS).map((spec) => spec.composer);
export const PLAIN_TICKER = /^[A-Z][A-Z0-9]*$/;

/** A list whose first item is a symbol: `(head args...)`; the arguments stay in `form.items` (see `arg`). */
export interface Call {
  form: CollectionForm;
  head: string;
  headSpan: Span;
  /** Number of arguments after the head. */
  argc: number;
}

export function asCall(form: Form): Call | null {
  if (form.kind !== "list") return null;
  const first = form.items[0];
  if (first === undefined || first.kind !== "symbol") return null;
  return { form, head: first.name, headSpan: first.span, argc: form.items.length - 1 };
}

/** The i-th argument (0-based, after the head). Indexing instead of slicing keeps big files' GC work down. */
export function arg(call: Call, i: number): Form | undefined {
  return call.form.items[i + 1];
}

/** How an indicator is written, for messages: `(rsi "SPY" {:window 10})`. */
export function indicatorUsage(head: string, withTicker: boolean, windowed: boolean): string {
  return `(${head}${withTicker ? ' "SPY"' : ""}${windowed ? " {:window 10}" : ""})`;
}

/** A short description of a form for messages: `(asset ...)`, `a vector [...]`, `the number 5`. */
export function describe(form: Form): string {
  switch (form.kind) {
    case "list": {
      const first = form.items[0];
      if (first === undefined) return "an empty list ()";
      return first.kind === "symbol" ? `(${first.name} ...)` : "a list (...)";
    }
    case "vector":
      return "a vector [...]";
    case "map":
      return "a map {...}";
    case "string":
      return `the string ${JSON.stringify(form.value.length > 30 ? `${form.value.slice(0, 30)}…` : form.value)}`;
    case "keyword":
      return `the keyword :${form.name}`;
    case "symbol":
      return `the symbol '${form.name}'`;
    case "number":
      return `the number ${form.text}`;
    case "nil":
      return "nil";
    case "bool":
      return String(form.value);
  }
}

/** Number text without a redundant leading "+", which `.strat` text and `shiftDecimal` do not accept. */
export function plainText(form: NumberForm): string {
  return form.text.charCodeAt(0) === 43 ? form.text.slice(1) : form.text;
}

/** A Composer fraction (0.45) as a `.strat` percent literal (45%). */
export function fractionToPercent(form: NumberForm): A.NumberLit {
  const text = shiftDecimal(plainText(form), 2);
  return { kind: "number", text, value: Number(text), percent: true, span: form.span };
}

/** A bare number (windows, counts, comparison operands; the comparison may mark it percent later). */
export function numberLit(form: NumberForm): A.NumberLit {
  const text = plainText(form);
  return { kind: "number", text, value: Number(text), percent: false, span: form.span };
}
