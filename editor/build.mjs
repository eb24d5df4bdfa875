#!/usr/bin/env node
/**
 * Builds the editor app into dist/editor with esbuild: the page (Monaco + the `.strat`
 * language), the compiler worker (src/lang and src/ir bundled for the browser, chevrotain
 * included) and Monaco's editor worker. Everything is bundled: the server needs no network.
 * Usage: node editor/build.mjs [--minify]
 */
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const out = join(root, "dist", "editor");

/**
 * Monaco's package `exports` only map `*.js` under esm/vs; the app imports its files (and CSS)
 * by their real paths, so resolve `monaco-editor/esm/...` straight to node_modules.
 */
const monacoFiles = {
  name: "monaco-files",
  setup(b) {
    b.onResolve({ filter: /^monaco-editor\/esm\// }, (args) => ({ path: join(root, "node_modules", args.path) }));
  },
};

const common = {
  bundle: true,
  format: "esm",
  target: "es2022",
  platform: "browser",
  minify: process.argv.includes("--minify"),
  sourcemap: false,
  logLevel: "warning",
  legalComments: "none",
  loader: { ".ttf": "file" },
  plugins: [monacoFiles],
  // The compiler's chevrotain loader tries import.meta.resolve first (Node); in the bundle its
  // fallback, the package import, is what runs, and esbuild inlines it.
  mainFields: ["module", "main"],
};

const started = Date.now();
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await Promise.all([
  build({ ...common, entryPoints: { app: join(here, "src", "main.ts") }, outdir: out }),
  build({ ...common, entryPoints: { "compiler.worker": join(here, "src", "worker", "compiler.worker.ts") }, outdir: out }),
  build({ ...common, entryPoints: { "editor.worker": "monaco-editor/esm/vs/editor/editor.worker.js" }, outdir: out }),
]);
copyFileSync(join(here, "index.html"), join(out, "index.html"));
copyFileSync(join(here, "style.css"), join(out, "style.css"));
console.log(`built ${out} in ${Date.now() - started} ms`);
