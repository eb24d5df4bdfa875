/**
 * Terminal rendering of diagnostics:
 *
 *   strategies/x.strat:12:34: error S2003: '<' compares a percent with the bare number -6
 *      12 |   if cumulative_return(SPY, 5) < -6 {
 *         |                                  ^^
 *      = hint: write -6%
 *
 * and the JSON form used by `--json` and the editor.
 */
import type { Diagnostic } from "./diagnostics.js";
import type { LineIndex } from "./source.js";

/** Longest source line shown; longer lines are cut around the caret. */
const MAX_SHOWN = 120;

/** Renders one diagnostic with its source line and carets. `lines` is the diagnostic's file. */
export function renderDiagnostic(d: Diagnostic, lines: LineIndex | null): string {
  const head = `${d.file}:${d.span.line}:${d.span.col}: ${d.severity} ${d.code}: ${d.message}`;
  const out = [head];
  if (lines !== null && d.span.line <= lines.lineCount) {
    const text = lines.lineText(d.span.line).replace(/\t/g, " ");
    const caretWidth = Math.max(1, d.span.endLine === d.span.line ? d.span.endCol - d.span.col : text.length - d.span.col + 1);
    let start = 0;
    if (text.length > MAX_SHOWN && d.span.col > MAX_SHOWN - 20) start = d.span.col - 40;
    const shown = text.slice(start, start + MAX_SHOWN);
    const gutter = String(d.span.line);
    const pad = " ".repeat(gutter.length);
    const caretCol = d.span.col - 1 - start;
    const width = Math.max(1, Math.min(caretWidth, shown.length - caretCol));
    out.push(` ${gutter} | ${shown}`);
    out.push(` ${pad} | ${" ".repeat(Math.max(0, caretCol))}${"^".repeat(width)}`);
    if (d.hint !== undefined) out.push(` ${pad} = hint: ${d.hint}`);
  } else if (d.hint !== undefined) {
    out.push(`  = hint: ${d.hint}`);
  }
  return out.join("\n");
}

/** The JSON shape of a diagnostic: stable, documented in the README. */
export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  return {
    file: d.file,
    line: d.span.line,
    column: d.span.col,
    endLine: d.span.endLine,
    endColumn: d.span.endCol,
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.hint === undefined ? {} : { hint: d.hint }),
    ...(d.fix === undefined
      ? {}
      : { fix: { title: d.fix.title, text: d.fix.text, line: d.fix.span.line, column: d.fix.span.col, endLine: d.fix.span.endLine, endColumn: d.fix.span.endCol } }),
  };
}
