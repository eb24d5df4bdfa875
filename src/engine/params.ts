/**
 * Param values for one evaluation: the declared defaults, overridden by the caller (a backtest's
 * `--param`, an optimizer trial). Windows and counts must resolve to whole numbers of at least 1.
 */
import type { IrCount, IrParam } from "../ir/types.js";

export type ParamValues = ReadonlyMap<string, number>;

export class ParamError extends Error {}

/** Defaults of `declared`, with `overrides` applied; unknown names are an error. */
export function resolveParams(declared: readonly IrParam[], overrides: Readonly<Record<string, number>> = {}): Map<string, number> {
  const values = new Map(declared.map((p) => [p.name, p.default]));
  for (const [name, value] of Object.entries(overrides)) {
    const param = declared.find((p) => p.name === name);
    if (param === undefined) {
      const known = declared.map((p) => p.name);
      throw new ParamError(`unknown param '${name}'${known.length === 0 ? " (this strategy declares none)" : `; the params are ${known.join(", ")}`}`);
    }
    if (!Number.isFinite(value)) throw new ParamError(`param '${name}' must be a number, not ${value}`);
    if (param.integer && !Number.isInteger(value)) throw new ParamError(`param '${name}' takes whole numbers, not ${value}`);
    values.set(name, value);
  }
  return values;
}

/** The whole number a window or count stands for. */
export function resolveCount(count: IrCount, params: ParamValues): number {
  if (typeof count === "number") return count;
  const value = params.get(count.param);
  if (value === undefined) throw new ParamError(`param '${count.param}' has no value`);
  if (!Number.isInteger(value) || value < 1) throw new ParamError(`param '${count.param}' is used as a window or count, so it must be a whole number of at least 1, not ${value}`);
  return value;
}
