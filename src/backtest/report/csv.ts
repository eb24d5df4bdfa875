/** CSV exports of a backtest: the equity curve, daily weights and the trades. */
import type { BacktestResult } from "../run.js";
import { tidy } from "./json.js";

function csv(rows: (string | number)[][]): string {
  return `${rows.map((r) => r.map((cell) => (typeof cell === "number" ? String(tidy(cell)) : /[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(",")).join("\n")}\n`;
}

/** date,equity,benchmark (the benchmark scaled to the same starting capital). */
export function equityCsv(result: BacktestResult): string {
  const { dates, equity } = result.simulation;
  const bench = result.metrics.benchmark === null ? null : result.evaluation.context.market.close.get(result.metrics.benchmark.ticker)!;
  const start = result.evaluation.start;
  const rows: (string | number)[][] = [["date", "equity", ...(bench === null ? [] : ["benchmark"])]];
  dates.forEach((date, i) => {
    const row: (string | number)[] = [date, equity[i]!];
    if (bench !== null) row.push((equity[0]! * bench[start + i]!) / bench[start]!);
    rows.push(row);
  });
  return csv(rows);
}

/** date,then one column per ticker: the holdings' weights at each close after trading. */
export function weightsCsv(result: BacktestResult): string {
  const tickers = [...new Set(result.simulation.weights.flatMap((w) => [...w.keys()]))].sort();
  const rows: (string | number)[][] = [["date", ...tickers]];
  result.simulation.dates.forEach((date, i) => {
    const w = result.simulation.weights[i]!;
    rows.push([date, ...tickers.map((t) => w.get(t) ?? 0)]);
  });
  return csv(rows);
}

/** One row per fill. */
export function tradesCsv(result: BacktestResult): string {
  const rows: (string | number)[][] = [["date", "symbol", "side", "qty", "price", "notional", "fees", "slippage"]];
  for (const f of result.simulation.fills) rows.push([f.date, f.symbol, f.side, f.qty, f.price, f.notional, f.fees, f.slippage]);
  return csv(rows);
}
