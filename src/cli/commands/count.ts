/** `strat count PATH...`: size statistics per file and in total, as a table or JSON. */
import type { Command } from "commander";
import { addStrategies, emptyStats, mergeStats, type IrStats } from "../../ir/stats.js";
import { compileFile, countSeverity, renderAll } from "../compile-file.js";
import { err, out, table } from "../output.js";
import { expandPaths } from "../paths.js";
import { EXIT } from "../usage-error.js";

export function registerCount(program: Command): void {
  program
    .command("count")
    .description("count strategies, nodes by kind, depth, tickers, series, params, warm-up and compile time")
    .argument("<paths...>", "files or folders")
    .option("--json", "print JSON")
    .action((paths: string[], options: { json?: boolean }) => {
      process.exitCode = runCount(paths, options.json === true);
    });
}

function statsJson(stats: IrStats, compileMs: number): Record<string, unknown> {
  return {
    strategies: stats.strategies,
    nodes: stats.nodes,
    nodesByKind: stats.nodesByKind,
    maxDepth: stats.maxDepth,
    tickers: stats.tickers.size,
    series: stats.series.size,
    params: stats.params.size,
    warmupBars: stats.warmupBars,
    compileMs: Math.round(compileMs * 100) / 100,
  };
}

export function runCount(paths: string[], json: boolean): number {
  const files = expandPaths(paths, [".strat", ".clj"]);
  const total = emptyStats();
  let totalMs = 0;
  let failed = false;
  const rows: { path: string; stats: IrStats; ms: number }[] = [];
  for (const path of files) {
    const compilation = compileFile(path);
    if (countSeverity(compilation.diagnostics, "error") > 0) {
      for (const line of renderAll(compilation)) err(line);
      failed = true;
    }
    const stats = addStrategies(emptyStats(), compilation.result?.strategies ?? [], compilation.path);
    rows.push({ path: compilation.path, stats, ms: compilation.compileMs });
    mergeStats(total, stats);
    totalMs += compilation.compileMs;
  }
  if (json) {
    out(JSON.stringify({ files: rows.map((r) => ({ path: r.path, ...statsJson(r.stats, r.ms) })), total: statsJson(total, totalMs) }, null, 2));
  } else {
    const header = ["file", "strategies", "nodes", "if", "filter", "weighted", "equal", "invvol", "group", "asset", "depth", "tickers", "series", "params", "warm-up", "ms"];
    const row = (name: string, s: IrStats, ms: number): (string | number)[] => [
      name, s.strategies, s.nodes, s.nodesByKind.if, s.nodesByKind.filter, s.nodesByKind.weighted, s.nodesByKind.equal,
      s.nodesByKind.inverse_volatility, s.nodesByKind.group, s.nodesByKind.asset, s.maxDepth, s.tickers.size, s.series.size,
      s.params.size, s.warmupBars, Number(ms.toFixed(1)),
    ];
    const body = rows.map((r) => row(r.path, r.stats, r.ms));
    if (rows.length > 1) body.push(row("total", total, totalMs));
    for (const line of table(header, body)) out(line);
  }
  return failed ? EXIT.failed : EXIT.ok;
}
