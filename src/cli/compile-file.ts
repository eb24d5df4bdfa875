/** Compiles one file from disk for a command, turning unreadable or oversized files into diagnostics. */
import { compile, type CompileResult } from "../lang/compile.js";
import { DiagnosticSink, type Diagnostic } from "../lang/diagnostics.js";
import { fileTooLargeMessage } from "../lang/limits.js";
import { diagnosticJson, renderDiagnostic } from "../lang/render.js";
import { LineIndex } from "../lang/source.js";
import { displayPath, fsHost, readSource } from "./fs-host.js";

export interface FileCompilation {
  path: string;
  result: CompileResult | null;
  diagnostics: Diagnostic[];
  compileMs: number;
  /** The source text, when it could be read. */
  text: string | null;
}

/** Reads and compiles `path`; never throws for user input. */
export function compileFile(path: string): FileCompilation {
  const shown = displayPath(path);
  const read = readSource(path);
  if (!read.ok) {
    const sink = new DiagnosticSink(shown);
    const span = new LineIndex("").span(0, 0);
    if (read.reason === "too-large") {
      sink.add("fileTooLarge", span, fileTooLargeMessage(read.bytes));
    } else {
      sink.add("importNotFound", span, `cannot read the file: ${read.message}`);
    }
    return { path: shown, result: null, diagnostics: sink.items, compileMs: 0, text: null };
  }
  const started = performance.now();
  const result = compile(read.text, { file: shown, host: fsHost() });
  const compileMs = performance.now() - started;
  return { path: shown, result, diagnostics: result.diagnostics, compileMs, text: read.text };
}

/** Diagnostics rendered for the terminal, each with its own file's source line. */
export function renderAll(compilation: FileCompilation): string[] {
  return compilation.diagnostics.map((d) => renderDiagnostic(d, compilation.result?.files.get(d.file) ?? null));
}

export function diagnosticsJson(compilation: FileCompilation): Record<string, unknown>[] {
  return compilation.diagnostics.map(diagnosticJson);
}

export function countSeverity(diagnostics: Diagnostic[], severity: "error" | "warning"): number {
  return diagnostics.filter((d) => d.severity === severity).length;
}
