/**
 * Live diagnostics: re-checks the model in the worker after a pause in typing, shows the
 * results as markers (code + message), and offers each diagnostic's fix-it as a quick fix.
 */
import type { CompilerClient } from "./compiler-client.js";
import * as monaco from "./monaco.js";
import type { EditorDiagnostic, Range, Symbols } from "./protocol.js";
import { LANGUAGE_ID } from "./tokenizer.js";

/** Pause after the last keystroke before checking. */
const DEBOUNCE_MS = 250;
/**
 * The pause for large files. Their checks are incremental (the worker redoes only the edited
 * declarations), so the pause is most of what the user waits for; the target is markers within
 * 150 ms of the last keystroke in a 500 KB file.
 */
const LARGE_FILE_DEBOUNCE_MS = 50;
/** From this many characters a file is large. */
const LARGE_FILE_CHARS = 64 * 1024;
const OWNER = "strat";

/** A compiler range as a Monaco range. */
export function monacoRange(r: Range): monaco.Range {
  return new monaco.Range(r.line, r.col, r.endLine, r.endCol);
}

function markerOf(d: EditorDiagnostic, mainFile: string): monaco.editor.IMarkerData {
  // Findings inside an imported file are shown at the top, naming the file.
  const range = d.file === mainFile ? d.range : { line: 1, col: 1, endLine: 1, endCol: 1 };
  const where = d.file === mainFile ? "" : ` (in ${d.file}:${d.range.line}:${d.range.col})`;
  return {
    severity: d.severity === "error" ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
    code: d.code,
    source: "strat",
    message: `${d.message}${where}${d.hint === undefined ? "" : `\nhint: ${d.hint}`}`,
    startLineNumber: range.line,
    startColumn: range.col,
    endLineNumber: range.endLine,
    endColumn: Math.max(range.endCol, range.line === range.endLine ? range.col + 1 : range.endCol),
  };
}

/** Keeps markers and symbols of the open model up to date. */
export class LiveDiagnostics {
  /** The last check's symbols (for completion, hover, definition). */
  symbols: Symbols = { params: [], lets: [], tickers: [], imports: [] };
  /** The last check's diagnostics. */
  diagnostics: EditorDiagnostic[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The latest check started for each model: an older reply for the same model is dropped. */
  private readonly versions = new WeakMap<monaco.editor.ITextModel, number>();
  private version = 0;
  /** The model in the editor: only its checks set `symbols`, `diagnostics` and notify. */
  private focused: monaco.editor.ITextModel | null = null;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly compiler: CompilerClient,
    private readonly fileOf: (model: monaco.editor.ITextModel) => string,
  ) {
    // Declaring the kind enables "auto fix" (apply the preferred quick fix) as well as the light bulb.
    monaco.languages.registerCodeActionProvider(LANGUAGE_ID, { provideCodeActions: (model, range) => this.quickFixes(model, range) }, { providedCodeActionKinds: ["quickfix"] });
  }

  /** Called after every check. */
  onChecked(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * Says which model the editor shows. Other open models are still checked (a check pending
   * when the user switched files lands later) and keep their markers, but their symbols would
   * be another file's: they never replace the shown file's.
   */
  focus(model: monaco.editor.ITextModel): void {
    this.focused = model;
  }

  /** Watches `model`: checks now and after edits. */
  watch(model: monaco.editor.ITextModel): monaco.IDisposable {
    void this.check(model);
    return model.onDidChangeContent(() => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.check(model), model.getValueLength() >= LARGE_FILE_CHARS ? LARGE_FILE_DEBOUNCE_MS : DEBOUNCE_MS);
    });
  }

  /** Checks `model` now. */
  async check(model: monaco.editor.ITextModel): Promise<void> {
    const version = ++this.version;
    this.versions.set(model, version);
    const file = this.fileOf(model);
    if (!file.endsWith(".strat") && !file.endsWith(".clj")) return;
    const result = await this.compiler.check(file, model.getValue());
    // A newer check of this model started meanwhile, or the model was closed: drop this one.
    if (version !== this.versions.get(model) || model.isDisposed()) return;
    monaco.editor.setModelMarkers(model, OWNER, result.diagnostics.map((d) => markerOf(d, file)));
    if (model !== this.focused) return;
    this.diagnostics = result.diagnostics;
    this.symbols = result.symbols;
    for (const listener of this.listeners) listener();
  }

  private quickFixes(model: monaco.editor.ITextModel, range: monaco.Range): monaco.languages.CodeActionList {
    const file = this.fileOf(model);
    const actions = this.diagnostics
      .filter((d) => d.fix !== undefined && d.file === file && monacoRange(d.range).intersectRanges(range) !== null)
      .map((d): monaco.languages.CodeAction => ({
        title: d.fix!.title,
        kind: "quickfix",
        isPreferred: true,
        diagnostics: [markerOf(d, file)],
        edit: { edits: [{ resource: model.uri, versionId: model.getVersionId(), textEdit: { range: monacoRange(d.fix!.range), text: d.fix!.text } }] },
      }));
    return { actions, dispose: () => {} };
  }
}
