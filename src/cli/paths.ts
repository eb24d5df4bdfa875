/** Expands command-line PATH arguments (files or folders) into source files. */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "./usage-error.js";

const SKIPPED_FOLDERS = new Set(["node_modules", "dist"]);

/** Every file under the paths with one of `extensions`, folders walked recursively, in sorted order. */
export function expandPaths(paths: string[], extensions: string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      throw new UsageError(`no such file or folder: ${path}`);
    }
    if (stats.isDirectory()) out.push(...walk(path, extensions));
    else out.push(path);
  }
  return out;
}

function walk(folder: string, extensions: string[]): string[] {
  const out: string[] = [];
  const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name.startsWith(".") || SKIPPED_FOLDERS.has(entry.name)) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...walk(path, extensions));
    else if (extensions.some((ext) => entry.name.endsWith(ext))) out.push(path);
  }
  return out;
}
