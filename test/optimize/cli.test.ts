/** `strat optimize` as a user runs it: JSON shape, reproduction by `strat backtest`, storage and resume. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { makeFixture, type Fixture } from "./fixture.js";

let fx: Fixture;
const range = ["--from", "2018-01-02", "--to", "2021-12-31"];

beforeAll(async () => {
  fx = await makeFixture();
});

interface TrialJson {
  number: number;
  params: Record<string, number>;
  objective: number | null;
  feasible: boolean;
  metrics: Record<string, unknown>;
}

describe("strat optimize", () => {
  it("--json prints the study, and strat backtest --param reproduces any trial exactly", async () => {
    const out = join(fx.dir, "out");
    const run = await runCli("optimize", fx.file, "--data", fx.data, ...range, "--param", "n=[5,20]", "--objective", "cagr - 0.5 * maxDrawdown", "--no-store", "--json", "--out", out);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { study: null; objective: string; trials: TrialJson[]; best: TrialJson; overfitting: { trials: number; deflatedSharpe: { probability: number } } };
    expect(Object.keys(doc)).toEqual(["study", "strategy", "objective", "constraints", "search", "seed", "space", "trials", "best", "stopped", "overfitting", "walkForward"]);
    expect(doc.objective).toBe("cagr - 0.5 * maxDrawdown");
    expect(doc.trials).toHaveLength(6);
    expect(Object.keys(doc.trials[0]!)).toEqual(["number", "params", "objective", "feasible", "metrics"]);
    expect(doc.best.params.pick).toBe(2);
    expect(doc.overfitting.trials).toBe(6);
    for (const trial of [doc.best, doc.trials[0]!]) {
      const args = Object.entries(trial.params).flatMap(([k, v]) => ["--param", `${k}=${v}`]);
      const bt = await runCli("backtest", fx.file, "--data", fx.data, ...range, ...args, "--json");
      const metrics = (JSON.parse(bt.stdout) as { metrics: { cagr: number; maxDrawdown: number } }).metrics;
      expect(metrics).toEqual(trial.metrics);
      expect(metrics.cagr - 0.5 * metrics.maxDrawdown).toBeCloseTo(trial.objective!, 10);
    }
    // A metric objective reproduces to the last printed digit.
    const sharpe = JSON.parse((await runCli("optimize", fx.file, "--data", fx.data, ...range, "--search", "random", "--trials", "3", "--no-store", "--json")).stdout) as { trials: TrialJson[] };
    for (const trial of sharpe.trials) {
      const args = Object.entries(trial.params).flatMap(([k, v]) => ["--param", `${k}=${v}`]);
      const bt = JSON.parse((await runCli("backtest", fx.file, "--data", fx.data, ...range, ...args, "--json")).stdout) as { metrics: { sharpe: number } };
      expect(bt.metrics.sharpe).toBe(trial.objective);
    }
    for (const f of ["trials.csv", "study.json", "report.html"]) expect(existsSync(join(out, f))).toBe(true);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain("<svg");
    expect(html).not.toMatch(/<script/);
    expect(readFileSync(join(out, "trials.csv"), "utf8").split("\n")[0]).toBe("number,n,pick,objective,feasible,totalReturn,cagr,volatility,sharpe,sortino,calmar,maxDrawdown,turnover,trades,error");
  });

  it("stores every trial, and --resume continues without redoing done trials", async () => {
    const db = join(fx.dir, "db");
    const common = ["--data", fx.data, ...range, "--search", "random", "--seed", "5", "--db-dir", db, "--json"];
    const first = await runCli("optimize", fx.file, ...common, "--trials", "4");
    expect(first.code).toBe(0);
    const a = JSON.parse(first.stdout) as { study: number; trials: TrialJson[] };
    expect(a.study).toBeGreaterThan(0);
    expect(a.trials).toHaveLength(4);
    const resumed = await runCli("optimize", "--resume", String(a.study), "--trials", "9", "--db-dir", db, "--json");
    expect(resumed.code).toBe(0);
    const b = JSON.parse(resumed.stdout) as { study: number; trials: TrialJson[] };
    expect(b.study).toBe(a.study);
    expect(b.trials).toHaveLength(9);
    expect(b.trials.slice(0, 4)).toEqual(a.trials);
    expect(new Set(b.trials.map((t) => JSON.stringify(t.params))).size).toBe(9);
    // The same as an uninterrupted study.
    const whole = await runCli("optimize", fx.file, "--data", fx.data, ...range, "--search", "random", "--seed", "5", "--trials", "9", "--no-store", "--json");
    expect((JSON.parse(whole.stdout) as { trials: TrialJson[] }).trials.map((t) => t.params)).toEqual(b.trials.map((t) => t.params));
  });

  it("walks forward and reports out-of-sample metrics", async () => {
    const run = await runCli("optimize", fx.file, "--data", fx.data, ...range, "--objective", "cagr", "--walk-forward", "1y/6m", "--no-store", "--json");
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { walkForward: { windows: { trainTo: string; testFrom: string; params: { pick: number } }[]; metrics: { cagr: number } } };
    expect(doc.walkForward.windows.length).toBeGreaterThan(3);
    for (const w of doc.walkForward.windows) {
      expect(w.trainTo < w.testFrom).toBe(true);
      expect(w.params.pick).toBe(2);
    }
  });

  it("rejects bad input with usage errors", async () => {
    expect((await runCli("optimize", fx.file, "--queue")).stderr).toMatch(/--queue needs a Postgres server/);
    expect((await runCli("optimize", fx.file, "--data", fx.data, "--param", "nope=1..2 step 1", "--no-store")).code).toBe(2);
    expect((await runCli("optimize", fx.file, "--data", fx.data, "--objective", "cagr +", "--no-store")).code).toBe(2);
    expect((await runCli("optimize", fx.file, "--data", fx.data, "--search", "anneal", "--no-store")).code).toBe(2);
  });
});
