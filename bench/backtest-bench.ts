/**
 * Backtest speed: full-history runs of large corpus symphonies on synthetic data, cold from the
 * CLI (a fresh process, as a user runs it) and warm in-process (as the optimizer runs them).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { backtest } from "../src/backtest/run.js";
import { SyntheticBarSource } from "../src/data/synthetic.js";
import { SeriesCache } from "../src/engine/series-cache.js";
import { compile } from "../src/lang/compile.js";
import { addStrategies, emptyStats } from "../src/ir/stats.js";

export interface BacktestBenchResult {
  name: string;
  sessions: number;
  nodes: number;
  coldCliMs: number;
  warmMedianMs: number;
  nodeBarsPerSecond: number;
  targetMs: number | null;
  meetsTarget: boolean | null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Benchmarks one file; `root` is the repository. */
export async function benchBacktest(root: string, file: string, targetMs: number | null, from = "2012-01-03", to = "2025-12-31"): Promise<BacktestBenchResult> {
  const path = resolve(root, file);
  const ir = compile(readFileSync(path, "utf8"), { file: path }).ir;
  if (ir === null) throw new Error(`${file} does not compile`);
  const nodes = addStrategies(emptyStats(), ir.strategies, file).nodes;
  const source = new SyntheticBarSource();
  const options = { from, to };
  const cache = new SeriesCache();
  const first = await backtest(ir, source, { ...options, cache });
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await backtest(ir, source, { ...options, cache });
    times.push(performance.now() - started);
  }
  const warm = median(times);
  const cli = resolve(root, "dist", "src", "cli", "bin.js");
  const started = performance.now();
  execFileSync(process.execPath, [cli, "backtest", path, "--from", from, "--to", to, "--json"], { stdio: "pipe", maxBuffer: 1 << 28 });
  const cold = performance.now() - started;
  const sessions = first.simulation.dates.length;
  return {
    name: file,
    sessions,
    nodes,
    coldCliMs: Math.round(cold),
    warmMedianMs: Math.round(warm * 10) / 10,
    nodeBarsPerSecond: Math.round((nodes * sessions) / (warm / 1000)),
    targetMs,
    meetsTarget: targetMs === null ? null : cold < targetMs,
  };
}

/** Every corpus symphony backtested 2012–2025, each in its own CLI process, as a user would. */
export function benchCorpus(root: string): { files: number; totalCliMs: number; perFileMs: Record<string, number> } {
  const dir = resolve(root, "test", "fixtures", "corpus");
  const files = readdirSync(dir).filter((f) => f.endsWith(".clj")).sort();
  const cli = resolve(root, "dist", "src", "cli", "bin.js");
  const perFileMs: Record<string, number> = {};
  let total = 0;
  for (const f of files) {
    const started = performance.now();
    execFileSync(process.execPath, [cli, "backtest", resolve(dir, f), "--from", "2012-01-03", "--to", "2025-12-31", "--json"], { stdio: "pipe", maxBuffer: 1 << 28 });
    const ms = performance.now() - started;
    perFileMs[f] = Math.round(ms);
    total += ms;
  }
  return { files: files.length, totalCliMs: Math.round(total), perFileMs };
}

/** Every corpus symphony compiled and backtested 2012–2025 in one fresh process (library API). */
export function benchCorpusInProcess(root: string): { totalMs: number } {
  const script = `
    const { readdirSync, readFileSync } = await import("node:fs");
    const { compile } = await import(${JSON.stringify(resolve(root, "dist", "src", "lang", "compile.js"))});
    const { backtest } = await import(${JSON.stringify(resolve(root, "dist", "src", "backtest", "run.js"))});
    const { SyntheticBarSource } = await import(${JSON.stringify(resolve(root, "dist", "src", "data", "synthetic.js"))});
    const dir = ${JSON.stringify(resolve(root, "test", "fixtures", "corpus"))};
    const source = new SyntheticBarSource();
    for (const f of readdirSync(dir).filter((f) => f.endsWith(".clj"))) {
      const ir = compile(readFileSync(dir + "/" + f, "utf8"), { file: f }).ir;
      await backtest(ir, source, { from: "2012-01-03", to: "2025-12-31" });
    }`;
  const started = performance.now();
  execFileSync(process.execPath, ["--input-type=module", "-e", script], { stdio: "pipe" });
  return { totalMs: Math.round(performance.now() - started) };
}
