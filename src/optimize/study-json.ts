/** The `--json` document and `study.json` of an optimize run. */
import type { OverfittingReport } from "./study.js";
import type { Dimension, Point } from "./space.js";
import type { Trial } from "./trial.js";
import type { WalkForwardResult } from "./walk-forward.js";

/** What the document is made from. */
export interface StudySummary {
  study: number | null;
  strategy: string;
  objective: string;
  constraints: string[];
  search: string;
  seed: number;
  space: Dimension[];
  trials: Trial[];
  best: Trial | null;
  stopped: boolean;
  overfitting: OverfittingReport | null;
  walkForward: WalkForwardResult | null;
}

/** Params in the space's order (stored jsonb comes back with its keys reordered). */
export function orderedParams(space: readonly Dimension[], params: Point): Point {
  const out: Point = {};
  for (const d of space) if (params[d.name] !== undefined) out[d.name] = params[d.name]!;
  return out;
}

/** Numbers to 12 significant digits, as `strat backtest --json` prints metrics. */
function rounded<T>(value: T): T {
  if (typeof value === "number") return (Number.isFinite(value) ? Number(value.toPrecision(12)) : value) as T;
  if (Array.isArray(value)) return value.map(rounded) as T;
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)])) as T;
  return value;
}

function trialJson(space: readonly Dimension[], t: Trial): Record<string, unknown> {
  return { number: t.number, params: orderedParams(space, t.params), objective: rounded(t.objective), feasible: t.feasible, metrics: rounded(t.metrics), ...(t.error === null ? {} : { error: t.error }) };
}

/**
 * Objectives and metrics are rounded to 12 significant digits like `strat backtest --json`,
 * so a trial's numbers match its reproduction digit for digit.
 * `{ study, strategy, objective, constraints, search, seed, space, trials, best, stopped,
 * overfitting, walkForward }`; each trial `{ number, params, objective, feasible, metrics }`.
 */
export function studyJson(s: StudySummary): Record<string, unknown> {
  return {
    study: s.study,
    strategy: s.strategy,
    objective: s.objective,
    constraints: s.constraints,
    search: s.search,
    seed: s.seed,
    space: s.space.map((d) => ({ name: d.name, values: d.values, unit: d.unit })),
    trials: s.trials.map((t) => trialJson(s.space, t)),
    best: s.best === null ? null : trialJson(s.space, s.best),
    stopped: s.stopped,
    overfitting: s.overfitting,
    walkForward:
      s.walkForward === null
        ? null
        : {
            windows: s.walkForward.windows.map((w) => ({ ...w.window, params: w.params === null ? null : orderedParams(s.space, w.params), trials: w.trials, inSampleObjective: w.inSampleObjective, outOfSampleObjective: w.outOfSampleObjective, outOfSample: w.outOfSample })),
            metrics: s.walkForward.metrics,
            equity: s.walkForward.dates.map((date, i) => ({ date, equity: s.walkForward!.equity[i]! })),
          },
  };
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const text = String(v);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const CSV_METRICS = ["totalReturn", "cagr", "volatility", "sharpe", "sortino", "calmar", "maxDrawdown", "turnover", "trades"] as const;

/** `trials.csv`: number, each param, objective, feasible, the main metrics, error. */
export function trialsCsv(space: readonly Dimension[], trials: readonly Trial[]): string {
  const header = ["number", ...space.map((d) => d.name), "objective", "feasible", ...CSV_METRICS, "error"];
  const rows = trials.map((t) => [t.number, ...space.map((d) => t.params[d.name]), t.objective, t.feasible, ...CSV_METRICS.map((m) => t.metrics?.[m] ?? null), t.error].map(csvCell).join(","));
  return `${[header.join(","), ...rows].join("\n")}\n`;
}
