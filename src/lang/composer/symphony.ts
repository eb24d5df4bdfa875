/**
 * Composer forms → the `.strat` AST: one `(defsymphony "NAME" {HEADER} BODY)` becomes one
 * `strategy` declaration (SEMANTICS.md §5). Composer's raw-number comparisons become unit-correct
 * `.strat`: a bare number against a percent indicator is a percent (points), and a percent
 * indicator against a price or a score is wrapped in `points(...)`. Every problem is a located
 * diagnostic; siblings of a bad form are still converted so one run reports as much as possible.
 * Recursion depth is bounded by MAX_COMPOSER_NESTING, which the form reader enforces.
 */
import { emptyProgram, rejectOversized, type ParseResult } from "../parse-result.js";
import type * as A from "../ast.js";
import { shiftDecimal } from "../decimal.js";
import { DiagnosticSink } from "../diagnostics.js";
import { joinSpans, LineIndex, type Span } from "../source.js";
import { didYouMean } from "../suggest.js";
import { INDICATORS, indicatorByComposerName, indicatorByName, type Unit } from "../../ir/indicators.js";
import { readForms, type CollectionForm, type Form, type NumberForm } from "./forms.js";

/** What `readComposer` returns; the same shape as `parseStrat`'s result. */
export type ComposerReadResult = ParseResult;

const NODE_FORMS = ["asset", "group", "weight-equal", "weight-specified", "weight-inverse-volatility", "if", "filter"];
// A Map, not an object literal, so heads such as `toString` are not mistaken for operators.
const COMPARISONS = new Map<string, A.BinaryOp>([
  [">", ">"],
  ["<", "<"],
  [">=", ">="],
  ["<=", "<="],
  ["=", "=="],
]);
const FREQUENCIES = ["none", "daily", "weekly", "monthly", "quarterly", "yearly"];
const HEADER_KEYS = ["asset-class", "rebalance-frequency", "rebalance-threshold"];
const SELECTORS = ["select-top", "select-bottom"];
const COMPOSER_INDICATORS = Object.values(INDICATORS).map((spec) => spec.composer);
const PLAIN_TICKER = /^[A-Z][A-Z0-9]*$/;

/** A list whose first item is a symbol: `(head args...)`; the arguments stay in `form.items` (see `arg`). */
interface Call {
  form: CollectionForm;
  head: string;
  headSpan: Span;
  /** Number of arguments after the head. */
  argc: number;
}

function asCall(form: Form): Call | null {
  if (form.kind !== "list") return null;
  const first = form.items[0];
  if (first === undefined || first.kind !== "symbol") return null;
  return { form, head: first.name, headSpan: first.span, argc: form.items.length - 1 };
}

/** The i-th argument (0-based, after the head). Indexing instead of slicing keeps big files' GC work down. */
function arg(call: Call, i: number): Form | undefined {
  return call.form.items[i + 1];
}

/** How an indicator is written, for messages: `(rsi "SPY" {:window 10})`. */
function indicatorUsage(head: string, withTicker: boolean, windowed: boolean): string {
  return `(${head}${withTicker ? ' "SPY"' : ""}${windowed ? " {:window 10}" : ""})`;
}

