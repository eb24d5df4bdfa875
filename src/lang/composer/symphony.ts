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
import { DiagnosticSink } from "../diagnostics.js";
import { joinSpans, LineIndex, type Span } from "../source.js";
import { didYouMean } from "../suggest.js";
import { indicatorByComposerName } from "../../ir/indicators.js";
import { readForms, type CollectionForm, type Form } from "./forms.js";
import { ExpressionReader } from "./expressions.js";
import { NODE_FORMS, COMPARISONS, FREQUENCIES, HEADER_KEYS, SELECTORS, type Call, asCall, arg, describe, fractionToPercent, numberLit } from "./form-helpers.js";

/** What `readComposer` returns; the same shape as `parseStrat`'s result. */
export type ComposerReadResult = ParseResult;

class SymphonyConverter extends ExpressionReader {


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


