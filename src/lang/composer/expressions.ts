/**
 * Composer conditions and indicator calls → `.strat` expressions, with Composer's raw-number
 * comparisons made unit-correct: a bare number against a percent indicator is a percent, and a
 * percent indicator against a price or a score is wrapped in `points(...)`.
 */
import type * as A from "../ast.js";
import { INDICATORS, indicatorByComposerName, indicatorByName, type Unit } from "../../ir/indicators.js";
import { didYouMean } from "../suggest.js";
import type { Form } from "./forms.js";
import { FormReader } from "./form-reader.js";
import { NODE_FORMS, COMPARISONS, SELECTORS, COMPOSER_INDICATORS, asCall, arg, indicatorUsage, describe, numberLit } from "./form-helpers.js";

export class ExpressionReader extends FormReader {
  /** `(> a b)` and friends. */
  protected condition(form: Form): A.Expr | null {
    const call = asCall(form);
    if (call === null) {
      this.shape(form.span, `expected a comparison such as (> (rsi "SPY" {:window 10}) 70) but found ${describe(form)}`);
      return null;
    }
    const op = COMPARISONS.get(call.head);
    if (op === undefined) {
      if (indicatorByComposerName(call.head) !== undefined || NODE_FORMS.includes(call.head)) {
        this.shape(call.form.span, `expected a comparison such as (> (${call.head === "asset" ? "rsi" : call.head} ...) 70) but found ${describe(form)}`);
      } else {
        this.sink.add("unknownForm", call.headSpan, `unknown form '${call.head}'${didYouMean(call.head, COMPARISONS.keys())}`, {
          hint: "conditions are comparisons: > < >= <= =",
        });
      }
      return null;
    }
    const leftForm = arg(call, 0);
    const rightForm = arg(call, 1);
    if (leftForm === undefined || rightForm === undefined) {
      this.shape(call.form.span, `(${call.head} ...) compares two values: (${call.head} (rsi "SPY" {:window 10}) 70)`, undefined, call.form);
    }
    const left = leftForm === undefined ? null : this.operand(leftForm);
    const right = rightForm === undefined ? null : this.operand(rightForm);
    this.extraArgs(call, 2, "two values");
    if (left === null || right === null) return null;
    // Composer writes percent quantities in percent points: (< (cumulative-return ...) -6) is −6 %.
    if (left.kind === "number" && unitOf(right) === "percent") left.percent = true;
    if (right.kind === "number" && unitOf(left) === "percent") right.percent = true;
    // Composer compares raw numbers, so a percent indicator against a price or a score compares
    // its points: (> (current-price "X") (moving-average-return "X" {:window 2})) is price > points(...).
    const lu = unitOf(left);
    const ru = unitOf(right);
    const mixed = (lu === "percent" && (ru === "price" || ru === "score")) || (ru === "percent" && (lu === "price" || lu === "score"));
    const l = mixed && lu === "percent" ? points(left as A.Call) : left;
    const r = mixed && ru === "percent" ? points(right as A.Call) : right;
    return { kind: "binary", op, left: l, right: r, opSpan: call.headSpan, span: call.form.span };
  }

  protected operand(form: Form): A.NumberLit | A.Call | null {
    if (form.kind === "number") return numberLit(form);
    return this.indicator(form, true);
  }

