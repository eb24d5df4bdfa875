/**
 * The decision log re-checked (DESIGN.md §3): every run re-evaluates the previous decisions it
 * can, on today's data, and flags those that would now be different — a data revision or a
 * code change — before trading.
 */
import type { Evaluation } from "../engine/evaluate.js";
import { weightsOf } from "../engine/evaluate.js";
import type { RunMode, Store } from "../ports/store.js";

/** How many previous decisions are re-checked. */
export const RECHECKED_DECISIONS = 20;

/** Lines describing the previous decisions that changed; empty when all still hold. */
export async function recheckDecisions(store: Store, strategyId: number, mode: RunMode, evaluation: Evaluation, irHash: string): Promise<string[]> {
  const previous = await store.decisions(strategyId, mode, RECHECKED_DECISIONS);
  const out: string[] = [];
  for (const decision of previous) {
    const day = evaluation.dates.indexOf(decision.tradingDate);
    // Past decisions were made on that day's latest trade, not its close: compare weights only
    // when the evaluation covers the day, and report a change of IR separately.
    if (day < evaluation.start || day >= evaluation.dates.length - 1) continue;
    const now = weightsOf(evaluation, evaluation.allocations[day - evaluation.start]!);
    if (!sameWeights(now, decision.allocation)) {
      const why = decision.irHash !== irHash ? "the strategy changed since" : decision.dataHash === "" ? "unknown" : "the data or its close differs from the price decided on";
      out.push(`the decision of ${decision.tradingDate} would now be ${describe(now)} instead of ${describe(decision.allocation)} (${why})`);
    }
  }
  return out;
}

function sameWeights(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (Math.abs((a[k] ?? 0) - (b[k] ?? 0)) > 1e-9) return false;
  return true;
}

function describe(weights: Record<string, number>): string {
  const parts = Object.entries(weights).sort((x, y) => y[1] - x[1]).map(([t, w]) => `${t} ${(w * 100).toFixed(1)}%`);
  return parts.length === 0 ? "cash" : parts.join(", ");
}
