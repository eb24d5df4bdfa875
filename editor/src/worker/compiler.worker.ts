/**
 * The compiler in a web worker: the same compiler, `formatStrat` and `convertComposer` as the
 * CLI, bundled for the browser, so checking never blocks typing. Checks go through an
 * incremental session per open file (src/lang/incremental), which gives what `compile` gives
 * but redoes only the declarations an edit touched: a keystroke in a large file costs
 * milliseconds, not a full compile. Imports are fetched from the server synchronously (allowed
 * in workers), because the compiler's host interface is synchronous.
 */
import { CompileSession } from "../../../src/lang/incremental/index.js";
import type { Diagnostic } from "../../../src/lang/diagnostics.js";
import { convertComposer, formatStrat } from "../../../src/lang/format/index.js";
import type { CompileHost } from "../../../src/lang/module.js";
import type { EditorDiagnostic, WorkerRequest, WorkerResponse } from "../protocol.js";
import { rangeOf, symbolsOf } from "./symbols.js";

/** Imported files by `from|path`; cleared when another file is opened. */
const imports = new Map<string, { file: string; text: string } | null>();
let currentFile = "";
/** The open file's session; a new one per file (and with it, fresh imports). */
let session: CompileSession | null = null;

const host: CompileHost = {
  readFile(path, fromFile) {
    const key = `${fromFile}|${path}`;
    if (!imports.has(key)) {
      const request = new XMLHttpRequest();
      request.open("GET", `/api/resolve?path=${encodeURIComponent(path)}&from=${encodeURIComponent(fromFile)}`, false);
      try {
        request.send();
        imports.set(key, request.status === 200 ? (JSON.parse(request.responseText) as { file: string; text: string }) : null);
      } catch {
        imports.set(key, null);
      }
    }
    return imports.get(key) ?? null;
  },
};

function editorDiagnostic(d: Diagnostic): EditorDiagnostic {
  const out: EditorDiagnostic = { code: d.code, severity: d.severity, message: d.message, file: d.file, range: rangeOf(d.span) };
  if (d.hint !== undefined) out.hint = d.hint;
  if (d.fix !== undefined) out.fix = { title: d.fix.title, text: d.fix.text, range: rangeOf(d.fix.span) };
  return out;
}

function handle(request: WorkerRequest): WorkerResponse {
  if (request.file !== currentFile) {
    imports.clear();
    currentFile = request.file;
    session = null;
  }
  switch (request.kind) {
    case "check": {
      session ??= new CompileSession({ file: request.file, host });
      const result = session.update(request.text);
      return { id: request.id, kind: "check", diagnostics: result.diagnostics.map(editorDiagnostic), symbols: symbolsOf(result, request.text, host) };
    }
    case "format":
    case "convert": {
      const result = request.kind === "format" ? formatStrat(request.text, request.file) : convertComposer(request.text, request.file);
      return { id: request.id, kind: request.kind, text: result.text, diagnostics: result.diagnostics.map(editorDiagnostic) };
    }
  }
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  let response: WorkerResponse;
  try {
    response = handle(event.data);
  } catch (error) {
    response = { id: event.data.id, kind: "failed", message: (error as Error).message };
  }
  self.postMessage(response);
};