  /** `(rsi "SPY" {:window 10})` (withTicker) or the filter metric form `(rsi {:window 10})`. */
  protected indicator(form: Form, withTicker: boolean): A.Call | null {
    const expected = withTicker ? '(rsi "SPY" {:window 10}) or a number' : "(rsi {:window 10})";
    const call = asCall(form);
    if (call === null) {
      this.shape(form.span, `expected an indicator such as ${expected} but found ${describe(form)}`);
      return null;
    }
    const name = indicatorByComposerName(call.head);
    if (name === undefined) {
      if (NODE_FORMS.includes(call.head) || COMPARISONS.has(call.head) || SELECTORS.includes(call.head)) {
        this.shape(call.form.span, `expected an indicator such as ${expected} but found ${describe(form)}`);
      } else {
        this.sink.add("unknownIndicator", call.headSpan, `unknown indicator '${call.head}'${didYouMean(call.head, COMPOSER_INDICATORS)}`, {
          hint: `known indicators: ${COMPOSER_INDICATORS.join(", ")}`,
        });
      }
      return null;
    }
    const windowed = INDICATORS[name].windowed;
    const args: A.Expr[] = [];
    let ok = true;
    let next = 0;
    if (withTicker) {
      const tickerForm = arg(call, next);
      if (tickerForm === undefined) {
        this.shape(call.form.span, `${call.head} needs a ticker: ${indicatorUsage(call.head, withTicker, windowed)}`, undefined, call.form);
        return null;
      }
      const ticker = this.ticker(tickerForm);
      if (ticker === null) ok = false;
      else args.push(ticker);
      next++;
    } else if (arg(call, next)?.kind === "string") {
      this.shape(arg(call, next)!.span, `inside filter the metric is applied to each candidate and takes no ticker: ${indicatorUsage(call.head, withTicker, windowed)}`);
      ok = false;
      next++;
    }
    if (windowed) {
      const mapForm = arg(call, next);
      if (mapForm === undefined) {
        this.shape(call.form.span, `${call.head} needs a window: ${indicatorUsage(call.head, withTicker, windowed)}`, undefined, call.form);
        return null;
      }
      const window = this.windowMap(mapForm, call.head, withTicker);
      if (window === null) ok = false;
      else args.push(window);
      next++;
    }
    for (let i = next; i < call.argc; i++) {
      const extra = arg(call, i)!;
      this.shape(extra.span, `(${call.head} ...) has an extra argument here (${describe(extra)}); expected ${indicatorUsage(call.head, withTicker, windowed)}`);
      ok = false;
    }
    if (!ok) return null;
    const ident: A.Ident = { name, span: call.headSpan };
    return { kind: "call", callee: { kind: "name", parts: [ident], span: call.headSpan }, args, span: call.form.span };
  }

  /** `{:window N}` of indicator `head` → the window literal. */
  protected windowMap(form: Form, head: string, withTicker: boolean): A.NumberLit | null {
    if (form.kind !== "map") {
      this.shape(form.span, `expected {:window N} but found ${describe(form)}`, indicatorUsage(head, withTicker, true));
      return null;
    }
    let window: A.NumberLit | null = null;
    let found = false;
    let ok = true;
    for (let i = 0; i < form.items.length; i += 2) {
      const key = form.items[i]!;
      const value = form.items[i + 1];
      if (key.kind !== "keyword" || key.name !== "window") {
        this.shape(key.span, `${describe(key)} is not allowed in the window map; expected {:window N}`);
        ok = false;
        continue;
      }
      if (value === undefined) {
        this.shape(key.span, ":window needs a value: {:window 10}");
        ok = false;
        continue;
      }
      if (found) {
        this.shape(key.span, ":window is given twice");
        ok = false;
        continue;
      }
      found = true;
      window = this.window(value);
    }
    if (!found && ok) this.shape(form.span, `the window map has no :window; expected ${indicatorUsage(head, withTicker, true)}`, undefined, form);
    return ok ? window : null;
  }

  /** A window of bars: a positive whole number (S2008 otherwise). */
  protected window(form: Form, usage?: string): A.NumberLit | null {
    if (form.kind !== "number") {
      this.shape(form.span, `expected a window (a whole number of bars) but found ${describe(form)}`, usage);
      return null;
    }
    if (Number.isNaN(form.value)) return null; // malformed, already reported by the reader
    if (!Number.isInteger(form.value) || form.value <= 0) {
      this.sink.add("badWindow", form.span, `a window must be a positive whole number of bars, not ${form.text}`);
      return null;
    }
    return numberLit(form);
  }
}

/** The unit of an indicator call's value, or null for anything else (literals). */
function unitOf(expr: A.Expr): Unit | null {
  if (expr.kind !== "call") return null;
  const name = expr.callee.parts[0]?.name;
  return name === undefined ? null : (indicatorByName(name)?.unit ?? null);
}

/**
 * `points(call)`: the checker's unit cast from a percent to its number of points (the name is
 * POINTS in elaborate/expr.ts, spelled out here so the reader does not import the checker).
 */
function points(call: A.Call): A.Call {
  const ident: A.Ident = { name: "points", span: call.span };
  return { kind: "call", callee: { kind: "name", parts: [ident], span: call.span }, args: [call], span: call.span };
}
