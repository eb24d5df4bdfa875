/**
 * The file side of the page: the list of the workspace's `.strat`/`.clj` files, one Monaco model
 * per opened file (unsaved edits survive switching), save through the server, the unsaved
 * marker, and converting a Composer file to `.strat`.
 */
import { api } from "./api.js";
import type { CompilerClient } from "./compiler-client.js";
import type { LiveDiagnostics } from "./diagnostics.js";
import * as monaco from "./monaco.js";
import { LANGUAGE_ID } from "./tokenizer.js";

interface OpenFile {
  path: string;
  model: monaco.editor.ITextModel;
  /** The text as last read or saved. */
  saved: string;
  watcher: monaco.IDisposable;
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

  /** Opens `path` (reading it the first time). */
  async openFile(path: string): Promise<void> {
    let file = this.open.get(path);
    if (file === undefined) {
      const { text } = await api.read(path);
      const model = monaco.editor.createModel(text, path.endsWith(".strat") ? LANGUAGE_ID : "plaintext", monaco.Uri.file(`/${path}`));
      const opened: OpenFile = { path, model, saved: text, watcher: { dispose: () => {} } };
      opened.watcher = this.live.watch(model);
      model.onDidChangeContent(() => this.changed());
      this.open.set(path, opened);
      file = opened;
    }
    this.current = file;
    this.editor.setModel(file.model);
    void this.live.check(file.model);
    this.changed();
  }

  /** Saves the open file through the server. */
  async save(): Promise<void> {
    const file = this.current;
    if (file === null) return;
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
