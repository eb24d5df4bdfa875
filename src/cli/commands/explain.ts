/** `strat explain FILE --date DATE`: why the strategy holds what it holds on that session. */
import type { Command } from "commander";
import { loadStrategyBars, pickStrategy } from "../../backtest/run.js";
import { alignBars } from "../../data/align.js";
import { evaluate } from "../../engine/evaluate.js";
import { explain, renderExplanation } from "../../engine/explain.js";
import { resolveParams } from "../../engine/params.js";
import { barSourceFromOption } from "../bar-sources.js";
import { compileOrFail } from "../compile-or-fail.js";
import { out } from "../output.js";
import { collect, parseDate, parseParams } from "../run-options.js";
import { EXIT, UsageError } from "../usage-error.js";

interface ExplainFlags {
  date: string;
  strategy?: string;
  data: string;
  param: string[];
  json?: boolean;
}

export function registerExplain(program: Command): void {
  program
    .command("explain")
    .description("show one session's decision as a tree: conditions with their values, filter scores, weights")
    .argument("<file>", "strategy file")
    .requiredOption("--date <date>", "the session to explain (YYYY-MM-DD)")
    .option("--strategy <name>", "which strategy or portfolio of the file")
    .option("--data <source>", "synthetic | synthetic:SEED | csv:DIR | alpaca | cache", "synthetic")
    .option("--param <name=value>", "set a param (repeatable)", collect, [])
    .option("--json", "print the tree as JSON")
    .action(async (file: string, flags: ExplainFlags) => {
      process.exitCode = await runExplain(file, flags);
    });
}

async function runExplain(file: string, flags: ExplainFlags): Promise<number> {
  const date = parseDate(flags.date, "--date");
  const source = barSourceFromOption(flags.data);
  const ir = compileOrFail(file);
  const strategy = pickStrategy(ir, flags.strategy);
  const { bars, benchmark } = await loadStrategyBars(strategy, source, date);
  const market = alignBars(bars, benchmark === null ? strategy.tickers : [...new Set([...strategy.tickers, benchmark])]);
  const day = market.dates.indexOf(date);
  if (day === -1) {
    const before = market.dates.filter((d) => d < date).pop();
    throw new UsageError(`${date} is not a session in the data${before === undefined ? "" : `; the session before it is ${before}`}`);
  }
  const params = resolveParams(ir.params.filter((p) => strategy.params.includes(p.name)), parseParams(flags.param));
  const evaluation = evaluate(strategy, market, { params, to: day });
  if (day < evaluation.start) {
    throw new UsageError(`${date} is before the first decision (${market.dates[evaluation.start]}): ${evaluation.startReason} is not defined yet`);
  }
  const explanation = explain(evaluation, day);
  if (flags.json === true) out(JSON.stringify(explanation, null, 2));
  else for (const line of renderExplanation(explanation)) out(line);
  return EXIT.ok;
}
