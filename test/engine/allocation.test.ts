/**
 * Hand-computed allocations for every node kind and every rule of SEMANTICS.md §3.
 */
import { describe, expect, it } from "vitest";
import { market, run, weightsByDay } from "../helpers/market.js";

const flat = (n: number, v = 10): number[] => Array.from({ length: n }, () => v);

describe("allocation nodes", () => {
  const m = market({ A: flat(3), B: flat(3), C: flat(3) });

  it("equal splits evenly; a lone ticker takes everything", () => {
    expect(weightsByDay(run('strategy "s" { equal { A, B } }', m))[0]).toEqual({ A: 0.5, B: 0.5 });
    expect(weightsByDay(run('strategy "s" { A }', m))[0]).toEqual({ A: 1 });
  });

  it("weighted uses the given weights", () => {
    expect(weightsByDay(run('strategy "s" { weighted { 60% A, 40% B } }', m))[0]).toEqual({ A: 0.6, B: 0.4 });
  });

  it("a branch with several children splits equally", () => {
    expect(weightsByDay(run('strategy "s" { if price(A) > 5 { A, B, C } else { C } }', m))[0]).toEqual({
      A: 0.333333333333,
      B: 0.333333333333,
      C: 0.333333333333,
    });
  });

  it("drops an empty child of equal and weighted; its siblings share its weight", () => {
    const emptyIf = "if price(A) > 100 { C }";
    expect(weightsByDay(run(`strategy "s" { equal { ${emptyIf}, A, B } }`, m))[0]).toEqual({ A: 0.5, B: 0.5 });
    expect(weightsByDay(run(`strategy "s" { weighted { 50% ${emptyIf}, 30% A, 20% B } }`, m))[0]).toEqual({ A: 0.6, B: 0.4 });
  });

  it("a false condition without else is empty; a wholly empty tree holds nothing", () => {
    expect(weightsByDay(run('strategy "s" { if price(A) > 100 { A } }', m))[0]).toEqual({});
  });

  it("sums equal tickers at the end", () => {
    expect(weightsByDay(run('strategy "s" { equal { A, A, B } }', m))[0]).toEqual({ A: 0.666666666667, B: 0.333333333333 });
    expect(weightsByDay(run('strategy "s" { weighted { 50% A, 50% group "g" { equal { A, B } } } }', m))[0]).toEqual({ A: 0.75, B: 0.25 });
  });

  it("groups are transparent", () => {
    expect(weightsByDay(run('strategy "s" { group "g" { A, B } }', m))[0]).toEqual({ A: 0.5, B: 0.5 });
  });
});

describe("if / else if / else", () => {
  // A rises 10 → 14; the ladder switches as price(A) crosses 11 and 13.
  const m = market({ A: [10, 11, 12, 13, 14], B: flat(5), C: flat(5), D: flat(5) });
  it("takes the first true branch each session", () => {
    const e = run('strategy "s" { if price(A) > 13 { B } else if price(A) > 11 { C } else { D } }', m);
    expect(weightsByDay(e)).toEqual([{ D: 1 }, { D: 1 }, { C: 1 }, { C: 1 }, { B: 1 }]);
    expect(e.trace!.nodes.get(0)).toEqual({ reached: 5, then: 1, otherwise: 4 });
  });
});

