/** Rebalance rules of SEMANTICS.md §4. */
import { describe, expect, it } from "vitest";
import { isoWeek, shouldRebalance } from "../../src/trading/rebalance.js";

const state = (current: [string, number][], targets: [string, number][]) => ({ current: new Map(current), targets: new Map(targets) });
const same = state([["SPY", 0.5], ["TLT", 0.5]], [["SPY", 0.5], ["TLT", 0.5]]);

describe("isoWeek", () => {
  it("numbers weeks the ISO way, across year ends", () => {
    expect(isoWeek("2024-01-01")).toBe("2024-W01");
    expect(isoWeek("2024-12-30")).toBe("2025-W01");
    expect(isoWeek("2021-01-03")).toBe("2020-W53");
    expect(isoWeek("2026-11-20")).toBe("2026-W47");
  });
});

describe("shouldRebalance", () => {
  it("always trades on the first session", () => {
    expect(shouldRebalance({ mode: "monthly" }, "2024-01-17", null, same)).toBe(true);
  });

  it("trades daily, or on the first session of a new week, month, quarter or year", () => {
    expect(shouldRebalance({ mode: "daily" }, "2024-01-17", "2024-01-16", same)).toBe(true);
    expect(shouldRebalance({ mode: "weekly" }, "2024-01-22", "2024-01-19", same)).toBe(true);
    expect(shouldRebalance({ mode: "weekly" }, "2024-01-19", "2024-01-18", same)).toBe(false);
    expect(shouldRebalance({ mode: "monthly" }, "2024-02-01", "2024-01-31", same)).toBe(true);
    expect(shouldRebalance({ mode: "monthly" }, "2024-01-31", "2024-01-30", same)).toBe(false);
    expect(shouldRebalance({ mode: "quarterly" }, "2024-04-01", "2024-03-28", same)).toBe(true);
    expect(shouldRebalance({ mode: "quarterly" }, "2024-03-01", "2024-02-29", same)).toBe(false);
    expect(shouldRebalance({ mode: "yearly" }, "2024-01-02", "2023-12-29", same)).toBe(true);
    expect(shouldRebalance({ mode: "yearly" }, "2024-07-01", "2024-06-28", same)).toBe(false);
  });

  it("trades a threshold corridor when a weight drifts more than X points, or the ticker set changes", () => {
    const rule = { mode: "threshold", threshold: 0.05 } as const;
    expect(shouldRebalance(rule, "2024-01-03", "2024-01-02", state([["SPY", 0.549], ["TLT", 0.451]], [["SPY", 0.5], ["TLT", 0.5]]))).toBe(false);
    expect(shouldRebalance(rule, "2024-01-03", "2024-01-02", state([["SPY", 0.551], ["TLT", 0.449]], [["SPY", 0.5], ["TLT", 0.5]]))).toBe(true);
    expect(shouldRebalance(rule, "2024-01-03", "2024-01-02", state([["SPY", 0.5], ["TLT", 0.5]], [["SPY", 0.5], ["IEF", 0.5]]))).toBe(true);
  });

  it("trades `none` only when the ticker set changes", () => {
    expect(shouldRebalance({ mode: "none" }, "2024-01-03", "2024-01-02", state([["SPY", 0.9], ["TLT", 0.1]], [["SPY", 0.5], ["TLT", 0.5]]))).toBe(false);
    expect(shouldRebalance({ mode: "none" }, "2024-01-03", "2024-01-02", state([["SPY", 1]], [["TLT", 1]]))).toBe(true);
  });
});
