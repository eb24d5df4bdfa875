/** The backtest panel: runs the open strategy on the server and shows metrics and charts. */
import { api, ApiError, type BacktestReply } from "./api.js";
import { lineChart } from "./chart.js";

const percent = (v: unknown): string => (typeof v === "number" ? `${(v * 100).toFixed(2)}%` : "—");
const plain = (v: unknown): string => (typeof v === "number" ? v.toFixed(2) : "—");
const money = (v: number): string => `$${Math.round(v).toLocaleString("en-US")}`;

/** Rows of the metrics table: label, key, format. */
const ROWS: [string, string, (v: unknown) => string][] = [
  ["Total return", "totalReturn", percent],
  ["CAGR", "cagr", percent],
  ["Volatility", "volatility", percent],
  ["Sharpe", "sharpe", plain],
  ["Sortino", "sortino", plain],
  ["Max drawdown", "maxDrawdown", percent],
  ["Trades", "trades", (v) => (typeof v === "number" ? String(v) : "—")],
  ["Turnover", "turnover", percent],
];

function metricsTable(reply: BacktestReply): HTMLTableElement {
  const table = document.createElement("table");
  table.className = "metrics";
  const metrics = reply.report.metrics;
  const bench = metrics.benchmark as Record<string, unknown> | null;
  const head = table.createTHead().insertRow();
  for (const text of ["", reply.report.strategy, bench === null ? "" : String(bench.ticker)]) head.insertCell().textContent = text;
  const body = table.createTBody();
  for (const [label, key, format] of ROWS) {
    const row = body.insertRow();
    row.insertCell().textContent = label;
    row.insertCell().textContent = format(metrics[key]);
    row.insertCell().textContent = bench === null || !(key in bench) ? "" : format(bench[key]);
  }
  return table;
}

/** Renders a reply into `target` (exported for tests of the page). */
export function renderBacktest(target: HTMLElement, reply: BacktestReply): void {
  const { dates, equity, benchmark, drawdown } = reply.series;
  const caption = document.createElement("p");
  caption.textContent = `${reply.report.strategy}: ${reply.report.start} → ${reply.report.end}, ${reply.report.sessions} sessions on synthetic data`;
  const equitySeries = [{ name: reply.report.strategy, color: "#1f77b4", values: equity }];
  if (benchmark !== null) equitySeries.push({ name: "benchmark", color: "#888888", values: benchmark });
  target.replaceChildren(
    caption,
    metricsTable(reply),
    lineChart("Equity", dates, equitySeries, money),
    lineChart("Drawdown", dates, [{ name: "drawdown", color: "#d62728", values: drawdown }], (v) => `${(v * 100).toFixed(0)}%`),
    ...reply.report.warnings.map((w) => Object.assign(document.createElement("p"), { className: "warning", textContent: w })),
  );
}

/** Runs a backtest of `text` and renders the result or the error into `target`. */
export async function runBacktest(target: HTMLElement, path: string, text: string): Promise<void> {
  target.replaceChildren(Object.assign(document.createElement("p"), { textContent: "Running backtest…" }));
  try {
    renderBacktest(target, await api.backtest(path, text));
  } catch (error) {
    const message = error instanceof ApiError ? error.message : `backtest failed: ${(error as Error).message}`;
    target.replaceChildren(Object.assign(document.createElement("p"), { className: "error", textContent: message }));
  }
}
