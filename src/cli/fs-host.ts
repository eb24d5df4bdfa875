/**
 * The file-system side of compiling: a `CompileHost` that resolves `import`/`use` paths, and
 * reading sources with the size limit checked before the bytes are loaded.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { PACKAGE_ROOT } from "../adapters/package-root.js";
import type { CompileHost } from "../lang/module.js";
import { MAX_SOURCE_LENGTH } from "../lang/limits.js";

export { PACKAGE_ROOT };

/** How a file is named in output: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith("..") || rel === "" ? file : rel;
}

/**
 * Resolves a path as written in a source: relative to the importing file's folder, then to
 * each folder above it, then to the package's own folder (for the bundled stdlib).
 */
export function resolveSourcePath(path: string, fromFile: string): string | null {
  const start = fromFile.startsWith("<") ? process.cwd() : dirname(resolve(fromFile));
  let dir = start;
  for (;;) {
    const candidate = join(dir, path);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const bundled = join(PACKAGE_ROOT, path);
  return existsSync(bundled) && statSync(bundled).isFile() ? bundled : null;
}

export type SourceRead = { ok: true; text: string } | { ok: false; reason: "too-large"; bytes: number } | { ok: false; reason: "unreadable"; message: string };

/** Reads a source file unless it exceeds the compiler's size limit. */
export function readSource(file: string): SourceRead {
  try {
    const bytes = statSync(file).size;
    if (bytes > MAX_SOURCE_LENGTH) return { ok: false, reason: "too-large", bytes };
    return { ok: true, text: readFileSync(file, "utf8") };
  } catch (error) {
    return { ok: false, reason: "unreadable", message: (error as Error).message };
  }
}

/** A host reading imports from disk; files are named as `displayPath` shows them. */
export function fsHost(): CompileHost {
  return {
    readFile(path, fromFile) {
      const found = resolveSourcePath(path, fromFile);
      if (found === null) return null;
      const read = readSource(found);
      return read.ok ? { file: displayPath(found), text: read.text } : null;
    },
  };
}
