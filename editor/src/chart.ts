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

/** Draws `series` over `dates` into a new <svg>; `format` labels the y axis. */
export function lineChart(title: string, dates: readonly string[], series: ChartSeries[], format: (v: number) => string): SVGSVGElement {
  const svg = element("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-label": title, class: "chart" });
  const all = series.flatMap((s) => s.values.filter(Number.isFinite));
  const lo = Math.min(...all);
  const hi = Math.max(...all);
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
  series.forEach((s, k) => {
    const step = Math.max(1, Math.ceil(s.values.length / MAX_POINTS));
    const points: string[] = [];
    for (let i = 0; i < s.values.length; i += step) points.push(`${x(i).toFixed(1)},${y(s.values[i]!).toFixed(1)}`);
    const last = s.values.length - 1;
    if (last >= 0 && last % step !== 0) points.push(`${x(last).toFixed(1)},${y(s.values[last]!).toFixed(1)}`);
    svg.append(element("polyline", { points: points.join(" "), fill: "none", stroke: s.color, "stroke-width": 1.5, class: "series", "data-name": s.name }));
    const legend = element("text", { x: WIDTH - PAD.right - 140 * (series.length - 1 - k), y: 14, fill: s.color, "text-anchor": "end" });
    legend.textContent = s.name;
    svg.append(legend);
  });
  return svg;
}
