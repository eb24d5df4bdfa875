/**
 * `strat backtest FILE`: the metrics table; `--json` one document; `--out DIR` result.json,
 * equity.csv, weights.csv, trades.csv and a self-contained report.html.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { backtest } from "../../backtest/run.js";
import { equityCsv, tradesCsv, weightsCsv } from "../../backtest/report/csv.js";
import { htmlReport } from "../../backtest/report/html.js";
import { resultJson } from "../../backtest/report/json.js";
import { summaryLines } from "../../backtest/report/table.js";
import { barSourceFromOption } from "../bar-sources.js";
import { compileOrFail } from "../compile-or-fail.js";
import { out } from "../output.js";
import { addMarketOptions, marketSettings, type MarketFlags } from "../market-options.js";
import { collect, parseParams } from "../run-options.js";
import { EXIT } from "../usage-error.js";

interface BacktestFlags extends MarketFlags {
  strategy?: string;
  param: string[];
  out?: string;
  json?: boolean;
  allocations?: boolean;
}

export function registerBacktest(program: Command): void {
  addMarketOptions(
    program
      .command("backtest")
      .description("backtest a strategy (.strat or Composer .clj) on market data")
      .argument("<file>", "strategy file")
      .option("--strategy <name>", "which strategy or portfolio of the file"),
  )
    .option("--param <name=value>", "set a param (repeatable)", collect, [])
    .option("--out <dir>", "write result.json, equity.csv, weights.csv, trades.csv and report.html")
    .option("--json", "print one JSON document")
    .option("--allocations", "with --json: include the target weights of every session")
    .action(async (file: string, flags: BacktestFlags) => {
      process.exitCode = await runBacktest(file, flags);
    });
}

async function runBacktest(file: string, flags: BacktestFlags): Promise<number> {
  const options = {
    ...(flags.strategy === undefined ? {} : { strategy: flags.strategy }),
    ...marketSettings(flags),
    params: parseParams(flags.param),
  };
  const source = barSourceFromOption(flags.data);
  const ir = compileOrFail(file);
  const result = await backtest(ir, source, options);
  if (flags.out !== undefined) {
    mkdirSync(flags.out, { recursive: true });
    writeFileSync(join(flags.out, "result.json"), `${JSON.stringify(resultJson(result, { allocations: true }), null, 2)}\n`);
    writeFileSync(join(flags.out, "equity.csv"), equityCsv(result));
    writeFileSync(join(flags.out, "weights.csv"), weightsCsv(result));
    writeFileSync(join(flags.out, "trades.csv"), tradesCsv(result));
    writeFileSync(join(flags.out, "report.html"), htmlReport(result));
  }
  if (flags.json === true) {
    out(JSON.stringify(resultJson(result, { allocations: flags.allocations === true }), null, 2));
  } else {
    for (const line of summaryLines(result)) out(line);
    if (flags.out !== undefined) out(`\nwrote ${join(flags.out, "report.html")} (and result.json, equity.csv, weights.csv, trades.csv)`);
  }
  return EXIT.ok;
}
