/**
 * The editor server's view of the file system: every path a request names is relative to the
 * workspace folder and must stay inside it (no `..`, no absolute paths, no symlink escapes).
 */
import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/** Extensions the editor lists, opens and saves. */
export const SOURCE_EXTENSIONS = [".strat", ".clj"] as const;

/** Folders never listed: dependencies, build output, caches. */
const SKIPPED_DIRS = new Set(["node_modules", "dist", "test-output"]);
/** Listing stops here so a huge folder cannot stall the page. */
const MAX_FILES = 2000;
const MAX_DEPTH = 6;

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel) && !rel.startsWith(`..${sep}`));
}

/**
 * The absolute path of `rel` inside `root`, or null when it leaves the folder: absolute paths,
 * `..` segments that climb out, and (for existing files) symlinks pointing outside.
 */
export function resolveInside(root: string, rel: string): string | null {
  if (rel === "" || rel.includes("\0") || isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) return null;
  const full = resolve(root, rel);
  if (!isInside(root, full)) return null;
  // A symlink inside the folder may point anywhere: check where the nearest existing part leads.
  let probe = full;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  try {
    if (!isInside(realpathSync(root), realpathSync(probe))) return null;
  } catch {
    return null;
  }
  return full;
}

/** True for the file kinds the editor handles. */
export function isSourcePath(path: string): boolean {
  return SOURCE_EXTENSIONS.some((ext) => path.endsWith(ext));
}

/** Every `.strat` and `.clj` file under `root`, as sorted `/`-separated relative paths. */
export function listSources(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > MAX_DEPTH || out.length >= MAX_FILES) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) walk(path, depth + 1);
      else if (entry.isFile() && isSourcePath(entry.name) && out.length < MAX_FILES) out.push(relative(root, path).split(sep).join("/"));
    }
  };
  walk(root, 0);
  return out.sort();
}

/** True when `path` names an existing regular file. */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
