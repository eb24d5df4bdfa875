/**
 * Small inline SVG charts for the self-contained HTML report: no scripts, no network, readable
 * in any browser offline. Series are downsampled to at most `MAX_POINTS` columns.
 */

const MAX_POINTS = 800;
const W = 900;
const H = 260;
const PAD = { left: 64, right: 16, top: 28, bottom: 24 };

export interface LineSeries {
  name: string;
  color: string;
  values: ArrayLike<number>;
}

function step(length: number): number {
  return Math.max(1, Math.ceil(length / MAX_POINTS));
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function axisLabels(dates: readonly string[], min: number, max: number, format: (v: number) => string): string {
  const parts: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = min + ((max - min) * k) / 4;
    const y = PAD.top + (H - PAD.top - PAD.bottom) * (1 - k / 4);
    parts.push(`<text x="${PAD.left - 6}" y="${y.toFixed(1)}" text-anchor="end" dominant-baseline="middle">${escape(format(v))}</text>`);
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" class="grid"/>`);
  }
  for (let k = 0; k <= 4; k++) {
    const i = Math.min(dates.length - 1, Math.round(((dates.length - 1) * k) / 4));
    const x = PAD.left + ((W - PAD.left - PAD.right) * i) / Math.max(1, dates.length - 1);
    const anchor = k === 0 ? "start" : k === 4 ? "end" : "middle";
    parts.push(`<text x="${x.toFixed(1)}" y="${H - 6}" text-anchor="${anchor}">${escape(dates[i] ?? "")}</text>`);
  }
  return parts.join("");
}

function xy(i: number, v: number, n: number, min: number, max: number): string {
  const x = PAD.left + ((W - PAD.left - PAD.right) * i) / Math.max(1, n - 1);
  const y = PAD.top + (H - PAD.top - PAD.bottom) * (1 - (v - min) / (max - min || 1));
  return `${x.toFixed(1)},${y.toFixed(1)}`;
}

/** Lines over dates, e.g. equity against the benchmark. */
export function lineChart(title: string, dates: readonly string[], series: LineSeries[], format: (v: number) => string): string {
  let min = Infinity;
  let max = -Infinity;
  for (const s of series) for (let i = 0; i < s.values.length; i++) {
    min = Math.min(min, s.values[i]!);
    max = Math.max(max, s.values[i]!);
  }
  const n = dates.length;
  const st = step(n);
  const paths = series.map((s) => {
    const points: string[] = [];
    for (let i = 0; i < n; i += st) points.push(xy(i, s.values[i]!, n, min, max));
    points.push(xy(n - 1, s.values[n - 1]!, n, min, max));
    return `<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${points.join(" ")}"/>`;
  });
  const legend = series.map((s, k) => `<text x="${PAD.left + k * 180}" y="14" fill="${s.color}">■ ${escape(s.name)}</text>`).join("");
  return `<figure><figcaption>${escape(title)}</figcaption><svg viewBox="0 0 ${W} ${H}" role="img">${axisLabels(dates, min, max, format)}${paths.join("")}${legend}</svg></figure>`;
}

/** Stacked areas of weights (each column sums to at most 1). */
export function stackedChart(title: string, dates: readonly string[], layers: { name: string; color: string; values: ArrayLike<number> }[]): string {
  const n = dates.length;
  const st = step(n);
  const columns: number[] = [];
  for (let i = 0; i < n; i += st) columns.push(i);
  if (columns[columns.length - 1] !== n - 1) columns.push(n - 1);
  const base = new Float64Array(columns.length);
  const polys = layers.map((layer) => {
    const lower = columns.map((i, c) => xy(i, base[c]!, n, 0, 1));
    columns.forEach((i, c) => {
      base[c] = base[c]! + layer.values[i]!;
    });
    const upper = columns.map((i, c) => xy(i, base[c]!, n, 0, 1));
    return `<polygon fill="${layer.color}" fill-opacity="0.85" points="${[...upper, ...lower.reverse()].join(" ")}"><title>${escape(layer.name)}</title></polygon>`;
  });
  const legend = layers.map((l, k) => `<text x="${PAD.left + k * 68}" y="14" fill="${l.color}">■ ${escape(l.name)}</text>`).join("");
  return `<figure><figcaption>${escape(title)}</figcaption><svg viewBox="0 0 ${W} ${H}" role="img">${axisLabels(dates, 0, 1, (v) => `${Math.round(v * 100)}%`)}${polys.join("")}${legend}</svg></figure>`;
}

export { escape };
