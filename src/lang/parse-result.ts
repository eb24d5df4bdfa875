/** What both front ends (`.strat` parser, Composer reader) return, and their shared size guard. */
import type { Program } from "./ast.js";
import { DiagnosticSink } from "./diagnostics.js";
import { fileTooLargeMessage, MAX_SOURCE_LENGTH } from "./limits.js";
import { LineIndex } from "./source.js";

export interface ParseResult {
  program: Program;
  sink: DiagnosticSink;
  lines: LineIndex;
}

/** A program with no declarations spanning `lines`' text. */
export function emptyProgram(file: string, lines: LineIndex): Program {
  return { kind: "program", file, decls: [], comments: [], brokenNames: new Set(), span: lines.span(0, lines.text.length) };
}

/** The S1007 result for a source over the size limit, or null when the size is fine. */
export function rejectOversized(text: string, file: string): ParseResult | null {
  if (text.length <= MAX_SOURCE_LENGTH) return null;
  const sink = new DiagnosticSink(file);
  const lines = new LineIndex("");
  sink.add("fileTooLarge", lines.span(0, 0), fileTooLargeMessage(text.length));
  return { program: emptyProgram(file, lines), sink, lines };
}