describe("top / bottom filters", () => {
  it("ranks tickers by their own series; ties keep source order", () => {
    const m = market({ A: [10, 10], B: [10, 12], C: [10, 12] });
    const top = run('strategy "s" { top 1 by price() { A, B, C } }', m);
    expect(weightsByDay(top)).toEqual([{ A: 1 }, { B: 1 }]);
    const bottom = run('strategy "s" { bottom 2 by price() { C, B, A } }', m);
    expect(weightsByDay(bottom)).toEqual([{ C: 0.5, B: 0.5 }, { A: 0.5, C: 0.5 }]);
  });

  it("keeps all candidates when N ≥ their number", () => {
    const m = market({ A: [10], B: [11] });
    expect(weightsByDay(run('strategy "s" { top 5 by price() { A, B } }', m))).toEqual([{ A: 0.5, B: 0.5 }]);
  });

  it("keeps duplicated tickers as separate candidates", () => {
    const m = market({ A: [12], B: [11], C: [10] });
    expect(weightsByDay(run('strategy "s" { top 2 by price() { A, A, B, C } }', m))).toEqual([{ A: 1 }]);
  });

  it("starts when every candidate's score is defined (cumulative_return(2) needs 3 bars)", () => {
    const m = market({ A: [10, 11, 12, 13], B: [10, 10, 10, 20] });
    const e = run('strategy "s" { top 1 by cumulative_return(2) { A, B } }', m);
    expect(e.start).toBe(2);
    expect(e.startReason).toBe("cumulative_return(2) of A");
    // Day 2: A +20%, B 0% → A. Day 3: A 13/11−1 = 18.2%, B 20/10−1 = 100% → B.
    expect(weightsByDay(e)).toEqual([{ A: 1 }, { B: 1 }]);
  });

  it("leaves out a candidate whose score is undefined that session", () => {
    const m = market({ A: [10, 11, 12], L: [Number.NaN, Number.NaN, 30] });
    const e = run('strategy "s" { top 1 by price() { L, A } }', m);
    const filter = e.strategy.root;
    if (filter.kind !== "filter") throw new Error("expected a filter");
    expect(e.context.ranking(filter, 1)).toEqual([{ child: 1, score: 11 }]);
    expect(e.context.ranking(filter, 2)).toEqual([{ child: 0, score: 30 }, { child: 1, score: 12 }]);
  });
});

describe("NAV series of non-ticker candidates", () => {
  // S switches between A and B: it holds A while price(C) > 10, else B. D is a plain rival.
  const m = market({
    A: [100, 110, 121, 121, 133.1],
    B: [100, 100, 90, 99, 99],
    C: [11, 9, 11, 11, 11],
    D: [100, 100, 98, 110, 100],
  });

  it("follows the node's own decisions close to close, from 1", () => {
    const e = run('strategy "s" { top 1 by cumulative_return(1) { group "S" { if price(C) > 10 { A } else { B } }, D } }', m);
    // NAV of S: day0 1 (decides A) → day1 1.1 (A +10%; decides B) → day2 0.99 (B −10%; decides A) → day3 0.99 → day4 1.089.
    // 1-day returns, S vs D: day1 +10% vs 0 → S (which holds B that day); day2 −10% vs −2% → D;
    // day3 0% vs +12.2% → D; day4 +10% vs −9.1% → S (which holds A).
    expect(e.start).toBe(1);
    expect(weightsByDay(e)).toEqual([{ B: 1 }, { D: 1 }, { D: 1 }, { A: 1 }]);
    expect(e.trace!.nodes.get(0)!.selected).toEqual([2, 2]);
  });

  it("weights inverse volatility by 1/σ of returns, a group through its NAV", () => {
    const n = market({ A: [100, 110, 99, 108.9], B: [100, 101, 100, 101] });
    const e = run('strategy "s" { inverse_volatility(2) { A, group "G" { B } } }', n);
    // Day 2: σ(A) of returns [+10%, −10%] = 0.1; σ(G) of [+1%, −0.990099%] = 0.00995049…
    const sigmaA = 0.1;
    const r1 = 0.01;
    const r2 = 100 / 101 - 1;
    const mean = (r1 + r2) / 2;
    const sigmaG = Math.sqrt(((r1 - mean) ** 2 + (r2 - mean) ** 2) / 2);
    const wA = 1 / sigmaA / (1 / sigmaA + 1 / sigmaG);
    expect(e.start).toBe(2);
    expect(weightsByDay(e)[0]).toEqual({ A: Number(wA.toPrecision(12)), B: Number((1 - wA).toPrecision(12)) });
  });
});

describe("params and warm-up", () => {
  it("uses param values and starts at the largest window of the param's range", () => {
    const m = market({ A: [1, 2, 3, 4, 5, 6], B: flat(6) });
    const src = 'param w = 2 in [2, 4]\nstrategy "s" { if sma(A, w) > 2.4 { A } else { B } }';
    const e = run(src, m);
    expect(e.start).toBe(3);
    expect(e.startReason).toBe("the strategy's warm-up of 4 bars");
    // sma(A, 2) on days 3..5 = 3.5, 4.5, 5.5 → A.
    expect(weightsByDay(e)).toEqual([{ A: 1 }, { A: 1 }, { A: 1 }]);
    const e4 = run(src, m, { w: 4 });
    // sma(A, 4) on day 3 = 2.5 → A.
    expect(weightsByDay(e4)[0]).toEqual({ A: 1 });
  });
});
