/**
 * Go to definition across files: from `alias.name` to the `let name` of the imported module,
 * from an import alias or the path string of an `import`/`use` to the top of that file. The
 * target file is opened in the editor (read-only when it is the bundled stdlib).
 */
import { api } from "./api.js";
import * as monaco from "./monaco.js";
import type { Range, Symbols } from "./protocol.js";
import type { Workspace } from "./workspace.js";

/** A place in another file, as the last check resolved it. */
export interface ImportTarget {
  /** The resolved file (workspace-relative, or `stdlib/...` from the package). */
  file: string;
  /** The path as written, which the server resolves again from the importing file. */
  path: string;
  /** The declaration in `file`; null for the file itself. */
  range: Range | null;
}

/** `alias.` right before the word at a position. */
const QUALIFIER = /([A-Za-z_][A-Za-z0-9_]*)\.$/;

function contains(range: Range, position: monaco.IPosition): boolean {
  const { lineNumber: line, column: col } = position;
  if (line < range.line || line > range.endLine) return false;
  if (line === range.line && col < range.col) return false;
  return !(line === range.endLine && col > range.endCol);
}

/** The alias qualifying the word at `position` (`hedges` in `hedges.risk_off`), or null. */
export function qualifierAt(model: monaco.editor.ITextModel, position: monaco.IPosition): string | null {
  const word = model.getWordAtPosition(position);
  const start = word?.startColumn ?? position.column;
  return QUALIFIER.exec(model.getLineContent(position.lineNumber).slice(0, start - 1))?.[1] ?? null;
}

/** What the word or string at `position` names in another file, or null. */
export function importTargetAt(symbols: Symbols, model: monaco.editor.ITextModel, position: monaco.IPosition): ImportTarget | null {
  const modules = symbols.modules ?? [];
  for (const link of [...modules, ...(symbols.uses ?? [])]) {
    if (link.file !== null && contains(link.range, position)) return { file: link.file, path: link.path, range: null };
  }
  const word = model.getWordAtPosition(position);
  if (word === null) return null;
  const alias = qualifierAt(model, position);
  if (alias !== null) {
    const module = modules.find((m) => m.alias === alias && m.file !== null);
    const let_ = module?.lets.find((l) => l.name === word.word);
    if (module !== undefined && let_ !== undefined) return { file: module.file!, path: module.path, range: let_.range };
    return null;
  }
  const module = modules.find((m) => m.alias === word.word && m.file !== null);
  return module === undefined ? null : { file: module.file!, path: module.path, range: null };
}

/**
 * The definition's location for Monaco. The target's model is created first (from the server's
 * resolution of the path, so a stdlib file comes from the package): Monaco's Ctrl-hover preview
 * reads the text from it, and the editor opener below finds the file by its URI.
 */
export async function importDefinition(workspace: Workspace, fromFile: string, target: ImportTarget): Promise<monaco.languages.Location> {
  const model = await workspace.model(target.file, async () => {
    const resolved = await api.resolve(target.path, fromFile);
    return { text: resolved.text, readOnly: resolved.readOnly };
  });
  const r = target.range;
  return { uri: model.uri, range: r === null ? new monaco.Range(1, 1, 1, 1) : new monaco.Range(r.line, r.col, r.endLine, r.endCol) };
}

/**
 * Lets "go to definition" open another file: the standalone editor only navigates within the
 * model it shows, and hands other URIs to the registered openers.
 */
export function registerImportOpener(workspace: Workspace): monaco.IDisposable {
  return monaco.editor.registerEditorOpener({
    async openCodeEditor(source, resource, selectionOrPosition) {
      if (source.getModel()?.uri.toString() === resource.toString()) return false;
      const path = workspace.pathOfUri(resource);
      if (path === null) return false;
      await workspace.openFile(path, selectionOrPosition);
      return true;
    },
  });
}
