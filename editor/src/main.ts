/**
 * The editor page: wires Monaco, the `.strat` and `.clj` languages, the compiler worker, the file
 * list and the backtest panel with its settings together, and exposes `window.strat` for tests
 * and debugging.
 */
import { api, type ExplainReply, type RunSettings } from "./api.js";
import { runBacktest } from "./backtest-panel.js";
import { BacktestPicker } from "./backtest-picker.js";
import { CompilerClient } from "./compiler-client.js";
import { registerComposerLanguage } from "./composer-language.js";
import { LiveDiagnostics } from "./diagnostics.js";
import { importDefinition, registerImportOpener } from "./import-navigation.js";
import { registerIntellisense } from "./intellisense.js";
import { registerStratLanguage, STRAT_THEME } from "./language.js";
import * as monaco from "./monaco.js";
import { Workspace } from "./workspace.js";

// Monaco's own worker (diffs, word ranges) is bundled next to this file; nothing is fetched
// from a CDN.
(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker: () => new Worker(new URL("./editor.worker.js", import.meta.url), { type: "module" }),
};

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element as T;
}

registerStratLanguage();
registerComposerLanguage();
const compiler = new CompilerClient();
const status = (text: string): void => {
  byId("status").textContent = text;
};
const editor = monaco.editor.create(byId("editor"), { theme: STRAT_THEME, automaticLayout: true, minimap: { enabled: false }, fontSize: 14, model: null });
let workspace: Workspace;
const live = new LiveDiagnostics(compiler, (model) => workspace.pathOf(model));
workspace = new Workspace(editor, live, compiler, byId("files"), status);
registerIntellisense(
  live,
  compiler,
  (model) => workspace.pathOf(model),
  (target, fromFile) => importDefinition(workspace, fromFile, target),
);
registerImportOpener(workspace);

const saveButton = byId<HTMLButtonElement>("save");
const convertButton = byId<HTMLButtonElement>("convert");
const backtestButton = byId<HTMLButtonElement>("run-backtest");
workspace.onChange(() => {
  const path = workspace.current?.path ?? null;
  byId("title").textContent = path === null ? "no file open" : `${path}${workspace.isReadOnly() ? " (read-only)" : ""}${workspace.isDirty() ? " ●" : ""}`;
  saveButton.disabled = path === null || workspace.isReadOnly();
  convertButton.hidden = path === null || !path.endsWith(".clj");
  backtestButton.disabled = path === null;
});
live.onChecked(() => {
  picker.setParams(live.symbols.params);
  const errors = live.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = live.diagnostics.length - errors;
  byId("problems").textContent = `${errors} error(s), ${warnings} warning(s)`;
});
saveButton.onclick = () => void workspace.save().catch((e: Error) => status(e.message));
convertButton.onclick = () => void workspace.convert().catch((e: Error) => status(e.message));
// The explained session's taken branches, highlighted in the open file.
const explained = editor.createDecorationsCollection();
const highlightExplained = (reply: ExplainReply, path: string): void => {
  if (workspace.current?.path !== path) return;
  explained.set(
    reply.lines.map((line) => ({
      range: new monaco.Range(line, 1, line, 1),
      options: { isWholeLine: true, className: "explain-taken", linesDecorationsClassName: "explain-taken-gutter", hoverMessage: { value: `taken on ${reply.date}` } },
    })),
  );
};
editor.onDidChangeModel(() => explained.clear());
/** Backtests the open file with the picker's settings. */
const backtestOpenFile = (settings: RunSettings): void => {
  const file = workspace.current;
  if (file === null) return;
  explained.clear();
  void runBacktest(byId("backtest-result"), file.path, file.model.getValue(), highlightExplained, settings);
};
const picker = new BacktestPicker(backtestOpenFile);
byId("backtest").prepend(picker.form);
void api
  .dataSources()
  .then(({ sources }) => picker.setSources(sources))
  .catch((e: Error) => status(`data sources: ${e.message}`));
backtestButton.onclick = () => backtestOpenFile(picker.settings());
editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => void workspace.save().catch((e: Error) => status(e.message)));
window.addEventListener("beforeunload", (event) => {
  if (workspace.files.some((path) => workspace.isDirty(path))) event.preventDefault();
});

/** Test and debugging hooks. */
const hooks = { monaco, editor, workspace, live, compiler, ready: false };
(window as unknown as { strat: typeof hooks }).strat = hooks;
void workspace.refresh().then(async () => {
  const first = workspace.files[0];
  if (first !== undefined) await workspace.openFile(first);
  hooks.ready = true;
});
