/**
 * `npm run bench`: prints and writes bench/results.json. Speed targets are checked here, not in
 * timed tests. Run on an idle machine; numbers are medians of several runs.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { benchCompile, type CompileBenchResult } from "./compile-bench.js";
import { generateComposer, generateStrat } from "./generate.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "..", "..", "..");

function main(): void {
  const growth = readFileSync(resolve(ROOT, "test", "fixtures", "corpus", "growth_blend.clj"), "utf8");
  const hedged = readFileSync(resolve(ROOT, "test", "fixtures", "corpus", "hedged_sector_rotator.clj"), "utf8");
  let peakRss = process.memoryUsage().rss;
  const sample = (): void => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  const compileResults: CompileBenchResult[] = [];
  const run = (name: string, text: string, file: string, targetMs: number | null): void => {
    const result = benchCompile(name, text, file, targetMs);
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
  run("generated .strat (5 MB)", generateStrat(5 * 1024 * 1024), "generated.strat", null);
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 1073741824) },
    compile: compileResults,
    peakRssMiB: Math.round(peakRss / 1048576),
  };
  writeFileSync(resolve(ROOT, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`peak RSS ${results.peakRssMiB} MiB; written to bench/results.json`);
}

main();
