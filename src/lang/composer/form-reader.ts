/**
 * The shared base of the Composer converter: how it reports a wrong shape, extra arguments and
 * tickers. Split from symphony.ts (nodes) and expressions.ts (conditions and indicators).
 */
import type * as A from "../ast.js";
import type { DiagnosticSink } from "../diagnostics.js";
import type { Span } from "../source.js";
import type { CollectionForm, Form } from "./forms.js";
import { PLAIN_TICKER, type Call, arg, describe } from "./form-helpers.js";

export class FormReader {
  constructor(protected readonly sink: DiagnosticSink) {}

  /** S1103. Complaints about missing arguments are dropped for a form the reader had to close itself. */
  protected shape(span: Span, message: string, hint?: string, missingIn?: CollectionForm): void {
    if (missingIn !== undefined && !missingIn.closed) return;
    this.sink.add("wrongShape", span, message, hint === undefined ? {} : { hint });
  }

  /** Reports arguments past `count` (and converts node-like extras, to find errors inside them). */
  protected extraArgs(call: Call, count: number, usage: string): void {
    for (let i = count; i < call.argc; i++) {
      const extra = arg(call, i)!;
      this.shape(extra.span, `(${call.head} ...) has an extra argument here (${describe(extra)}); expected ${usage}`);
    }
  }

  /** A ticker string as a name (plain upper-case) or a string node spanning `nodeSpan`; its ident keeps the string's span. */
  protected ticker(form: Form, nodeSpan?: Span): A.NameRef | A.StringLit | null {
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
}
