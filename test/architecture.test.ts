/**
 * The module dependency rules of DESIGN.md §4, checked on the import statements of src/.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "..", "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

interface ImportEdge {
  from: string;
  fromLayer: string;
  specifier: string;
  toLayer: string | null;
}

const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|^\s*import\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm;

function layerOf(file: string): string {
  return relative(SRC, file).split(/[\\/]/)[0]!.replace(/\.ts$/, "");
}

function edges(): ImportEdge[] {
  const out: ImportEdge[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3]!;
      const toLayer = specifier.startsWith(".") ? layerOf(resolve(dirname(file), specifier)) : null;
      out.push({ from: relative(SRC, file), fromLayer: layerOf(file), specifier, toLayer });
    }
  }
  return out;
}

const ALL = edges();

function violations(predicate: (edge: ImportEdge) => boolean): string[] {
  return ALL.filter(predicate).map((e) => `${e.from} imports ${e.specifier}`);
}

describe("module dependency rules (DESIGN.md §4)", () => {
  it("reads some imports at all", () => {
    expect(ALL.length).toBeGreaterThan(50);
    expect(ALL.some((e) => e.fromLayer === "lang" && e.toLayer === "ir")).toBe(true);
  });

  it("keeps lang, ir and engine browser-safe: no Node built-ins", () => {
    const browserSafe = new Set(["lang", "ir", "engine"]);
    const nodeBuiltin = /^(node:|fs$|path$|os$|crypto$|child_process$|worker_threads$|url$|http$|net$)/;
    expect(violations((e) => browserSafe.has(e.fromLayer) && nodeBuiltin.test(e.specifier))).toEqual([]);
  });

  it("keeps lang, ir and engine free of other npm packages than the parser", () => {
    const browserSafe = new Set(["lang", "ir", "engine"]);
    expect(violations((e) => browserSafe.has(e.fromLayer) && e.toLayer === null && e.specifier !== "chevrotain")).toEqual([]);
  });

  it("never lets engine import backtest, live, optimize, adapters or cli", () => {
    const forbidden = new Set(["backtest", "live", "optimize", "adapters", "cli"]);
    expect(violations((e) => e.fromLayer === "engine" && e.toLayer !== null && forbidden.has(e.toLayer))).toEqual([]);
  });

  it("keeps lang and ir below everything but each other", () => {
    const allowed = new Set(["lang", "ir"]);
    expect(violations((e) => (e.fromLayer === "lang" || e.fromLayer === "ir") && e.toLayer !== null && !allowed.has(e.toLayer))).toEqual([]);
  });

  it("never lets backtest and live import each other", () => {
    expect(
      violations((e) => (e.fromLayer === "backtest" && e.toLayer === "live") || (e.fromLayer === "live" && e.toLayer === "backtest")),
    ).toEqual([]);
  });

  it("lets only cli import adapters, and nothing import cli", () => {
    expect(violations((e) => e.toLayer === "adapters" && e.fromLayer !== "cli" && e.fromLayer !== "adapters")).toEqual([]);
    expect(violations((e) => e.toLayer === "cli" && e.fromLayer !== "cli")).toEqual([]);
  });

  it("keeps ports to interfaces only", () => {
    const ports = join(SRC, "ports");
    const runtime = (existsSync(ports) ? sourceFiles(ports) : []).filter((f) => /^\s*export\s+(?:const|function|class|let|var)\s/m.test(readFileSync(f, "utf8")));
    expect(runtime.map((f) => relative(SRC, f))).toEqual([]);
  });
});
