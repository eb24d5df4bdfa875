/** Parsing of options shared by `backtest`, `explain`, `indicator` and (later) `optimize`. */
import { shiftDecimal } from "../lang/decimal.js";
import { UsageError } from "./usage-error.js";

/** A YYYY-MM-DD date that exists on the calendar. */
export function parseDate(value: string, option: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m === null ? null : new Date(`${value}T00:00:00Z`);
  if (m === null || d === null || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw new UsageError(`${option} takes a date as YYYY-MM-DD, not '${value}'`);
  }
  return value;
}

/** A finite number, with an optional lower bound. */
export function parseNumber(value: string, option: string, min?: number): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new UsageError(`${option} takes a number, not '${value}'`);
  if (min !== undefined && n < min) throw new UsageError(`${option} must be at least ${min}, not ${value}`);
  return n;
}

/** `--param NAME=VALUE` (repeatable); `5%` is the fraction 0.05, as percents are everywhere. */
export function parseParams(entries: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of entries) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(-?\d+(?:\.\d+)?)(%?)$/.exec(entry.trim());
    if (m === null) throw new UsageError(`--param takes NAME=VALUE (e.g. fast=50 or max_dd=10%), not '${entry}'`);
    out[m[1]!] = m[3] === "%" ? Number(shiftDecimal(m[2]!, -2)) : Number(m[2]);
  }
  return out;
}

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
