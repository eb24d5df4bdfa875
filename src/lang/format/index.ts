/**
 * `strat fmt` and `strat convert`: source → canonical `.strat` text. Formatting refuses a file
 * with syntax errors (it would drop what it cannot parse).
 */
import type { Program } from "../ast.js";
import type { Diagnostic } from "../diagnostics.js";
import { parseSource } from "../module-loader.js";
import { idiomatic } from "./idiomatic.js";
import { printProgram } from "./printer.js";

export interface FormatResult {
  /** The formatted text, or null when the file has syntax errors. */
  text: string | null;
  /** Syntax errors that prevented formatting. */
  diagnostics: Diagnostic[];
}

/** Formats `.strat` source; comments are kept. */
export function formatStrat(source: string, file = "<input>"): FormatResult {
  const parsed = parseSource(source, file, "strat");
  const errors = parsed.sink.items.filter((d) => d.severity === "error");
  if (errors.length > 0) return { text: null, diagnostics: errors };
  return { text: printProgram(parsed.program, { source }), diagnostics: [] };
}

/** Prints an AST from any source (e.g. a Composer file) as idiomatic `.strat`. */
export function printStrat(program: Program): string {
  return printProgram(idiomatic(program));
}

/** Converts a Composer symphony to formatted `.strat` text. */
export function convertComposer(source: string, file = "<input>.clj"): FormatResult {
  const parsed = parseSource(source, file, "composer");
  const errors = parsed.sink.items.filter((d) => d.severity === "error");
  if (errors.length > 0) return { text: null, diagnostics: errors };
  return { text: printStrat(parsed.program), diagnostics: [] };
}
