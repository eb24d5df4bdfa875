/**
 * Resolving `import`/`use` paths for the editor: relative to the importing file's folder, then
 * each folder above it up to the workspace root, then the package's own folder (the bundled
 * stdlib). The same rules as the CLI's, confined to the workspace so a request cannot read
 * arbitrary files.
 */
import { readFileSync } from "node:fs";
import { dirname, posix } from "node:path";
import type { CompileHost } from "../lang/module.js";
import { MAX_SOURCE_LENGTH } from "../lang/limits.js";
import { isFile, resolveInside } from "./paths.js";

/** Where sources may come from: the workspace and the package root (for `stdlib/`). */
export interface SourceRoots {
  root: string;
  packageRoot: string;
}

/** An imported file: its display name (workspace-relative) and its text. */
export interface ResolvedSource {
  file: string;
  text: string;
  /** True when it came from the package (the bundled stdlib), not the workspace. */
  bundled: boolean;
}

function readLimited(path: string): string | null {
  try {
    const text = readFileSync(path, "utf8");
    return text.length > MAX_SOURCE_LENGTH ? null : text;
  } catch {
    return null;
  }
}

/** The file `path` names, as imported from the workspace file `fromFile`; null when none. */
export function resolveImport(roots: SourceRoots, path: string, fromFile: string): ResolvedSource | null {
  if (path.startsWith("/") || path.includes("\0")) return null;
  // Climb from the importing file's folder to the workspace root.
  let dir = fromFile.startsWith("<") ? "." : posix.dirname(fromFile.replace(/\\/g, "/"));
  for (;;) {
    const candidate = posix.normalize(posix.join(dir, path));
    const full = resolveInside(roots.root, candidate);
    if (full !== null && isFile(full)) {
      const text = readLimited(full);
      if (text !== null) return { file: candidate, text, bundled: false };
    }
    if (dir === "." || dir === "" || dir === "/") break;
    dir = dirname(dir);
  }
  const bundled = resolveInside(roots.packageRoot, path);
  if (bundled === null || !isFile(bundled)) return null;
  const text = readLimited(bundled);
  return text === null ? null : { file: path, text, bundled: true };
}

/** A compile host over `resolveImport`, for compiling on the server (the backtest endpoint). */
export function workspaceHost(roots: SourceRoots): CompileHost {
  return { readFile: (path, fromFile) => resolveImport(roots, path, fromFile) };
}
