/**
 * `report.html` of a study: self-contained (inline SVG and CSS, no scripts, no links). The
 * objective across the space: a heatmap for two params (the others at the best's values, or
 * the best objective over them), a line chart for one, and the top trials as a table.
 */
import type { Dimension } from "./space.js";
import type { StudySummary } from "./study-json.js";
import type { Trial } from "./trial.js";

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function fmt(v: number | null | undefined, digits = 4): string {
  return v === null || v === undefined ? "—" : Number(v.toPrecision(digits)).toString();
}

/** Colour from red (low) to green (high) for t in [0, 1]. */
function colour(t: number): string {
  const h = Math.round(120 * Math.max(0, Math.min(1, t)));
  return `hsl(${h},65%,55%)`;
}

/** Best feasible objective per value combination of `dims` (others maximised over). */
function bestBy(trials: readonly Trial[], dims: readonly Dimension[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of trials) {
    if (!t.feasible || t.objective === null) continue;
    const key = dims.map((d) => t.params[d.name]).join(",");
    const prev = out.get(key);
    if (prev === undefined || t.objective > prev) out.set(key, t.objective);
  }
  return out;
}

function heatmap(trials: readonly Trial[], x: Dimension, y: Dimension): string {
  const cells = bestBy(trials, [x, y]);
  const values = [...cells.values()];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const cw = Math.max(24, Math.min(60, 600 / x.values.length));
  const ch = Math.max(18, Math.min(40, 400 / y.values.length));
  const left = 70;
  const top = 10;
  const w = left + cw * x.values.length + 10;
  const h = top + ch * y.values.length + 40;
  const parts: string[] = [];
  y.values.forEach((yv, j) => {
    parts.push(`<text x="${left - 6}" y="${top + j * ch + ch / 2 + 4}" text-anchor="end">${fmt(yv)}</text>`);
    x.values.forEach((xv, i) => {
      const v = cells.get(`${xv},${yv}`);
      const fill = v === undefined ? "#eee" : colour(hi > lo ? (v - lo) / (hi - lo) : 1);
      parts.push(`<rect x="${left + i * cw}" y="${top + j * ch}" width="${cw - 1}" height="${ch - 1}" fill="${fill}"><title>${esc(`${x.name}=${xv} ${y.name}=${yv}: ${fmt(v ?? null)}`)}</title></rect>`);
    });
  });
  x.values.forEach((xv, i) => parts.push(`<text x="${left + i * cw + cw / 2}" y="${top + ch * y.values.length + 14}" text-anchor="middle">${fmt(xv)}</text>`));
  parts.push(`<text x="${left + (cw * x.values.length) / 2}" y="${h - 6}" text-anchor="middle">${esc(x.name)} (rows: ${esc(y.name)})</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-size="11">${parts.join("")}</svg>`;
}

function lineChart(trials: readonly Trial[], x: Dimension): string {
  const cells = bestBy(trials, [x]);
  const points = x.values.map((v) => ({ v, o: cells.get(String(v)) })).filter((p): p is { v: number; o: number } => p.o !== undefined);
  const w = 640;
  const h = 300;
  const pad = 50;
  if (points.length === 0) return `<p>No feasible trials to chart.</p>`;
  const lo = Math.min(...points.map((p) => p.o));
  const hi = Math.max(...points.map((p) => p.o));
  const sx = (i: number): number => pad + (x.values.length <= 1 ? 0 : ((w - 2 * pad) * i) / (x.values.length - 1));
  const sy = (o: number): number => h - pad - (hi > lo ? ((h - 2 * pad) * (o - lo)) / (hi - lo) : (h - 2 * pad) / 2);
  const path = points.map((p, k) => `${k === 0 ? "M" : "L"}${sx(x.values.indexOf(p.v)).toFixed(1)},${sy(p.o).toFixed(1)}`).join(" ");
  const dots = points.map((p) => `<circle cx="${sx(x.values.indexOf(p.v)).toFixed(1)}" cy="${sy(p.o).toFixed(1)}" r="3"><title>${esc(`${x.name}=${p.v}: ${fmt(p.o)}`)}</title></circle>`).join("");
  const labels = `<text x="${pad - 6}" y="${sy(hi) + 4}" text-anchor="end">${fmt(hi)}</text><text x="${pad - 6}" y="${sy(lo) + 4}" text-anchor="end">${fmt(lo)}</text><text x="${w / 2}" y="${h - 10}" text-anchor="middle">${esc(x.name)}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-size="11"><path d="${path}" fill="none" stroke="#2a6" stroke-width="2"/>${dots}${labels}</svg>`;
}

/** The report page; see the module comment. */
export function studyHtml(s: StudySummary, top = 20): string {
  const varying = s.space.filter((d) => d.values.length > 1);
  const chart = varying.length >= 2 ? heatmap(s.trials, varying[0]!, varying[1]!) : varying.length === 1 ? lineChart(s.trials, varying[0]!) : "<p>The space has a single point.</p>";
  const ranked = s.trials.filter((t) => t.feasible && t.objective !== null).sort((a, b) => b.objective! - a.objective! || a.number - b.number).slice(0, top);
  const head = `<tr><th>#</th>${s.space.map((d) => `<th>${esc(d.name)}</th>`).join("")}<th>objective</th><th>CAGR</th><th>Sharpe</th><th>max DD</th><th>trades</th></tr>`;
  const rows = ranked.map((t) => `<tr><td>${t.number}</td>${s.space.map((d) => `<td>${fmt(t.params[d.name])}</td>`).join("")}<td>${fmt(t.objective)}</td><td>${fmt(t.metrics?.cagr)}</td><td>${fmt(t.metrics?.sharpe)}</td><td>${fmt(t.metrics?.maxDrawdown)}</td><td>${t.metrics?.trades ?? "—"}</td></tr>`).join("");
  const o = s.overfitting;
  const guards = o === null ? "" : `<p>${o.trials} trials (${o.feasibleTrials} feasible). Deflated Sharpe: ${fmt(o.deflatedSharpe?.probability ?? null, 3)}. Neighbourhood: mean ${fmt(o.stability?.meanRatio ?? null, 3)}, min ${fmt(o.stability?.minRatio ?? null, 3)} of the best.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(`${s.strategy}: optimize ${s.objective}`)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #ddd}</style></head>
<body><h1>${esc(s.strategy)}</h1><p>Objective <code>${esc(s.objective)}</code>, ${esc(s.search)} search, seed ${s.seed}${s.study === null ? "" : `, study ${s.study}`}.</p>
<h2>Objective across the space</h2>${chart}
<h2>Overfitting guards</h2>${guards}
<h2>Top trials</h2><table>${head}${rows}</table>
</body></html>
`;
}
