/** The JSON document of a backtest (`--json`, `result.json`): stable keys, documented in the README. */
import type { BacktestResult } from "../run.js";

export interface JsonOptions {
  /** Include one `{date, weights}` per session: the target decided at that close. */
  allocations?: boolean;
}

/** Rounds away float noise below 1e-12 so reports are stable and readable. */
export function tidy(value: number): number {
  return Number(value.toPrecision(12));
}

function tidyDeep(value: unknown): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? tidy(value) : null;
  if (Array.isArray(value)) return value.map(tidyDeep);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tidyDeep(v)]));
  return value;
}

export function resultJson(result: BacktestResult, options: JsonOptions = {}): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    strategy: result.strategy,
    irHash: result.irHash,
    data: result.data,
    params: result.params,
    start: result.start,
    end: result.end,
    sessions: result.simulation.dates.length,
    warmupBars: result.warmupBars,
    startReason: result.startReason,
    metrics: tidyDeep(result.metrics),
    coverage: result.coverage,
    warnings: result.warnings,
  };
  if (options.allocations === true) {
    doc.allocations = result.simulation.dates.map((date, i) => ({
      date,
      weights: Object.fromEntries([...result.simulation.targets[i]!].sort(([a], [b]) => a.localeCompare(b)).map(([t, w]) => [t, tidy(w)])),
    }));
  }
  return doc;
}
