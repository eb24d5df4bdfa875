/**
 * The backtest panel: runs the open strategy on the server with the picker's settings
 * (backtest-picker.ts) and shows metrics and charts; a click on the equity chart explains that
 * session's decision (conditions, scores, weights) under the same settings.
 */
import { api, ApiError, type BacktestReply, type ExplainNode, type ExplainReply, type RunSettings } from "./api.js";
import { lineChart, stackedAreaChart } from "./chart.js";

/** Colours of the allocation chart's tickers (the 11th, grey, is "other" when present). */
const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf", "#393b79", "#999999"];

/** Called with each explanation shown (to highlight its lines in the editor). */
export type OnExplained = (reply: ExplainReply, path: string) => void;

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

/** The allocation-over-time chart: stacked weights at each close. */
function allocationChart(reply: BacktestReply): HTMLDivElement {
  const { dates, tickers, weights } = reply.series.allocation;
  const series = tickers.map((name, k) => ({ name, color: name === "other" ? PALETTE[10]! : PALETTE[k % 10]!, values: weights[k]! }));
  const block = stackedAreaChart("Allocation", dates, series, (v) => `${(v * 100).toFixed(0)}%`);
  block.classList.add("allocation");
  return block;
}

const share = (v: number): string => `${Number((v * 100).toFixed(2))}%`;

function treeItem(node: ExplainNode): HTMLLIElement {
  const item = document.createElement("li");
  item.className = `node ${node.kind}`;
  if (node.at !== null) item.dataset.at = node.at;
  const head = document.createElement("div");
  head.className = "label";
  head.textContent = node.kind === "asset" ? `${node.label} ${share(node.share)}` : node.label;
  item.append(head);
  if (node.condition !== undefined) {
    const cond = document.createElement("div");
    cond.className = `condition ${node.condition.holds ? "holds" : "fails"}`;
    const values = node.condition.terms.map((t) => `${t.text} = ${t.display}`).join(", ");
    cond.textContent = `${values} → ${node.condition.holds ? "true" : "false, else"}`;
    item.append(cond);
  }
  if (node.candidates !== undefined) {
    const list = document.createElement("ul");
    list.className = "candidates";
    for (const c of node.candidates) {
      const row = document.createElement("li");
      row.className = c.selected ? "selected" : "";
      row.textContent = `${c.selected ? "✓" : "·"} ${c.name}: ${node.kind === "inverse_volatility" ? "σ" : "score"} ${c.display}`;
      list.append(row);
    }
    item.append(list);
  }
  if (node.children.length > 0) {
    const children = document.createElement("ul");
    children.append(...node.children.map(treeItem));
    item.append(children);
  }
  return item;
}

/** Renders an explanation into `target`. */
export function renderExplanation(target: HTMLElement, reply: ExplainReply): void {
  const weights = Object.entries(reply.weights).sort((a, b) => b[1] - a[1]).map(([t, w]) => `${t} ${share(w)}`).join(", ");
  const caption = document.createElement("p");
  caption.className = "explain-caption";
  caption.textContent = `${reply.strategy} on ${reply.date} → ${weights === "" ? "cash (empty allocation)" : weights}`;
  const tree = document.createElement("ul");
  tree.className = "explain-tree";
  tree.append(treeItem(reply.tree));
  target.replaceChildren(Object.assign(document.createElement("h3"), { textContent: `Decision on ${reply.date}` }), caption, tree);
}

/** Asks the server to explain `date` and shows it in `target`. */
export async function explainDate(target: HTMLElement, path: string, text: string, date: string, onExplained?: OnExplained, settings?: RunSettings): Promise<void> {
  target.replaceChildren(Object.assign(document.createElement("p"), { textContent: `Explaining ${date}…` }));
  try {
    const reply = await api.explain(path, text, date, settings);
    renderExplanation(target, reply);
    onExplained?.(reply, path);
  } catch (error) {
    const message = error instanceof ApiError ? error.message : `explain failed: ${(error as Error).message}`;
    target.replaceChildren(Object.assign(document.createElement("p"), { className: "error", textContent: message }));
  }
}

/** Renders a reply into `target` (exported for tests of the page); `onPick` gets equity-chart clicks. */
export function renderBacktest(target: HTMLElement, reply: BacktestReply, onPick?: (date: string) => void): void {
  const { dates, equity, benchmark, drawdown } = reply.series;
  const caption = document.createElement("p");
  const { provider, source } = reply.report.data;
  const data = provider === "cache" ? `cached data (${source})` : `${provider} data`;
  caption.className = "run-caption";
  caption.textContent = `${reply.report.strategy}: ${reply.report.start} → ${reply.report.end}, ${reply.report.sessions} sessions on ${data}`;
  const equitySeries = [{ name: reply.report.strategy, color: "#1f77b4", values: equity }];
  if (benchmark !== null) equitySeries.push({ name: "benchmark", color: "#888888", values: benchmark });
  target.replaceChildren(
    caption,
    metricsTable(reply),
    lineChart("Equity", dates, equitySeries, money, onPick === undefined ? undefined : (i) => onPick(dates[i]!)),
    lineChart("Drawdown", dates, [{ name: "drawdown", color: "#d62728", values: drawdown }], (v) => `${(v * 100).toFixed(0)}%`),
    allocationChart(reply),
    ...reply.report.warnings.map((w) => Object.assign(document.createElement("p"), { className: "warning", textContent: w })),
    Object.assign(document.createElement("section"), { id: "explain", textContent: "Click a date on the equity chart to see that session's decision." }),
  );
}

/**
 * Runs a backtest of `text` with `settings` (default: the server's defaults) and renders the
 * result or the server's error message into `target`; clicks on the equity chart explain that
 * date of the same text and settings into the panel's #explain section.
 */
export async function runBacktest(target: HTMLElement, path: string, text: string, onExplained?: OnExplained, settings?: RunSettings): Promise<void> {
  target.replaceChildren(Object.assign(document.createElement("p"), { textContent: "Running backtest…" }));
  try {
    const reply = await api.backtest(path, text, settings);
    renderBacktest(target, reply, (date) => {
      const section = target.querySelector<HTMLElement>("#explain");
      if (section !== null) void explainDate(section, path, text, date, onExplained, settings);
    });
  } catch (error) {
    const message = error instanceof ApiError ? error.message : `backtest failed: ${(error as Error).message}`;
    target.replaceChildren(Object.assign(document.createElement("p"), { className: "error", textContent: message }));
  }
}
