/** Shared set-up of the editor tests: a temp workspace, the built app, and a running server. */
import { chromium, type Browser, type Page } from "playwright-core";
import { CLI_RUN_INPUTS } from "../../src/cli/editor-run-inputs.js";
import { startEditorServer, type EditorServer } from "../../src/editor-server/index.js";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
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

const LOCK = join(ROOT, "dist", ".editor-build.lock");

/** Waits for the lock folder (mkdir is atomic); a lock older than two minutes is a crashed build's. */
function withBuildLock(run: () => void): void {
  mkdirSync(join(ROOT, "dist"), { recursive: true });
  const sleep = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      const held = statSync(LOCK, { throwIfNoEntry: false });
      if (held !== undefined && Date.now() - held.mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
      Atomics.wait(sleep, 0, 0, 100);
    }
  }
  try {
    run();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Runs the editor build when dist/editor is missing or older than its sources. Test files run
 * in parallel and the build starts by deleting dist/editor, so builds take turns under a lock
 * and each re-checks freshness inside it.
 */
export function ensureEditorBuilt(): void {
  const index = join(ASSETS, "index.html");
  const sources = ["editor", "src/lang", "src/ir", "grammar"].map((p) => join(ROOT, p));
  const fresh = (): boolean => existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime));
  if (fresh()) return;
  withBuildLock(() => {
    if (!fresh()) execFileSync(process.execPath, [join(ROOT, "editor", "build.mjs")], { cwd: ROOT, stdio: "pipe" });
  });
}

/** Debian's Chromium, driven by playwright-core; the browser tests skip when it is missing. */
export const CHROMIUM = "/usr/bin/chromium";

/** A running editor server on `dir` and a headless Chromium page on it, ready (the app has loaded). */
export interface EditorSession {
  server: EditorServer;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** Starts the server on `dir` (with the CLI's run inputs) and opens the app in headless Chromium. */
export async function openEditor(dir: string): Promise<EditorSession> {
  const server = await startEditorServer({ dir, assetsDir: ASSETS, packageRoot: ROOT, port: 0, inputs: CLI_RUN_INPUTS });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  await page.goto(server.url);
  await page.waitForFunction(() => globalThis.strat?.ready === true);
  return {
    server,
    browser,
    page,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
