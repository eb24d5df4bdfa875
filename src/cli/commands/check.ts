/** `strat check PATH...`: diagnostics and a one-line summary per file. */
import type { Command } from "commander";
import { compileFile, countSeverity, diagnosticsJson, renderAll } from "../compile-file.js";
import { out, plural } from "../output.js";
import { expandPaths } from "../paths.js";
import { EXIT } from "../usage-error.js";

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("check .strat and Composer .clj files: every error in one run, then a summary per file")
    .argument("<paths...>", "files or folders")
    .option("--json", "print diagnostics and summaries as JSON")
    .action((paths: string[], options: { json?: boolean }) => {
      process.exitCode = runCheck(paths, options.json === true);
    });
}

/** Returns the exit code: 0 when no file has errors, 1 otherwise. */
export function runCheck(paths: string[], json: boolean): number {
  const files = expandPaths(paths, [".strat", ".clj"]);
  let errors = 0;
  let warnings = 0;
  const reports: Record<string, unknown>[] = [];
  for (const path of files) {
    const compilation = compileFile(path);
    const fileErrors = countSeverity(compilation.diagnostics, "error");
    const fileWarnings = countSeverity(compilation.diagnostics, "warning");
    errors += fileErrors;
    warnings += fileWarnings;
    const strategies = compilation.result?.strategies ?? [];
    if (json) {
      reports.push({
        path: compilation.path,
        ok: fileErrors === 0,
        diagnostics: diagnosticsJson(compilation),
        strategies: fileErrors === 0 ? strategies.map((s) => ({ name: s.name, kind: s.kind, warmupBars: s.warmupBars, tickers: s.tickers, irHash: s.hash })) : [],
      });
      continue;
    }
    for (const rendered of renderAll(compilation)) out(rendered);
    if (fileErrors > 0) {
      out(`${compilation.path}: ${plural(fileErrors, "error")}${fileWarnings > 0 ? `, ${plural(fileWarnings, "warning")}` : ""}`);
    } else {
      const warmup = Math.max(0, ...strategies.map((s) => s.warmupBars));
      const tickers = new Set(strategies.flatMap((s) => s.tickers));
      const head = strategies.length === 0 ? "ok, module (no strategies)" : `ok, ${plural(strategies.length, "strategy", "strategies")}, warm-up ${plural(warmup, "bar")}, ${plural(tickers.size, "ticker")}`;
      out(`${compilation.path}: ${head}${fileWarnings > 0 ? `, ${plural(fileWarnings, "warning")}` : ""}`);
    }
  }
  if (json) out(JSON.stringify({ files: reports, errors, warnings }, null, 2));
  return errors > 0 ? EXIT.failed : EXIT.ok;
}
