/** The terminal summary of `strat optimize`: top trials, best params, guards, walk-forward. */
import { join } from "node:path";
import { orderedParams, type StudySummary } from "../../optimize/study-json.js";
import { out, table } from "../output.js";

function fmt(v: number | null | undefined): string {
  return v === null || v === undefined ? "—" : Number(v.toPrecision(4)).toString();
}

/** Prints the summary to stdout; `outDir` is where the files were written, if anywhere. */
export function printSummary(s: StudySummary, outDir: string | undefined): void {
  const feasible = s.trials.filter((t) => t.feasible && t.objective !== null).sort((a, b) => b.objective! - a.objective! || a.number - b.number);
  out(`${s.strategy}: ${s.trials.length} trials (${feasible.length} feasible), ${s.search} search, maximising ${s.objective}${s.study === null ? "" : `; study ${s.study}`}${s.stopped ? " — stopped early" : ""}`);
  out();
  const header = ["#", ...s.space.map((d) => d.name), "objective", "cagr", "sharpe", "maxDD", "trades"];
  const rows = feasible.slice(0, 10).map((t) => [t.number, ...s.space.map((d) => t.params[d.name]!), fmt(t.objective), fmt(t.metrics?.cagr), fmt(t.metrics?.sharpe), fmt(t.metrics?.maxDrawdown), t.metrics?.trades ?? 0]);
  for (const line of table(header, rows)) out(line);
  if (s.best !== null) {
    out();
    // Percent params are shown as percents, as they are written in .strat and taken by --param.
    const shown = ([k, v]: [string, number]): string =>
      s.space.find((d) => d.name === k)?.unit === "percent" ? `--param ${k}=${Number((v * 100).toPrecision(12))}%` : `--param ${k}=${v}`;
    out(`best: ${Object.entries(orderedParams(s.space, s.best.params)).map(shown).join(" ")}`);
  }
  const o = s.overfitting;
  if (o !== null && o.deflatedSharpe !== null) out(`deflated Sharpe: ${fmt(o.deflatedSharpe.probability)} (probability the best Sharpe is real after ${o.deflatedSharpe.trials} trials)`);
  if (o?.stability != null) out(`neighbourhood: ${o.stability.neighbours} neighbours at ${fmt(o.stability.meanRatio)} (mean) and ${fmt(o.stability.minRatio)} (min) of the best objective`);
  if (s.walkForward !== null) {
    out();
    out(`walk-forward: ${s.walkForward.windows.length} windows${s.walkForward.stopped ? " (stopped early)" : ""}`);
    for (const w of s.walkForward.windows) {
      out(`  train ${w.window.trainFrom}..${w.window.trainTo}  test ${w.window.testFrom}..${w.window.testTo}  ${w.params === null ? "no feasible params" : JSON.stringify(orderedParams(s.space, w.params))}  in ${fmt(w.inSampleObjective)}  out ${fmt(w.outOfSampleObjective)}`);
    }
    const m = s.walkForward.metrics;
    if (m !== null) out(`  out-of-sample: cagr ${fmt(m.cagr)}, sharpe ${fmt(m.sharpe)}, max drawdown ${fmt(m.maxDrawdown)}`);
  }
  if (s.stopped && s.study !== null) out(`\nstopped: continue with strat optimize --resume ${s.study}`);
  if (outDir !== undefined) out(`\nwrote ${join(outDir, "report.html")} (and trials.csv, study.json)`);
}
