/**
 * When a strategy trades (SEMANTICS.md §4): calendar modes on the first session of a new ISO
 * week / month / quarter / year; the threshold corridor when a holding drifts more than X
 * percentage points from its target or the set of target tickers changes; `none` only when that
 * set changes. The first session always trades.
 */
import type { Rebalance } from "../ir/types.js";

/** ISO week key "YYYY-Www" of a YYYY-MM-DD date. */
export function isoWeek(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const weekday = d.getUTCDay() || 7; // Monday 1 … Sunday 7
  d.setUTCDate(d.getUTCDate() + 4 - weekday); // the week's Thursday decides its year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

function period(mode: Rebalance["mode"], date: string): string {
  switch (mode) {
    case "weekly":
      return isoWeek(date);
    case "monthly":
      return date.slice(0, 7);
    case "quarterly":
      return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
    case "yearly":
      return date.slice(0, 4);
    default:
      return date;
  }
}

export interface RebalanceState {
  /** Current weights of holdings at today's close, before trading. */
  current: ReadonlyMap<string, number>;
  targets: ReadonlyMap<string, number>;
}

function sameSet(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  const keys = (m: ReadonlyMap<string, number>): string[] => [...m].filter(([, w]) => w > 0).map(([k]) => k).sort();
  const x = keys(a);
  const y = keys(b);
  return x.length === y.length && x.every((k, i) => k === y[i]);
}

/** Whether to trade on `date` (the previous session is `previous`, null on the first). */
export function shouldRebalance(rule: Rebalance, date: string, previous: string | null, state: RebalanceState): boolean {
  if (previous === null) return true;
  switch (rule.mode) {
    case "daily":
      return true;
    case "weekly":
    case "monthly":
    case "quarterly":
    case "yearly":
      return period(rule.mode, date) !== period(rule.mode, previous);
    case "none":
      return !sameSet(state.current, state.targets);
    case "threshold": {
      if (!sameSet(state.current, state.targets)) return true;
      for (const symbol of new Set([...state.current.keys(), ...state.targets.keys()])) {
        const drift = Math.abs((state.current.get(symbol) ?? 0) - (state.targets.get(symbol) ?? 0));
        if (drift > rule.threshold + 1e-12) return true;
      }
      return false;
    }
  }
}
