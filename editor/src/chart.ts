/** A small inline-SVG line chart: no chart library, just polylines, a grid and labels. */

export interface ChartSeries {
  name: string;
  color: string;
  values: readonly number[];
}

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 64, right: 12, top: 22, bottom: 22 };
/** Points drawn per series at most; longer series are sampled evenly. */
const MAX_POINTS = 800;

function element<K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
  return node;
}

interface Frame {
  svg: SVGSVGElement;
  x: (i: number) => number;
  y: (v: number) => number;
}

/** The chart's frame: title, horizontal grid with y labels over [lo, hi], first and last date. */
function frame(title: string, dates: readonly string[], lo: number, hi: number, format: (v: number) => string): Frame {
  const svg = element("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-label": title, class: "chart" });
  const span = hi - lo || 1;
  const n = Math.max(1, dates.length - 1);
  const x = (i: number): number => PAD.left + (i / n) * (WIDTH - PAD.left - PAD.right);
  const y = (v: number): number => HEIGHT - PAD.bottom - ((v - lo) / span) * (HEIGHT - PAD.top - PAD.bottom);
  svg.append(element("text", { x: PAD.left, y: 14, class: "chart-title" }));
  svg.lastChild!.textContent = title;
  for (let k = 0; k <= 4; k++) {
    const v = lo + (span * k) / 4;
    svg.append(element("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(v), y2: y(v), class: "grid" }));
    const label = element("text", { x: PAD.left - 4, y: y(v) + 4, "text-anchor": "end" });
    label.textContent = format(v);
    svg.append(label);
  }
  for (const [i, anchor] of [[0, "start"], [dates.length - 1, "end"]] as const) {
    const label = element("text", { x: x(i), y: HEIGHT - 6, "text-anchor": anchor });
    label.textContent = dates[i] ?? "";
    svg.append(label);
  }
  return { svg, x, y };
}

/** Adds the in-chart legend entry of series `k` of `count` (top right, one row). */
function legend(svg: SVGSVGElement, name: string, color: string, k: number, count: number): void {
  const text = element("text", { x: WIDTH - PAD.right - 140 * (count - 1 - k), y: 14, fill: color, "text-anchor": "end" });
  text.textContent = name;
  svg.append(text);
}

/**
 * Makes the chart clickable: a click on the plot calls `onPick` with the nearest session's
 * index, and a marker line (with `data-date`) shows the picked session.
 */
function pickable(chart: Frame, dates: readonly string[], onPick: (index: number) => void): void {
  const { svg, x } = chart;
  const n = Math.max(1, dates.length - 1);
  const plot = element("rect", { x: PAD.left, y: PAD.top, width: WIDTH - PAD.left - PAD.right, height: HEIGHT - PAD.top - PAD.bottom, fill: "transparent", class: "pick" });
  const marker = element("line", { y1: PAD.top, y2: HEIGHT - PAD.bottom, class: "marker", visibility: "hidden" });
  plot.addEventListener("click", (event) => {
    const box = svg.getBoundingClientRect();
    const px = ((event.clientX - box.left) / box.width) * WIDTH;
    const index = Math.min(dates.length - 1, Math.max(0, Math.round(((px - PAD.left) / (WIDTH - PAD.left - PAD.right)) * n)));
    marker.setAttribute("x1", String(x(index)));
    marker.setAttribute("x2", String(x(index)));
    marker.setAttribute("visibility", "visible");
    marker.setAttribute("data-date", dates[index] ?? "");
    onPick(index);
  });
  svg.append(plot, marker);
}

/** Draws `series` over `dates` into a new <svg>; `format` labels the y axis; `onPick` makes it clickable. */
export function lineChart(title: string, dates: readonly string[], series: ChartSeries[], format: (v: number) => string, onPick?: (index: number) => void): SVGSVGElement {
  const all = series.flatMap((s) => s.values.filter(Number.isFinite));
  const chart = frame(title, dates, Math.min(...all), Math.max(...all), format);
  const { svg, x, y } = chart;
  series.forEach((s, k) => {
    const step = Math.max(1, Math.ceil(s.values.length / MAX_POINTS));
    const points: string[] = [];
    for (let i = 0; i < s.values.length; i += step) points.push(`${x(i).toFixed(1)},${y(s.values[i]!).toFixed(1)}`);
    const last = s.values.length - 1;
    if (last >= 0 && last % step !== 0) points.push(`${x(last).toFixed(1)},${y(s.values[last]!).toFixed(1)}`);
    svg.append(element("polyline", { points: points.join(" "), fill: "none", stroke: s.color, "stroke-width": 1.5, class: "series", "data-name": s.name }));
    legend(svg, s.name, s.color, k, series.length);
  });
  if (onPick !== undefined) pickable(chart, dates, onPick);
  return svg;
}

/**
 * Stacked areas: series `k` fills the band between the sum of series 0..k-1 and 0..k, on a y
 * axis from 0 to the largest total (at least 1). Every value is drawn (the caller samples).
 * The legend is an HTML list under the chart, as there may be many series.
 */
export function stackedAreaChart(title: string, dates: readonly string[], series: ChartSeries[], format: (v: number) => string): HTMLDivElement {
  const totals = dates.map((_, i) => series.reduce((sum, s) => sum + Math.max(0, s.values[i] ?? 0), 0));
  const { svg, x, y } = frame(title, dates, 0, Math.max(1, ...totals), format);
  const below = new Array<number>(dates.length).fill(0);
  series.forEach((s) => {
    const top = below.map((b, i) => b + Math.max(0, s.values[i] ?? 0));
    const upper = top.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    const lower = below.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).reverse();
    svg.append(element("polygon", { points: [...upper, ...lower].join(" "), fill: s.color, "fill-opacity": 0.85, stroke: "none", class: "area", "data-name": s.name }));
    top.forEach((v, i) => (below[i] = v));
  });
  const list = document.createElement("ul");
  list.className = "legend";
  for (const s of series) {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = s.color;
    item.append(swatch, s.name);
    list.append(item);
  }
  const block = document.createElement("div");
  block.className = "chart-block";
  block.append(svg, list);
  return block;
}
