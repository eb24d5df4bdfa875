/** `strat indicator NAME TICKER`: an indicator's daily series, to check against a charting tool. */
import type { Command } from "commander";
import { alignBars } from "../../data/align.js";
import { computeIndicator } from "../../engine/indicators/registry.js";
import { indicatorByName, INDICATOR_NAMES, type IndicatorName } from "../../ir/indicators.js";
import { formatValue } from "../../ir/print-expr.js";
import { didYouMean } from "../../lang/suggest.js";
import { barSourceFromOption } from "../bar-sources.js";
import { out } from "../output.js";
import { parseDate, parseNumber } from "../run-options.js";
import { EXIT, UsageError } from "../usage-error.js";

interface IndicatorFlags {
  window?: string;
  data: string;
  from?: string;
  to?: string;
  json?: boolean;
}

export function registerIndicator(program: Command): void {
  program
    .command("indicator")
    .description("print an indicator's daily series (null while undefined); percents as fractions in --json")
    .argument("<name>", `one of ${INDICATOR_NAMES.join(", ")}`)
    .argument("<ticker>", "ticker symbol")
    .option("--window <n>", "window in sessions (not for price)")
    .option("--data <source>", "synthetic | synthetic:SEED | csv:DIR | alpaca | cache", "synthetic")
    .option("--from <date>", "first date shown (the series is always computed over all history)")
    .option("--to <date>", "last date shown")
    .option("--json", 'print [{"date", "value"}]')
    .action(async (name: string, ticker: string, flags: IndicatorFlags) => {
      process.exitCode = await runIndicator(name, ticker, flags);
    });
}

async function runIndicator(name: string, tickerArg: string, flags: IndicatorFlags): Promise<number> {
  const spec = indicatorByName(name);
  if (spec === undefined) throw new UsageError(`unknown indicator '${name}'${didYouMean(name, INDICATOR_NAMES)}; indicators: ${INDICATOR_NAMES.join(", ")}`);
  if (spec.windowed && flags.window === undefined) throw new UsageError(`${name} needs --window`);
  if (!spec.windowed && flags.window !== undefined) throw new UsageError(`${name} takes no --window`);
  const window = flags.window === undefined ? 1 : parseNumber(flags.window, "--window", 1);
  if (!Number.isInteger(window)) throw new UsageError(`--window takes a whole number, not ${flags.window}`);
  const ticker = tickerArg.toUpperCase().replace("/", ".");
  const from = flags.from === undefined ? undefined : parseDate(flags.from, "--from");
  const to = flags.to === undefined ? undefined : parseDate(flags.to, "--to");
  const bars = await barSourceFromOption(flags.data).load({ tickers: [ticker], ...(to === undefined ? {} : { to }) });
  const market = alignBars(bars, [ticker]);
  const series = computeIndicator(name as IndicatorName, market.close.get(ticker)!, window);
  const rows: { date: string; value: number | null }[] = [];
  market.dates.forEach((date, i) => {
    if ((from === undefined || date >= from) && (to === undefined || date <= to)) {
      const v = series[i]!;
      rows.push({ date, value: Number.isNaN(v) ? null : v });
    }
  });
  if (flags.json === true) out(JSON.stringify(rows));
  else {
    const label = spec.windowed ? `${name}(${ticker}, ${window})` : `${name}(${ticker})`;
    out(`date        ${label}`);
    for (const r of rows) out(`${r.date}  ${r.value === null ? "undefined" : formatValue(r.value, spec.unit)}`);
  }
  return EXIT.ok;
}
