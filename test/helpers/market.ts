/** Hand-made markets and one-call evaluation for engine tests. */
import { compile } from "../../src/lang/compile.js";
import { evaluate, weightsOf, type Evaluation } from "../../src/engine/evaluate.js";
import type { Market } from "../../src/engine/market.js";
import { resolveParams } from "../../src/engine/params.js";
import type { IrStrategy } from "../../src/ir/types.js";

/** Sessions 2024-01-02 … on consecutive weekdays (holidays do not matter to the evaluator). */
export function sessions(count: number): string[] {
  const out: string[] = [];
  const d = new Date("2024-01-02T00:00:00Z");
  while (out.length < count) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

export function market(closes: Record<string, number[]>): Market {
  const length = Math.max(...Object.values(closes).map((c) => c.length));
  return { dates: sessions(length), close: new Map(Object.entries(closes).map(([t, c]) => [t, Float64Array.from(c)])) };
}

export function strategyOf(source: string, name?: string): IrStrategy {
  const result = compile(source, { file: "test.strat" });
  if (result.ir === null) throw new Error(result.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n"));
  const strategy = name === undefined ? result.ir.strategies[0] : result.ir.strategies.find((s) => s.name === name);
  if (strategy === undefined) throw new Error("no strategy");
  return strategy;
}

export function run(source: string, m: Market, overrides: Record<string, number> = {}): Evaluation {
  const result = compile(source, { file: "test.strat" });
  if (result.ir === null) throw new Error(result.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n"));
  const strategy = result.ir.strategies[0]!;
  return evaluate(strategy, m, { params: resolveParams(result.ir.params, overrides), trace: true });
}

/** Weights decided on each session from the start, rounded to 12 digits. */
export function weightsByDay(e: Evaluation): Record<string, number>[] {
  return e.allocations.map((a) => Object.fromEntries(Object.entries(weightsOf(e, a)).map(([t, w]) => [t, Number(w.toPrecision(12))])));
}
