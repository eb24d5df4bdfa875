/** The optimizer's pure parts: ranges, expressions, walk-forward windows, overfitting maths. */
import { describe, expect, it } from "vitest";
import { ExpressionError, parseConstraint, parseExpression } from "../../src/optimize/expression.js";
import { METRIC_NAMES } from "../../src/optimize/objective.js";
import { deflatedSharpe, normalCdf, normalQuantile, stability } from "../../src/optimize/overfitting.js";
import { batchSizeFor } from "../../src/optimize/search.js";
import { gridPoints, neighbours, parseRange } from "../../src/optimize/space.js";
import { workerCount } from "../../src/optimize/study.js";
import { parseWalkForward, walkForwardWindows } from "../../src/optimize/walk-forward.js";

describe("ranges", () => {
  it("parses steps, lists, percents and narrowing", () => {
    expect(parseRange("fast", "10..50 step 10", [])).toEqual([10, 20, 30, 40, 50]);
    expect(parseRange("slow", "[200, 100]", [])).toEqual([100, 200]);
    expect(parseRange("max_dd", "5%..10% step 1%", [])).toEqual([0.05, 0.06, 0.07, 0.08, 0.09, 0.1]);
    expect(parseRange("fast", "20..40", [10, 20, 30, 40, 50])).toEqual([20, 30, 40]);
    expect(() => parseRange("fast", "a..b", [])).toThrow();
  });

  it("enumerates the grid in nested-loop order and finds neighbours", () => {
    const space = [
      { name: "a", values: [1, 2], integer: true, unit: "number" as const },
      { name: "b", values: [10, 20, 30], integer: true, unit: "number" as const },
    ];
    expect([...gridPoints(space)].map((p) => `${p.a}/${p.b}`)).toEqual(["1/10", "1/20", "1/30", "2/10", "2/20", "2/30"]);
    expect(neighbours(space, { a: 1, b: 20 })).toEqual([{ a: 2, b: 20 }, { a: 1, b: 10 }, { a: 1, b: 30 }]);
  });
});

describe("metric expressions", () => {
  it("evaluates arithmetic over metrics without eval", () => {
    const e = parseExpression("cagr - 0.5 * maxDrawdown", METRIC_NAMES);
    expect(e.evaluate({ cagr: 0.1, maxDrawdown: 0.2 })).toBeCloseTo(0);
    expect(parseExpression("-(sharpe + 1) / 2", METRIC_NAMES).evaluate({ sharpe: 3 })).toBe(-2);
    expect(parseExpression("sharpe", METRIC_NAMES).evaluate({ sharpe: null })).toBeNull();
    expect(() => parseExpression("process.exit()", METRIC_NAMES)).toThrow(ExpressionError);
    expect(() => parseExpression("cagr +", METRIC_NAMES)).toThrow(ExpressionError);
  });

  it("tests constraints", () => {
    expect(parseConstraint("maxDrawdown < 25%", METRIC_NAMES).test({ maxDrawdown: 0.2 })).toBe(true);
    expect(parseConstraint("trades > 10", METRIC_NAMES).test({ trades: 10 })).toBe(false);
    expect(() => parseConstraint("trades", METRIC_NAMES)).toThrow(ExpressionError);
  });
});

describe("walk-forward windows", () => {
  it("never overlap test with train, and roll by the test length", () => {
    const dates = Array.from({ length: 1000 }, (_, i) => `d${String(i).padStart(4, "0")}`);
    const { train, test } = parseWalkForward("1y/3m");
    expect([train, test]).toEqual([252, 63]);
    const windows = walkForwardWindows(dates, 100, train, test);
    expect(windows.length).toBe(Math.floor((1000 - 100 - train) / test));
    for (const [i, w] of windows.entries()) {
      expect(w.trainTo < w.testFrom).toBe(true);
      expect(dates.indexOf(w.testFrom)).toBe(dates.indexOf(w.trainTo) + 1);
      if (i > 0) expect(w.testFrom > windows[i - 1]!.testTo).toBe(true);
    }
    expect(() => parseWalkForward("3 years")).toThrow();
  });
});

describe("overfitting maths", () => {
  it("has a consistent normal CDF and quantile", () => {
    for (const p of [0.001, 0.1, 0.5, 0.9, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
  });

  it("deflates more with more trials and more dispersed trial Sharpes", () => {
    const returns = Array.from({ length: 1000 }, (_, i) => 0.0005 + 0.01 * Math.sin(i * 1.7));
    const few = deflatedSharpe([0.5, 0.6, 0.7], returns)!;
    const many = deflatedSharpe(Array.from({ length: 100 }, (_, i) => -1 + i / 50), returns)!;
    expect(many.expectedMaxSharpe).toBeGreaterThan(few.expectedMaxSharpe);
    expect(many.probability).toBeLessThan(few.probability);
    expect(stability(2, [1, 2, null])).toEqual({ neighbours: 2, meanRatio: 0.75, minRatio: 0.5 });
  });
});

describe("worker count and batch size", () => {
  it("--workers auto: one per core, this thread alone for 32 trials or fewer; a number as given", () => {
    expect(workerCount("auto", 33, 2)).toBe(2);
    expect(workerCount("auto", 32, 2)).toBe(1);
    expect(workerCount("auto", 1000, 0)).toBe(1);
    expect(workerCount(3, 5, 2)).toBe(3);
  });

  it("batches: 8 for bayes and one thread, 32 per worker for grid and random, all at once on a queue", () => {
    expect(batchSizeFor("bayes", false, 500, 4)).toBe(8);
    expect(batchSizeFor("grid", false, 500, 1)).toBe(8);
    expect(batchSizeFor("random", false, 500, 2)).toBe(64);
    expect(batchSizeFor("grid", true, 500, 2)).toBe(500);
    expect(batchSizeFor("bayes", true, 500, 2)).toBe(8);
  });
});
