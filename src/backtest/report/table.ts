/** The terminal summary of a backtest. */
import type { BacktestResult } from "../run.js";

const pct = (v: number | null): string => (v === null ? "–" : `${(v * 100).toFixed(2)}%`);
const num = (v: number | null): string => (v === null ? "–" : v.toFixed(2));
const money = (v: number): string => v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Lines of the summary table. */
export function summaryLines(result: BacktestResult): string[] {
  const m = result.metrics;
  const b = m.benchmark;
  const rows: [string, string, string][] = [
    ["total return", pct(m.totalReturn), b === null ? "" : pct(b.totalReturn)],
    ["CAGR", pct(m.cagr), b === null ? "" : pct(b.cagr)],
    ["volatility", pct(m.volatility), ""],
    ["Sharpe", num(m.sharpe), ""],
    ["Sortino", num(m.sortino), ""],
    ["Calmar", num(m.calmar), ""],
    ["max drawdown", pct(m.maxDrawdown), ""],
    ["max drawdown duration", `${m.maxDrawdownDuration} sessions`, ""],
    ["trailing 1M / 3M / 1Y", `${pct(m.trailing1M)} / ${pct(m.trailing3M)} / ${pct(m.trailing1Y)}`, ""],
    ["best day", m.bestDay === null ? "–" : `${pct(m.bestDay.return)} (${m.bestDay.date})`, ""],
    ["worst day", m.worstDay === null ? "–" : `${pct(m.worstDay.return)} (${m.worstDay.date})`, ""],
    ["turnover (per year)", pct(m.turnover), ""],
    ["trades", String(m.trades), ""],
    ["fees / slippage paid", `${money(m.feesPaid)} / ${money(m.slippagePaid)}`, ""],
  ];
  if (b !== null) {
    rows.push(["alpha / beta", `${pct(b.alpha)} / ${num(b.beta)}`, ""]);
    rows.push(["R² / correlation", `${num(b.r2)} / ${num(b.correlation)}`, ""]);
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  const valueWidth = Math.max(...rows.map((r) => r[1].length));
  const lines = [
    `${result.strategy}  ${result.start} → ${result.end}  (${result.simulation.dates.length} sessions; starts after ${result.startReason})`,
    `data: ${result.data.provider} ${result.data.source}, bars ${result.data.contentHash.slice(0, 12)}; IR ${result.irHash.slice(0, 12)}`,
    "",
    `${"".padEnd(width)}  ${"strategy".padStart(valueWidth)}${b === null ? "" : `  ${b.ticker.padStart(8)}`}`,
    ...rows.map(([k, v, bv]) => `${k.padEnd(width)}  ${v.padStart(valueWidth)}${b === null || bv === "" ? "" : `  ${bv.padStart(8)}`}`.trimEnd()),
  ];
  const never = result.coverage.neverTaken;
  if (never.length > 0) lines.push("", `never taken (${never.length}):`, ...never.slice(0, 10).map((n) => `  ${n}`), ...(never.length > 10 ? [`  ... and ${never.length - 10} more (see --json)`] : []));
  for (const w of result.warnings) lines.push("", `warning: ${w}`);
  return lines;
}
