/**
 * `param NAME = DEFAULT in RANGE` → the optimizer's value list. Ranges are `MIN..MAX step S`
 * (step 1 when omitted) or a set `[a, b, c]`; the default must be one of the values.
 */
import type { NumberLit, ParamDecl } from "../ast.js";
import { percentTextToFraction } from "../decimal.js";
import type { DiagnosticSink } from "../diagnostics.js";
import type { IrParam } from "../../ir/types.js";

/** Most values one param may take; keeps grids and the checker bounded. */
export const MAX_PARAM_VALUES = 100_000;

function literalValue(lit: NumberLit): number {
  return lit.percent ? percentTextToFraction(lit.text) : lit.value;
}

/** Rounds away binary noise from `min + i·step` (12 significant digits). */
function tidy(value: number): number {
  return Number(value.toPrecision(12));
}

/** The IR of a param declaration, or null after reporting why it is invalid. */
export function buildParam(decl: ParamDecl, sink: DiagnosticSink): IrParam | null {
  const percent = decl.value.percent;
  const literals: NumberLit[] =
    decl.range === null
      ? []
      : decl.range.kind === "set"
        ? decl.range.values
        : [decl.range.min, decl.range.max, ...(decl.range.step === null ? [] : [decl.range.step])];
  for (const lit of literals) {
    if (lit.percent !== percent) {
      sink.add("badRange", lit.span, `the range mixes percents and bare numbers: the default ${decl.value.text}${percent ? "%" : ""} is ${percent ? "a percent" : "a bare number"}`, {
        hint: percent ? `write ${lit.text}%` : `write ${lit.text} without %`,
      });
      return null;
    }
  }
  const value = literalValue(decl.value);
  let values: number[];
  const range = decl.range;
  if (range === null) {
    values = [value];
  } else if (range.kind === "set") {
    values = [...new Set(range.values.map(literalValue))].sort((a, b) => a - b);
  } else {
    const min = literalValue(range.min);
    const max = literalValue(range.max);
    const step = range.step === null ? (percent ? 0.01 : 1) : literalValue(range.step);
    if (!(max >= min)) {
      sink.add("badRange", range.span, `the range ${range.min.text}..${range.max.text} is empty: its end is below its start`);
      return null;
    }
    if (!(step > 0)) {
      sink.add("badRange", range.step?.span ?? range.span, "the step must be greater than zero");
      return null;
    }
    const count = Math.floor(tidy((max - min) / step)) + 1;
    if (count > MAX_PARAM_VALUES) {
      sink.add("badRange", range.span, `the range has ${count} values; at most ${MAX_PARAM_VALUES} are allowed`, {
        hint: "use a larger step",
      });
      return null;
    }
    values = Array.from({ length: count }, (_, i) => tidy(min + i * step));
  }
  if (!values.some((v) => Math.abs(v - value) <= 1e-12 * Math.max(1, Math.abs(v)))) {
    sink.add("paramOutOfRange", decl.value.span, `the default ${decl.value.text}${percent ? "%" : ""} is not one of the range's values`, {
      hint: values.length <= 6 ? `the values are ${values.join(", ")}` : `the values run from ${values[0]} to ${values[values.length - 1]}`,
    });
    return null;
  }
  return {
    name: decl.name.name,
    default: value,
    values,
    integer: values.every(Number.isInteger),
    unit: percent ? "percent" : "number",
  };
}
