/** The workspace file endpoints: list, read, save and import resolution. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { HttpError } from "./http.js";
import { resolveImport, type SourceRoots } from "./imports.js";
import { isFile, isSourcePath, listSources, resolveInside } from "./paths.js";

function sourcePath(root: string, rel: string): string {
  const full = resolveInside(root, rel);
  if (full === null) throw new HttpError(403, `'${rel}' is outside the workspace`);
  if (!isSourcePath(full)) throw new HttpError(403, `only .strat and .clj files can be opened or saved, not '${rel}'`);
  return full;
}

/** GET /api/files */
export function listFiles(roots: SourceRoots): { root: string; files: string[] } {
  return { root: roots.root, files: listSources(roots.root) };
}

/** GET /api/file?path= */
export function readWorkspaceFile(roots: SourceRoots, rel: string): { path: string; text: string } {
  const full = sourcePath(roots.root, rel);
  if (!isFile(full)) throw new HttpError(404, `no such file: ${rel}`);
  return { path: rel, text: readFileSync(full, "utf8") };
}

/** PUT /api/file {path, text}: writes (creating folders inside the workspace as needed). */
export function saveWorkspaceFile(roots: SourceRoots, rel: string, text: string): { path: string; bytes: number } {
  const full = sourcePath(roots.root, rel);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  return { path: rel, bytes: Buffer.byteLength(text) };
}

/**
 * GET /api/resolve?path=&from=: an imported file for the browser's compiler, and for go to
 * definition, which opens it (read-only when it is bundled with strat rather than in the workspace).
 */
export function resolveForBrowser(roots: SourceRoots, path: string, from: string): { file: string; text: string; readOnly: boolean } {
  const found = resolveImport(roots, path, from);
  if (found === null) throw new HttpError(404, `cannot find '${path}' from '${from}'`);
  return { file: found.file, text: found.text, readOnly: found.bundled };
}
