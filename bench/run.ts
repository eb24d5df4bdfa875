/**
 * `npm run bench`: prints and writes bench/results.json. Speed targets are checked here, not in
 * timed tests. Run on an idle machine; numbers are medians of several runs.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { useNativeSha256 } from "../src/ir/sha256.js";
import { cpus, totalmem } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { benchBacktest, benchCorpus, benchCorpusInProcess, type BacktestBenchResult } from "./backtest-bench.js";
import { benchCompile, type CompileBenchResult } from "./compile-bench.js";
import { benchEditor } from "./editor-bench.js";
import { benchLiveDecision } from "./live-bench.js";
import { benchOptimize } from "./optimize-bench.js";
import { generateComposer, generateStrat } from "./generate.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "..", "..", "..");

async function main(): Promise<void> {
  // As the CLI does: Node's native SHA-256 for IR and data hashes.
  useNativeSha256((text) => createHash("sha256").update(text, "utf8").digest("hex"));
  const growth = readFileSync(resolve(ROOT, "test", "fixtures", "corpus", "growth_blend.clj"), "utf8");
  const hedged = readFileSync(resolve(ROOT, "test", "fixtures", "corpus", "hedged_sector_rotator.clj"), "utf8");
  let peakRss = process.memoryUsage().rss;
  const sample = (): void => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  const compileResults: CompileBenchResult[] = [];
  const run = (name: string, text: string, file: string, targetMs: number | null, runs?: number): void => {
    const result = benchCompile(name, text, file, targetMs, runs, runs === undefined ? undefined : 1);
    sample();
    compileResults.push(result);
    const target = result.targetMs === null ? "" : `  target < ${result.targetMs} ms: ${result.meetsTarget === true ? "met" : "MISSED"}`;
    console.log(
      `compile ${name.padEnd(34)} ${(result.bytes / 1024).toFixed(0).padStart(6)} KB  median ${String(result.medianMs).padStart(8)} ms  ${String(result.mbPerSecond).padStart(6)} MB/s  ${result.nodes} nodes${target}`,
    );
  };
  run("corpus growth_blend.clj (500 KB)", growth, "growth_blend.clj", 50);
  run("corpus hedged_sector_rotator.clj", hedged, "hedged_sector_rotator.clj", null);
  run("generated symphony (2 MB)", generateComposer(growth, 2 * 1024 * 1024), "generated.clj", 150);
  run("generated .strat (5 MB)", generateStrat(5 * 1024 * 1024), "generated.strat", null, 3);
  const backtests: BacktestBenchResult[] = [];
  for (const [file, target] of [["test/fixtures/corpus/growth_blend.clj", 1000], ["test/fixtures/corpus/hedged_sector_rotator.clj", null]] as const) {
    const result = await benchBacktest(ROOT, file, target);
    sample();
    backtests.push(result);
    const verdict = result.targetMs === null ? "" : `  target < ${result.targetMs} ms from the CLI: ${result.meetsTarget === true ? "met" : "MISSED"}`;
    console.log(
      `backtest ${file.split("/").pop()!.padEnd(26)} ${result.sessions} sessions × ${result.nodes} nodes  cold CLI ${result.coldCliMs} ms  warm ${result.warmMedianMs} ms  ${(result.nodeBarsPerSecond / 1e6).toFixed(1)}M node-bars/s${verdict}`,
    );
  }
  const corpus = { ...benchCorpus(ROOT), ...benchCorpusInProcess(ROOT) };
  console.log(`backtest whole corpus (10 symphonies): one process ${corpus.totalMs} ms  target < 5000 ms: ${corpus.totalMs < 5000 ? "met" : "MISSED"}; one CLI process each ${corpus.totalCliMs} ms`);
  const live = await benchLiveDecision(ROOT, "test/fixtures/corpus/growth_blend.clj", 1500);
  sample();
  console.log(`live decision growth_blend.clj (14 years of history): ${live.decisionMs} ms to ${live.orders} orders acknowledged  target < 1500 ms: ${live.meetsTarget ? "met" : "MISSED"}`);
  const editor = await benchEditor(ROOT);
  sample();
  if (editor !== null) {
    const { keystrokeToMarkers: k, open: o } = editor;
    console.log(`editor keystroke → markers (${(k.bytes / 1024).toFixed(0)} KB): median ${k.medianMs} ms, p90 ${k.p90Ms} ms, max ${k.maxMs} ms  target < ${k.targetMs} ms: ${k.meetsTarget ? "met" : "MISSED"}`);
    console.log(`editor open ${(o.bytes / 1048576).toFixed(0)} MB: longest main-thread task ${o.longestTaskMs} ms (${o.longTasks} over 50 ms), checked after ${o.openToCheckedMs} ms  target < ${o.targetMs} ms: ${o.meetsTarget ? "met" : "MISSED"}`);
  }
  const optimize = await benchOptimize(1000);
  sample();
  console.log(
    `optimize ${optimize.name}: ${optimize.trials} trials, ${optimize.trialsPerSecond["1"]} trials/s on 1 worker, ${optimize.trialsPerSecond["2"]} on 2  target ≥ ${optimize.target}: ${optimize.meetsTarget ? "met" : "MISSED"}`,
  );
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 1073741824) },
    compile: compileResults,
    backtest: backtests,
    corpus,
    live,
    optimize,
    editor,
    peakRssMiB: Math.round(peakRss / 1048576),
  };
  writeFileSync(resolve(ROOT, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`peak RSS ${results.peakRssMiB} MiB; written to bench/results.json`);
}

await main();
