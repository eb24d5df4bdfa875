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

/** Whether `date` starts a new calendar period of `mode` after `previous` (always true for daily). */
export function startsPeriod(mode: Rebalance["mode"], date: string, previous: string): boolean {
  return period(mode, date) !== period(mode, previous);
}

const periodStarts = new WeakMap<readonly string[], Map<Rebalance["mode"], Uint8Array>>();

/**
 * `startsPeriod` for every session of a calendar (index 0 is 1), computed once per calendar and
 * mode: a backtest asks on every session, and an optimizer study in every trial.
 */
export function periodStartsOf(mode: Rebalance["mode"], dates: readonly string[]): Uint8Array {
  let byMode = periodStarts.get(dates);
  if (byMode === undefined) {
    byMode = new Map();
    periodStarts.set(dates, byMode);
  }
  let starts = byMode.get(mode);
  if (starts === undefined) {
    starts = new Uint8Array(dates.length);
    for (let i = 0; i < dates.length; i++) starts[i] = i === 0 || startsPeriod(mode, dates[i]!, dates[i - 1]!) ? 1 : 0;
    byMode.set(mode, starts);
  }
  return starts;
}

/**
 * The drift rules over dense weights (see Book): `current[i]` and `targets[i]` for the indexes in
 * `members` (absent symbols weigh 0). `none` trades when
 * the set of positive weights changes; `threshold` also when any weight drifts past the corridor.
 */
export function driftCallsForTrade(
  rule: Rebalance,
  members: Iterable<number>,
  current: ArrayLike<number>,
  targets: ArrayLike<number>,
): boolean {
  let drifted = false;
  for (const i of members) {
    const c = current[i]!;
    const t = targets[i]!;
    if (c > 0 !== t > 0) return true;
    if (rule.mode === "threshold" && Math.abs(c - t) > rule.threshold + 1e-12) drifted = true;
  }
  return drifted;
}

export interface RebalanceState {
  /** Current weights of holdings at today's close, before trading. */
  current: ReadonlyMap<string, number>;
  targets: ReadonlyMap<string, number>;
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
      return startsPeriod(rule.mode, date, previous);
    case "none":
    case "threshold": {
      const symbols = [...new Set([...state.current.keys(), ...state.targets.keys()])];
      const current = symbols.map((s) => state.current.get(s) ?? 0);
      const targets = symbols.map((s) => state.targets.get(s) ?? 0);
      return driftCallsForTrade(rule, symbols.keys(), current, targets);
    }
  }
}
