/**
 * The self-contained HTML report: summary, equity against the benchmark, drawdown, allocation
 * over time, branch coverage. One file with inline SVG and CSS; opens offline.
 */
import type { BacktestResult } from "../run.js";
import { escape, lineChart, stackedChart } from "./svg.js";
import { summaryLines } from "./table.js";

const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"];
const MAX_LAYERS = 11;

function drawdowns(equity: Float64Array): Float64Array {
  const out = new Float64Array(equity.length);
  let peak = -Infinity;
  equity.forEach((v, i) => {
    peak = Math.max(peak, v);
    out[i] = -(peak - v) / peak;
  });
  return out;
}

export function htmlReport(result: BacktestResult): string {
  const { dates, equity, weights } = result.simulation;
  const series = [{ name: result.strategy, color: PALETTE[0]!, values: equity }];
  const bench = result.metrics.benchmark;
  if (bench !== null) {
    const close = result.evaluation.context.market.close.get(bench.ticker)!;
    const start = result.evaluation.start;
    series.push({ name: bench.ticker, color: "#888888", values: Float64Array.from(dates, (_, i) => (equity[0]! * close[start + i]!) / close[start]!) });
  }
  const totals = new Map<string, number>();
  for (const w of weights) for (const [t, v] of w) totals.set(t, (totals.get(t) ?? 0) + v);
  const ranked = [...totals].sort((a, b) => b[1] - a[1]).map(([t]) => t);
  const shown = ranked.slice(0, MAX_LAYERS);
  const layers = shown.map((t, k) => ({ name: t, color: PALETTE[k % PALETTE.length]!, values: Float64Array.from(weights, (w) => w.get(t) ?? 0) }));
  if (ranked.length > MAX_LAYERS) {
    const rest = new Set(ranked.slice(MAX_LAYERS));
    layers.push({ name: "other", color: "#cccccc", values: Float64Array.from(weights, (w) => [...w].filter(([t]) => rest.has(t)).reduce((s, [, v]) => s + v, 0)) });
  }
  const money = (v: number): string => `$${Math.round(v).toLocaleString("en-US")}`;
  const coverageRows = result.coverage.entries
    .map((e) =>
      e.kind === "if"
        ? `<tr><td>if</td><td>${escape(e.at)}</td><td>${e.reached}</td><td>then ${e.then} · else ${e.otherwise}</td></tr>`
        : `<tr><td>filter</td><td>${escape(e.at)}</td><td>${e.reached}</td><td>${(e.candidates ?? []).map((c) => `${escape(c.name)} ${c.selected}`).join(" · ")}</td></tr>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(result.strategy)} — Strat backtest</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:960px;color:#222}
h1{font-size:20px}pre{background:#f6f6f6;padding:12px;overflow:auto}
figure{margin:18px 0}figcaption{font-weight:600;margin-bottom:4px}
svg{width:100%;height:auto;font-size:11px;fill:#444}.grid{stroke:#e5e5e5}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
</style></head><body>
<h1>${escape(result.strategy)}</h1>
<pre>${escape(summaryLines(result).join("\n"))}</pre>
${lineChart("Equity against the benchmark", dates, series, money)}
${lineChart("Drawdown", dates, [{ name: "drawdown", color: "#d62728", values: drawdowns(equity) }], (v) => `${(v * 100).toFixed(0)}%`)}
${stackedChart("Allocation over time (weights at each close)", dates, layers)}
<h2>Branch coverage</h2>
<table><tr><th>node</th><th>at</th><th>sessions</th><th>taken</th></tr>${coverageRows}</table>
<p>Data: ${escape(result.data.provider)} ${escape(result.data.source)} (adjustment ${escape(result.data.adjustment)}, bars ${escape(result.data.contentHash)}); IR ${escape(result.irHash)}.</p>
</body></html>
`;
}
