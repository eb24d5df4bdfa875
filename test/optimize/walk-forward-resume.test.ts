/**
 * Walk-forward resume at the library level: a run stopped mid-window keeps its finished
 * windows, and a run given each window's stored trials re-runs only the missing ones and
 * equals the uninterrupted result exactly.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadStrategyBars, pickStrategy } from "../../src/backtest/run.js";
import { compileOrFail } from "../../src/cli/compile-or-fail.js";
import { CsvBarSource } from "../../src/data/csv.js";
import { BacktestEvaluator, type StudyContext } from "../../src/optimize/backtest-evaluator.js";
import { makeScoring } from "../../src/optimize/objective.js";
import { makeSampler } from "../../src/optimize/samplers.js";
import { buildSpace, type Dimension } from "../../src/optimize/space.js";
import type { Trial, TrialEvaluator } from "../../src/optimize/trial.js";
import { runWalkForward, walkForwardWindows, type WalkForwardOptions, type WalkWindow } from "../../src/optimize/walk-forward.js";
import { makeFixture } from "./fixture.js";

const range = { from: "2018-01-02", to: "2021-12-31" };
let context: StudyContext;
let space: Dimension[];
let windows: WalkWindow[];

beforeAll(async () => {
  const fx = await makeFixture();
  const program = compileOrFail(fx.file);
  const strategy = pickStrategy(program, undefined);
  const { bars, benchmark } = await loadStrategyBars(strategy, new CsvBarSource(fx.data.slice(4)), range.to);
  context = { program, strategy: strategy.name, bars, benchmark, options: { ...range } };
  // 3 x 12 points; 9 trials per window = a batch of 8 and a batch of 1.
  space = buildSpace(program.params, { n: "5..60 step 5" });
  const dates = [...bars.bars.get("UP")!.dates].filter((d) => d >= range.from && d <= range.to);
  windows = walkForwardWindows(dates, 0, 252, 126);
});

/** An evaluator that counts calls and points, and can request a stop at the `stopAt`-th call. */
function counting(stopAt = Infinity): { evaluator: TrialEvaluator; calls: number; points: number; stop: boolean } {
  const inner = new BacktestEvaluator(context);
  const state = {
    calls: 0,
    points: 0,
    stop: false,
    evaluator: {
      async run(points, window) {
        state.calls++;
        state.points += points.length;
        if (state.calls === stopAt) state.stop = true; // like Ctrl+C while this batch runs
        return inner.run(points, window);
      },
      async close() {},
    } as TrialEvaluator,
  };
  return state;
}

/** Runs the walk-forward with stored trials per window in `store` (read and appended). */
function run(store: Map<number, Trial[]>, state: ReturnType<typeof counting>, stopNow = false): ReturnType<typeof runWalkForward> {
  const local = new BacktestEvaluator(context);
  const options: WalkForwardOptions = {
    windows,
    sampler: () => makeSampler("random", space, 11),
    evaluator: state.evaluator,
    scoring: makeScoring("cagr - maxDrawdown"),
    budget: 9,
    backtest: (p, w) => local.backtest(p, w),
    shouldStop: () => stopNow || state.stop,
    prepareWindow: (index) => ({
      previous: store.get(index) ?? [],
      onTrials: (batch) => void store.set(index, [...(store.get(index) ?? []), ...batch]),
    }),
  };
  return runWalkForward(options);
}

describe("walk-forward resume", () => {
  it("keeps finished windows on a stop and resumes to the uninterrupted result", async () => {
    expect(windows.length).toBeGreaterThanOrEqual(5);
    const whole = await run(new Map(), counting());
    expect(whole.stopped).toBe(false);
    expect(whole.windows).toHaveLength(windows.length);

    // Stop during the 5th call: window 0 (calls 1-2) and 1 (3-4) finish, window 2 has 8 of 9 trials.
    const store = new Map<number, Trial[]>();
    const first = counting(5);
    const stopped = await run(store, first);
    expect(stopped.stopped).toBe(true);
    expect(stopped.windows).toEqual(whole.windows.slice(0, 2));
    expect([0, 1, 2, 3].map((i) => store.get(i)?.length ?? 0)).toEqual([9, 9, 8, 0]);

    // A stop requested before anything runs still reports the stored finished windows.
    const idle = counting();
    const kept = await run(store, idle, true);
    expect(kept).toMatchObject({ stopped: true, windows: whole.windows.slice(0, 2) });
    expect(idle.calls).toBe(0);

    // Resumed: window 2's last trial, then 9 per remaining window; the rest is as uninterrupted.
    const second = counting();
    const resumed = await run(store, second);
    expect(second.points).toBe(1 + 9 * (windows.length - 3));
    expect(resumed).toEqual(whole);
    for (let i = 0; i < windows.length; i++) expect(store.get(i)!.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
