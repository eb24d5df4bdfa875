/**
 * The search space: one dimension per param the strategy reads, each a finite ascending list
 * of values (the file's `param ... in RANGE`, optionally narrowed or replaced by
 * `--param NAME=RANGE`). Points are plain `{ name: value }` records in dimension order.
 */
import type { IrParam } from "../ir/types.js";

/** One searchable param and the values it may take (ascending; percents as fractions). */
export interface Dimension {
  name: string;
  values: number[];
  integer: boolean;
  unit: "number" | "percent";
}

/** Param name → value, one per dimension. */
export type Point = Record<string, number>;

export class SpaceError extends Error {}

/** Rounds away binary noise from `start + i * step` so values print (and reparse) exactly. */
function clean(x: number): number {
  return Number(x.toPrecision(12));
}

function parseValue(text: string, name: string): number {
  const m = /^\s*(-?\d+(?:\.\d+)?)(%?)\s*$/.exec(text);
  if (m === null) throw new SpaceError(`--param ${name}: '${text.trim()}' is not a number (e.g. 10, 2.5 or 5%)`);
  return m[2] === "%" ? clean(Number(m[1]) / 100) : Number(m[1]);
}

/**
 * Parses a RANGE: `V`, `[V, V, ...]`, `A..B step S`, or `A..B` (the declared values inside
 * [A, B]). Returns ascending, distinct values.
 */
export function parseRange(name: string, text: string, declared: readonly number[]): number[] {
  const t = text.trim();
  let values: number[];
  const list = /^\[(.*)\]$/.exec(t);
  const range = /^(-?[\d.]+%?)\s*\.\.\s*(-?[\d.]+%?)(?:\s+step\s+(-?[\d.]+%?))?$/.exec(t);
  if (list !== null) {
    values = list[1]!.split(",").map((v) => parseValue(v, name));
  } else if (range !== null) {
    const lo = parseValue(range[1]!, name);
    const hi = parseValue(range[2]!, name);
    if (lo > hi) throw new SpaceError(`--param ${name}=${t}: the range is empty (${lo} > ${hi})`);
    if (range[3] === undefined) {
      values = declared.filter((v) => v >= lo && v <= hi);
      if (values.length === 0) throw new SpaceError(`--param ${name}=${t}: none of the declared values (${declared.join(", ")}) is in the range; give a step`);
    } else {
      const step = parseValue(range[3], name);
      if (!(step > 0)) throw new SpaceError(`--param ${name}=${t}: the step must be positive`);
      const count = Math.floor((hi - lo) / step + 1e-9) + 1;
      if (count > 100_000) throw new SpaceError(`--param ${name}=${t}: ${count} values is too many`);
      values = Array.from({ length: count }, (_, i) => clean(lo + i * step));
    }
  } else {
    values = [parseValue(t, name)];
  }
  return [...new Set(values)].sort((a, b) => a - b);
}

/**
 * The space of `params` (the strategy's declared params) with `overrides` (`NAME` → RANGE
 * text) applied. A param without declared values and without an override is fixed at its
 * default. Unknown names and non-integers for integer params are SpaceErrors.
 */
export function buildSpace(params: readonly IrParam[], overrides: Readonly<Record<string, string>> = {}): Dimension[] {
  for (const name of Object.keys(overrides)) {
    if (!params.some((p) => p.name === name)) {
      throw new SpaceError(`unknown param '${name}'${params.length === 0 ? " (this strategy declares none)" : `; the params are ${params.map((p) => p.name).join(", ")}`}`);
    }
  }
  return params.map((p) => {
    const override = overrides[p.name];
    const values = override === undefined ? (p.values.length > 0 ? [...p.values] : [p.default]) : parseRange(p.name, override, p.values);
    if (p.integer) {
      const bad = values.find((v) => !Number.isInteger(v));
      if (bad !== undefined) throw new SpaceError(`param '${p.name}' takes whole numbers, not ${bad}`);
    }
    return { name: p.name, values, integer: p.integer, unit: p.unit };
  });
}

/** Number of points in the space (may exceed 2^53 in theory; capped at Infinity by doubles). */
export function spaceSize(space: readonly Dimension[]): number {
  return space.reduce((n, d) => n * d.values.length, 1);
}

/** A stable key of a point, for deduplication and storage. */
export function pointKey(space: readonly Dimension[], point: Point): string {
  return space.map((d) => point[d.name]).join(",");
}

/** The point at value indices `indices` (one per dimension). */
export function pointAt(space: readonly Dimension[], indices: readonly number[]): Point {
  const point: Point = {};
  space.forEach((d, i) => (point[d.name] = d.values[indices[i]!]!));
  return point;
}

/** The value indices of `point`, or null when a value is not on the grid. */
export function indicesOf(space: readonly Dimension[], point: Point): number[] | null {
  const out: number[] = [];
  for (const d of space) {
    const i = d.values.indexOf(point[d.name]!);
    if (i < 0) return null;
    out.push(i);
  }
  return out;
}

/**
 * Every point in grid order: the first dimension varies slowest (like nested loops in
 * declaration order), so the order is deterministic and human-readable.
 */
export function* gridPoints(space: readonly Dimension[]): Generator<Point> {
  const idx = space.map(() => 0);
  if (space.some((d) => d.values.length === 0)) return;
  for (;;) {
    yield pointAt(space, idx);
    let k = space.length - 1;
    while (k >= 0) {
      idx[k]!++;
      if (idx[k]! < space[k]!.values.length) break;
      idx[k] = 0;
      k--;
    }
    if (k < 0) return;
  }
}

/** The grid neighbours one step away in each dimension (up to 2 per dimension). */
export function neighbours(space: readonly Dimension[], point: Point): Point[] {
  const base = indicesOf(space, point);
  if (base === null) return [];
  const out: Point[] = [];
  space.forEach((d, k) => {
    for (const delta of [-1, 1]) {
      const j = base[k]! + delta;
      if (j < 0 || j >= d.values.length) continue;
      const idx = [...base];
      idx[k] = j;
      out.push(pointAt(space, idx));
    }
  });
  return out;
}
