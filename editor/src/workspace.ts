/**
 * The file side of the page: the list of the workspace's `.strat`/`.clj` files, one Monaco model
 * per opened file (unsaved edits survive switching), save through the server, the unsaved
 * marker, and converting a Composer file to `.strat`.
 */
import { api } from "./api.js";
import type { CompilerClient } from "./compiler-client.js";
import type { LiveDiagnostics } from "./diagnostics.js";
import { COMPOSER_LANGUAGE_ID } from "./composer-language.js";
import * as monaco from "./monaco.js";
import { LANGUAGE_ID } from "./tokenizer.js";

interface OpenFile {
  path: string;
  model: monaco.editor.ITextModel;
  /** The text as last read or saved. */
  saved: string;
  /** Set on first display: a model loaded only to resolve a definition is not checked yet. */
  watcher: monaco.IDisposable | null;
  /** A bundled file (the package's stdlib) shown for reading; saving it is refused. */
  readOnly: boolean;
}

/** A file's text and whether the editor may save it. */
export interface FileSource {
  text: string;
  readOnly: boolean;
}

/** The Monaco language of a workspace path. */
export function languageOf(path: string): string {
  if (path.endsWith(".strat")) return LANGUAGE_ID;
  return path.endsWith(".clj") ? COMPOSER_LANGUAGE_ID : "plaintext";
}

/** The model URI of a workspace path; `pathOfUri` inverts it. */
export function uriOf(path: string): monaco.Uri {
  return monaco.Uri.file(`/${path}`);
}

/** The workspace's files and the open one. */
export class Workspace {
  private readonly open = new Map<string, OpenFile>();
  current: OpenFile | null = null;
  files: string[] = [];
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly editor: monaco.editor.IStandaloneCodeEditor,
    private readonly live: LiveDiagnostics,
    private readonly compiler: CompilerClient,
    private readonly list: HTMLElement,
    private readonly status: (text: string) => void,
  ) {}

  /** Called when the open file, the file list or a dirty state changes. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    this.renderList();
    for (const listener of this.listeners) listener();
  }

  /** The workspace path of a model URI made by `uriOf`, or null for another URI. */
  pathOfUri(uri: monaco.Uri): string | null {
    for (const file of this.open.values()) if (file.model.uri.toString() === uri.toString()) return file.path;
    return null;
  }

  /** True when the open file is a bundled one that cannot be saved. */
  isReadOnly(): boolean {
    return this.current?.readOnly ?? false;
  }

  /**
   * The model of `path`, created from `load` (default: the workspace file) the first time.
   * Creating it does not display or check it, so the definition provider can make a target
   * model (Monaco needs one for the Ctrl-hover preview) without disturbing the open file.
   */
  async model(path: string, load: () => Promise<FileSource> = async () => ({ text: (await api.read(path)).text, readOnly: false })): Promise<monaco.editor.ITextModel> {
    const existing = this.open.get(path);
    if (existing !== undefined) return existing.model;
    const { text, readOnly } = await load();
    // Another call may have created it while this one waited for the server.
    const raced = this.open.get(path);
    if (raced !== undefined) return raced.model;
    const model = monaco.editor.createModel(text, languageOf(path), uriOf(path));
    model.onDidChangeContent(() => this.changed());
    this.open.set(path, { path, model, saved: text, watcher: null, readOnly });
    return model;
  }

  /** The workspace path of a model (for the compiler's diagnostics and imports). */
  pathOf(model: monaco.editor.ITextModel): string {
    for (const file of this.open.values()) if (file.model === model) return file.path;
    return "<input>";
  }

  /** True when `path` (default: the open file) has unsaved edits. */
  isDirty(path = this.current?.path): boolean {
    const file = path === undefined ? undefined : this.open.get(path);
    return file !== undefined && file.model.getValue() !== file.saved;
  }

  /** Reloads the file list from the server. */
  async refresh(): Promise<void> {
    this.files = (await api.files()).files;
    this.changed();
  }

  /**
   * Opens `path` (reading it the first time, or through `load` for an imported file) and, when
   * given, selects `at` and scrolls it into view.
   */
  async openFile(path: string, at?: monaco.IRange | monaco.IPosition, load?: () => Promise<FileSource>): Promise<void> {
    await this.model(path, load);
    const file = this.open.get(path)!;
    this.current = file;
    this.editor.setModel(file.model);
    this.editor.updateOptions({ readOnly: file.readOnly });
    this.live.focus(file.model);
    if (file.watcher === null) file.watcher = this.live.watch(file.model);
    else void this.live.check(file.model);
    if (at !== undefined) {
      if ("endLineNumber" in at) {
        this.editor.setSelection(at);
        this.editor.revealRangeInCenter(at);
      } else {
        this.editor.setPosition(at);
        this.editor.revealPositionInCenter(at);
      }
    }
    this.changed();
  }

  /** Saves the open file through the server. */
  async save(): Promise<void> {
    const file = this.current;
    if (file === null) return;
    if (file.readOnly) {
      this.status(`${file.path} is bundled with strat and read-only; copy it into the workspace to change it`);
      return;
    }
    const text = file.model.getValue();
    await api.save(file.path, text);
    file.saved = text;
    this.status(`saved ${file.path}`);
    this.changed();
  }

  /** Converts the open Composer file to `.strat` next to it, saves and opens that. */
  async convert(): Promise<void> {
    const file = this.current;
    if (file === null || !file.path.endsWith(".clj")) return;
    const result = await this.compiler.convert(file.path, file.model.getValue());
    if (result.text === null) {
      this.status(`cannot convert ${file.path}: ${result.diagnostics[0]?.message ?? "syntax errors"}`);
      return;
    }
    const target = file.path.replace(/\.clj$/, ".strat");
    await api.save(target, result.text);
    this.open.get(target)?.model.setValue(result.text);
    const reopened = this.open.get(target);
    if (reopened !== undefined) reopened.saved = result.text;
    await this.refresh();
    await this.openFile(target);
    this.status(`converted ${file.path} → ${target}`);
  }

  private renderList(): void {
    this.list.replaceChildren(
      ...this.files.map((path) => {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.dataset.path = path;
        button.textContent = `${path}${this.isDirty(path) ? " ●" : ""}`;
        if (path === this.current?.path) item.className = "current";
        button.onclick = () => void this.openFile(path);
        item.append(button);
        return item;
      }),
    );
  }
}
