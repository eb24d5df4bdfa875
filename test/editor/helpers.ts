/** Shared set-up of the editor tests: a temp workspace, the built app, and a running server. */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "..", "..");
export const ASSETS = join(ROOT, "dist", "editor");

/** A temp folder with a few bundled strategies, one Composer file and one non-source file. */
export function tempWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "strat-editor-"));
  for (const name of ["sixty_forty_trend.strat", "rsi_dip_buyer.strat", "dual_momentum_gem.strat"]) copyFileSync(join(ROOT, "strategies", name), join(dir, name));
  copyFileSync(join(ROOT, "test", "fixtures", "corpus", "holy_grail.clj"), join(dir, "holy_grail.clj"));
  writeFileSync(join(dir, "notes.txt"), "not a strategy\n");
  return dir;
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Runs the editor build when dist/editor is missing or older than its sources. */
export function ensureEditorBuilt(): void {
  const index = join(ASSETS, "index.html");
  const sources = ["editor", "src/lang", "src/ir", "grammar"].map((p) => join(ROOT, p));
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  execFileSync(process.execPath, [join(ROOT, "editor", "build.mjs")], { cwd: ROOT, stdio: "pipe" });
}