/** A short description of a form for messages: `(asset ...)`, `a vector [...]`, `the number 5`. */
function describe(form: Form): string {
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
function plainText(form: NumberForm): string {
  return form.text.charCodeAt(0) === 43 ? form.text.slice(1) : form.text;
}

/** A Composer fraction (0.45) as a `.strat` percent literal (45%). */
function fractionToPercent(form: NumberForm): A.NumberLit {
  const text = shiftDecimal(plainText(form), 2);
  return { kind: "number", text, value: Number(text), percent: true, span: form.span };
}

/** A bare number (windows, counts, comparison operands; the comparison may mark it percent later). */
function numberLit(form: NumberForm): A.NumberLit {
  const text = plainText(form);
  return { kind: "number", text, value: Number(text), percent: false, span: form.span };
}

class SymphonyConverter {
  constructor(private readonly sink: DiagnosticSink) {}

  /** S1103. Complaints about missing arguments are dropped for a form the reader had to close itself. */
  private shape(span: Span, message: string, hint?: string, missingIn?: CollectionForm): void {
    if (missingIn !== undefined && !missingIn.closed) return;
    this.sink.add("wrongShape", span, message, hint === undefined ? {} : { hint });
  }

  /** The single strategy of a file, or null when there is no defsymphony. */
  program(forms: Form[]): A.StrategyDecl | null {
    let decl: A.StrategyDecl | null = null;
    let found = false;
    for (const form of forms) {
      const call = asCall(form);
      if (found) {
        this.sink.add("trailingForm", form.span, `unexpected ${describe(form)} after the defsymphony form`, {
          hint: "a Composer file holds exactly one (defsymphony ...)",
        });
      } else if (call !== null && call.head === "defsymphony") {
        found = true;
        decl = this.symphony(call);
      } else {
        this.sink.add("expectedSymphony", form.span, `expected (defsymphony "NAME" {...} ...) but found ${describe(form)}`);
      }
    }
    return decl;
  }

  private symphony(call: Call): A.StrategyDecl {
    const nameForm = arg(call, 0);
    const second = arg(call, 1);
    const rest = call.form.items.slice(3);
    let name: A.StringLit = { kind: "string", value: "", span: call.headSpan };
    if (nameForm === undefined) {
      this.shape(call.form.span, 'defsymphony needs a name, a header map and a body: (defsymphony "NAME" {...} (weight-equal [...]))', undefined, call.form);
    } else if (nameForm.kind !== "string") {
      this.shape(nameForm.span, `expected the symphony's name as a string but found ${describe(nameForm)}`);
    } else {
      name = { kind: "string", value: nameForm.value, span: nameForm.span };
    }
    let settings: A.Setting[] = [];
    let bodyForms = rest;
    if (second !== undefined && second.kind === "map") settings = this.header(second);
    else if (second !== undefined) {
      this.shape(second.span, `expected the header map {:asset-class ...} after the name but found ${describe(second)}`);
      bodyForms = [second, ...rest];
    }
    const body: A.Expr[] = [];
    if (bodyForms.length === 0 && nameForm !== undefined) {
      this.shape(call.form.span, "defsymphony has no body; expected one node such as (weight-equal [...])", undefined, call.form);
    }
    bodyForms.forEach((form, i) => {
      const node = this.node(form);
      if (i > 0) this.shape(form.span, `defsymphony takes one body node; wrap several in (weight-equal [...])`);
      else if (node !== null) body.push(node);
    });
    return { kind: "strategy", name, settings, body, span: call.form.span };
  }

  private header(map: CollectionForm): A.Setting[] {
    if (map.items.length % 2 !== 0) {
      const last = map.items[map.items.length - 1]!;
      this.shape(last.span, "the header map needs a value after every key");
    }
    let frequency: { mode: string; key: Span; value: Span } | null = null;
    let threshold: { lit: A.NumberLit; key: Span } | null = null;
    const seen = new Set<string>();
    for (let i = 0; i + 1 < map.items.length; i += 2) {
      const key = map.items[i]!;
      const value = map.items[i + 1]!;
      if (key.kind !== "keyword" || !HEADER_KEYS.includes(key.name)) {
        const message =
          key.kind === "keyword"
            ? `unknown header key :${key.name}${didYouMean(`:${key.name}`, HEADER_KEYS.map((k) => `:${k}`))}`
            : `header keys are keywords such as :rebalance-frequency, not ${describe(key)}`;
        this.sink.add("unknownHeaderKey", key.span, message, {
          hint: "the header knows :asset-class, :rebalance-frequency and :rebalance-threshold",
        });
        continue;
      }
      if (seen.has(key.name)) {
        this.sink.add("badHeaderValue", key.span, `header key :${key.name} is given twice`);
        continue;
      }
      seen.add(key.name);
      if (key.name === "asset-class") {
        // Only the asset class's well-formedness matters; Strat trades whatever the tickers are.
        if (value.kind !== "string") this.sink.add("badHeaderValue", value.span, `:asset-class must be a string such as "EQUITIES", not ${describe(value)}`);
      } else if (key.name === "rebalance-frequency") {
        if (value.kind === "keyword" && FREQUENCIES.includes(value.name)) frequency = { mode: value.name, key: key.span, value: value.span };
        else {
          this.sink.add("badHeaderValue", value.span, `:rebalance-frequency must be one of ${FREQUENCIES.map((f) => `:${f}`).join(" ")}, not ${describe(value)}`);
        }
      } else if (value.kind === "number") {
        threshold = { lit: fractionToPercent(value), key: key.span };
      } else {
        this.sink.add("badHeaderValue", value.span, `:rebalance-threshold must be a fraction such as 0.05, not ${describe(value)}`);
      }
    }
    // A threshold corridor decides by drift, so it replaces any calendar frequency.
    if (threshold !== null) {
      const mode: A.Ident = { name: "threshold", span: threshold.lit.span };
      return [{ kind: "rebalance", mode, threshold: threshold.lit, span: joinSpans(threshold.key, threshold.lit.span) }];
    }
    if (frequency !== null) {
      const mode: A.Ident = { name: frequency.mode, span: frequency.value };
      return [{ kind: "rebalance", mode, threshold: null, span: joinSpans(frequency.key, frequency.value) }];
    }
    return [];
  }

  /** An allocation node, or null after reporting why not. */
  private node(form: Form): A.Expr | null {
    const call = asCall(form);
    if (call === null) {
      if (form.kind === "vector") {
        this.shape(form.span, "expected a node such as (asset ...) but found a vector [...]", "a vector of children belongs inside a node: (weight-equal [...])");
        this.children(form);
      } else if (form.kind === "list") {
        this.shape(form.span, `expected a node such as (asset ...) but found ${describe(form)}`);
      } else {
        this.shape(form.span, `expected a node such as (asset "SPY" nil) but found ${describe(form)}`);
      }
      return null;
    }
    switch (call.head) {
      case "asset":
        return this.asset(call);
      case "group":
        return this.group(call);
      case "weight-equal":
        return this.equal(call);
      case "weight-specified":
        return this.weighted(call);
      case "weight-inverse-volatility":
        return this.inverseVolatility(call);
      case "if":
        return this.ifNode(call);
      case "filter":
        return this.filter(call);
    }
    if (indicatorByComposerName(call.head) !== undefined || COMPARISONS.has(call.head) || SELECTORS.includes(call.head)) {
      this.shape(call.form.span, `(${call.head} ...) is not an allocation node; expected (asset ...), (group ...), (weight-equal ...), (if ...) or similar`);
    } else {
      this.sink.add("unknownForm", call.headSpan, `unknown form '${call.head}'${didYouMean(call.head, NODE_FORMS)}`, {
        hint: `known nodes: ${NODE_FORMS.join(", ")}`,
      });
    }
    return null;
  }

  /** The nodes of a children vector; a lone node where a vector belongs is reported and used as the only child. */
  private children(form: Form, owner?: string): A.Expr[] {
    if (form.kind !== "vector") {
      this.shape(form.span, `expected a vector [...] of children${owner === undefined ? "" : ` for ${owner}`} but found ${describe(form)}`, "wrap the children in [ ]");
      const node = this.node(form);
      return node === null ? [] : [node];
    }
    const out: A.Expr[] = [];
    for (const item of form.items) {
      const node = this.node(item);
      if (node !== null) out.push(node);
    }
    return out;
  }

  /** Reports arguments past `count` (and converts node-like extras, to find errors inside them). */
  private extraArgs(call: Call, count: number, usage: string): void {
    for (let i = count; i < call.argc; i++) {
      const extra = arg(call, i)!;
      this.shape(extra.span, `(${call.head} ...) has an extra argument here (${describe(extra)}); expected ${usage}`);
    }
  }

  /** A ticker string as a name (plain upper-case) or a string node spanning `nodeSpan`; its ident keeps the string's span. */
  private ticker(form: Form, nodeSpan?: Span): A.NameRef | A.StringLit | null {
    if (form.kind !== "string") {
      this.shape(form.span, `expected a ticker string such as "SPY" but found ${describe(form)}`);
      return null;
    }
    if (form.value === "") {
      this.shape(form.span, "the ticker is empty");
      return null;
    }
    // Composer writes share classes as BRK/B; brokers and data files use BRK.B.
    const value = form.value.includes("/") ? form.value.replaceAll("/", ".") : form.value;
    const span = nodeSpan ?? form.span;
    if (PLAIN_TICKER.test(value)) return { kind: "name", parts: [{ name: value, span: form.span }], span };
    return { kind: "string", value, span };
  }

  private asset(call: Call): A.Expr | null {
    const usage = '(asset "TICKER" "display name")';
    const tickerForm = arg(call, 0);
    const display = arg(call, 1);
    if (tickerForm === undefined) {
      this.shape(call.form.span, `asset needs a ticker: ${usage}`, undefined, call.form);
      return null;
    }
    if (display !== undefined && display.kind !== "string" && display.kind !== "nil") {
      this.shape(display.span, `expected the asset's display name (a string or nil) but found ${describe(display)}`);
    }
    this.extraArgs(call, 2, usage);
    // The node is the whole (asset ...) form.
    return this.ticker(tickerForm, call.form.span);
  }

  private group(call: Call): A.Expr | null {
    const usage = '(group "NAME" [children])';
    const nameForm = arg(call, 0);
    const childrenForm = arg(call, 1);
    let name: A.StringLit | null = null;
    if (nameForm === undefined) this.shape(call.form.span, `group needs a name and children: ${usage}`, undefined, call.form);
    else if (nameForm.kind === "vector" && childrenForm === undefined) {
      // The name was left out: one complaint, and the vector is still read as the children.
      this.shape(nameForm.span, `group needs a name before its children: ${usage}`);
      this.children(nameForm, "group");
      return null;
    } else if (nameForm.kind !== "string") this.shape(nameForm.span, `expected the group's name as a string but found ${describe(nameForm)}`);
    else name = { kind: "string", value: nameForm.value, span: nameForm.span };
    if (nameForm !== undefined && childrenForm === undefined) {
      this.shape(call.form.span, `group has no children: ${usage}`, undefined, call.form);
    }
    const children = childrenForm === undefined ? null : this.children(childrenForm, "group");
    this.extraArgs(call, 2, usage);
    return name === null || children === null ? null : { kind: "group", name, children, span: call.form.span };
  }

  private equal(call: Call): A.Expr | null {
    const childrenForm = arg(call, 0);
    if (childrenForm === undefined) {
      this.shape(call.form.span, "weight-equal has no children: (weight-equal [children])", undefined, call.form);
      return null;
    }
    const children = this.children(childrenForm, "weight-equal");
    this.extraArgs(call, 1, "(weight-equal [children])");
    return { kind: "equal", children, span: call.form.span };
  }

  private weighted(call: Call): A.Expr | null {
    const usage = "(weight-specified w1 node1 w2 node2 ...) with fractions such as 0.6";
    const first = arg(call, 0);
    if (first === undefined) {
      this.shape(call.form.span, `weight-specified has no children: ${usage}`, undefined, call.form);
      return null;
    }
    if (first.kind === "vector" && call.argc === 1) {
      this.shape(first.span, `weight-specified takes weight/node pairs, not a vector: ${usage}`);
      return null;
    }
    let ok = true;
    const children: A.WeightedChild[] = [];
    let i = 0;
    while (i < call.argc) {
      const weightForm = arg(call, i)!;
      if (weightForm.kind !== "number") {
        // A missing weight: report it and read the form as a node, so the pairs after it stay aligned.
        this.shape(weightForm.span, `expected a weight (a fraction such as 0.6) before ${describe(weightForm)}`, usage);
        this.node(weightForm);
        ok = false;
        i += 1;
        continue;
      }
      const nodeForm = arg(call, i + 1);
      i += 2;
      if (nodeForm === undefined) {
        this.shape(weightForm.span, `the weight ${weightForm.text} has no node after it`, usage, call.form);
        ok = false;
        continue;
      }
      const node = this.node(nodeForm);
      if (node === null) ok = false;
      else children.push({ weight: fractionToPercent(weightForm), node, span: joinSpans(weightForm.span, nodeForm.span) });
    }
    return ok ? { kind: "weighted", children, span: call.form.span } : null;
  }

  private inverseVolatility(call: Call): A.Expr | null {
    const usage = "(weight-inverse-volatility N [children])";
    const windowForm = arg(call, 0);
    const childrenForm = arg(call, 1);
    if (windowForm === undefined || childrenForm === undefined) {
      this.shape(call.form.span, `weight-inverse-volatility needs a window and children: ${usage}`, undefined, call.form);
    }
    const window = windowForm === undefined ? null : this.window(windowForm, usage);
    const children = childrenForm === undefined ? null : this.children(childrenForm, "weight-inverse-volatility");
    this.extraArgs(call, 2, usage);
    return window === null || children === null ? null : { kind: "inverse_volatility", window, children, span: call.form.span };
  }

  private ifNode(call: Call): A.Expr | null {
    const usage = "(if CONDITION [then...] [else...])";
    const condForm = arg(call, 0);
    const thenForm = arg(call, 1);
    const elseForm = arg(call, 2);
    if (condForm === undefined || thenForm === undefined) {
      this.shape(call.form.span, `if needs a condition and a then vector: ${usage}`, undefined, call.form);
    }
    const cond = condForm === undefined ? null : this.condition(condForm);
    const body = thenForm === undefined ? null : this.children(thenForm, "the then branch");
    const elseBody = elseForm === undefined ? null : this.children(elseForm, "the else branch");
    this.extraArgs(call, 3, usage);
    if (cond === null || body === null || condForm === undefined || thenForm === undefined) return null;
    return {
      kind: "if",
      branches: [{ cond, body, span: joinSpans(condForm.span, thenForm.span) }],
      elseBody,
      elseSpan: elseForm === undefined ? null : elseForm.span,
      span: call.form.span,
    };
  }

  private filter(call: Call): A.Expr | null {
    const usage = "(filter (rsi {:window 10}) (select-top N) [candidates])";
    const metricForm = arg(call, 0);
    const selectForm = arg(call, 1);
    const childrenForm = arg(call, 2);
    if (childrenForm === undefined) {
      this.shape(call.form.span, `filter needs a metric, a selection and candidates: ${usage}`, undefined, call.form);
    }
    const metric = metricForm === undefined ? null : this.indicator(metricForm, false);
    let select: A.FilterNode["select"] | null = null;
    let count: A.NumberLit | null = null;
    if (selectForm !== undefined) {
      const selectCall = asCall(selectForm);
      if (selectCall === null || !SELECTORS.includes(selectCall.head)) {
        this.shape(selectForm.span, `expected (select-top N) or (select-bottom N) but found ${describe(selectForm)}`, usage);
      } else {
        const n = arg(selectCall, 0);
        if (n === undefined || n.kind !== "number") {
          this.shape(n?.span ?? selectCall.form.span, `expected the number of candidates to keep: (${selectCall.head} N)`, undefined, n === undefined ? selectCall.form : undefined);
        } else {
          select = selectCall.head === "select-top" ? "top" : "bottom";
          // Range and wholeness are the checker's (S3006), as for `top N by` in `.strat`.
          count = numberLit(n);
        }
        this.extraArgs(selectCall, 1, `(${selectCall.head} N)`);
      }
    }
    const children = childrenForm === undefined ? null : this.children(childrenForm, "filter");
    this.extraArgs(call, 3, usage);
    if (metric === null || select === null || count === null || children === null) return null;
    return { kind: "filter", select, count, metric, children, span: call.form.span };
  }

  /** `(> a b)` and friends. */
  private condition(form: Form): A.Expr | null {
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

  private operand(form: Form): A.NumberLit | A.Call | null {
    if (form.kind === "number") return numberLit(form);
    return this.indicator(form, true);
  }

  /** `(rsi "SPY" {:window 10})` (withTicker) or the filter metric form `(rsi {:window 10})`. */
  private indicator(form: Form, withTicker: boolean): A.Call | null {
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
  private windowMap(form: Form, head: string, withTicker: boolean): A.NumberLit | null {
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
  private window(form: Form, usage?: string): A.NumberLit | null {
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

/**
 * Reads a Composer symphony (`.clj`) into a Program with one `strategy` declaration (none when
 * the file has no defsymphony). `file` only labels diagnostics. Never throws: every problem is a
 * diagnostic in `sink` with its span; `lines` indexes `text` for rendering them.
 */
export function readComposer(text: string, file: string): ComposerReadResult {
  const oversized = rejectOversized(text, file);
  if (oversized !== null) return oversized;
  const sink = new DiagnosticSink(file);
  const lines = new LineIndex(text);
  const { forms, stopped } = readForms(text, lines, sink);
  // Composer `;` comments are not carried over: they are not `.strat` comments.
  const program = emptyProgram(file, lines);
  if (stopped) return { program, sink, lines };
  const decl = new SymphonyConverter(sink).program(forms);
  if (decl === null) {
    if (forms.length === 0) {
      sink.add("expectedSymphony", lines.span(0, 0), 'the file holds no (defsymphony "NAME" {...} ...) form');
    }
  } else program.decls.push(decl);
  return { program, sink, lines };
}


