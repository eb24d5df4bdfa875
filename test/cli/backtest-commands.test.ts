/** `strat backtest`, `explain` and `indicator` as a user runs them. */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../helpers/host.js";
import { runCli } from "../helpers/run-cli.js";

const cwd = process.cwd();
beforeAll(() => process.chdir(REPO));
afterAll(() => process.chdir(cwd));

const golden = (name: string): Record<string, unknown>[] => JSON.parse(readFileSync(join(REPO, "test", "golden", "backtest", name), "utf8"));

describe("strat backtest", () => {
  it("--json prints the documented document, equal to the library's result", async () => {
    const run = await runCli("backtest", "strategies/holy_grail.strat", "--from", "2012-01-03", "--to", "2025-12-31", "--json");
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(["strategy", "irHash", "data", "params", "start", "end", "sessions", "warmupBars", "startReason", "metrics", "coverage", "warnings"]);
    expect(doc).toEqual(golden("strategy-holy_grail.json")[0]);
    expect(Object.keys(doc.metrics as object)).toEqual(expect.arrayContaining(["totalReturn", "cagr", "volatility", "sharpe", "sortino", "calmar", "maxDrawdown", "turnover", "trades"]));
  });

  it("--allocations adds the target of every session", async () => {
    const run = await runCli("backtest", "test/fixtures/corpus/holy_grail.clj", "--from", "2025-12-01", "--json", "--allocations");
    const doc = JSON.parse(run.stdout) as { allocations: { date: string; weights: Record<string, number> }[]; sessions: number };
    expect(doc.allocations).toHaveLength(doc.sessions);
    expect(doc.allocations[0]!.date).toBe("2025-12-01");
    for (const a of doc.allocations) expect(Object.values(a.weights).reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
  });

  it("prints a metrics table against the benchmark", async () => {
    const run = await runCli("backtest", "strategies/sixty_forty_trend.strat", "--from", "2012-01-03", "--to", "2025-12-31");
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe("60/40 Trend  2012-01-03 → 2025-12-31  (3520 sessions; starts after the requested start date)");
    expect(lines[3]).toMatch(/^\s+strategy\s+AOR$/);
    expect(lines.some((l) => /^max drawdown\s+12\.\d\d%$/.test(l))).toBe(true);
  });

  it("--out writes the result, three CSVs and a self-contained HTML report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "strat-out-"));
    const run = await runCli("backtest", "strategies/all_weather_inverse_vol.strat", "--out", dir);
    expect(run.code).toBe(0);
    for (const f of ["result.json", "equity.csv", "weights.csv", "trades.csv", "report.html"]) expect(existsSync(join(dir, f))).toBe(true);
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3)/);
    expect((html.match(/<svg /g) ?? []).length).toBe(3);
    const equity = readFileSync(join(dir, "equity.csv"), "utf8").split("\n");
    expect(equity[0]).toBe("date,equity,benchmark");
    const trades = readFileSync(join(dir, "trades.csv"), "utf8").split("\n");
    expect(trades[0]).toBe("date,symbol,side,qty,price,notional,fees,slippage");
    const result = JSON.parse(readFileSync(join(dir, "result.json"), "utf8")) as { metrics: { trades: number } };
    expect(trades.filter(Boolean)).toHaveLength(result.metrics.trades + 1);
  });

  it("reproduces a run with --param exactly, and rejects unknown params", async () => {
    const a = await runCli("backtest", "strategies/sixty_forty_trend.strat", "--param", "fast=30", "--param", "max_dd=7.5%", "--json");
    const doc = JSON.parse(a.stdout) as { params: Record<string, number> };
    expect(doc.params).toEqual({ fast: 30, max_dd: 0.075, slow: 200 });
    const b = await runCli("backtest", "strategies/sixty_forty_trend.strat", "--param", "fast=30", "--param", "max_dd=7.5%", "--json");
    expect(b.stdout).toBe(a.stdout);
    const bad = await runCli("backtest", "strategies/sixty_forty_trend.strat", "--param", "fastt=30");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("strat: unknown param 'fastt'; the params are fast, max_dd, slow\n");
  });

  it("explains user mistakes with exit codes and no stack trace", async () => {
    const many = await runCli("backtest", "strategies/core_portfolio.strat");
    expect(many.code).toBe(1);
    expect(many.stderr).toBe(
      'strat: the file has 4 strategies ("Permanent Portfolio", "Quality Compounders", "Core Portfolio", "Core + Satellite"): choose one with --strategy\n',
    );
    const date = await runCli("backtest", "strategies/holy_grail.strat", "--from", "2024-02-30");
    expect([date.code, date.stderr]).toEqual([2, "strat: --from takes a date as YYYY-MM-DD, not '2024-02-30'\n"]);
    const data = await runCli("backtest", "strategies/holy_grail.strat", "--data", "yahoo");
    expect(data.code).toBe(2);
    expect(data.stderr).toContain("unknown --data 'yahoo'");
    const csv = await runCli("backtest", "strategies/holy_grail.strat", "--data", "csv:test");
    expect(csv.code).toBe(1);
    expect(csv.stderr).toBe("strat: test/BSV.csv: BSV: no such file (the folder has no .csv files)\n");
  });
});

describe("strat explain", () => {
  it("shows the taken path with indicator values", async () => {
    const run = await runCli("explain", "strategies/holy_grail.strat", "--date", "2024-03-15");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        "The Holy Grail on 2024-03-15 → TECL 100%",
        "└─ if price(TQQQ) > sma(TQQQ, 200)  [price(TQQQ) = 30.8454, sma(TQQQ, 200) = 40.4376] → false, else  (strategies/holy_grail.strat:11)",
        "   └─ if rsi(TQQQ, 10) < 31  [rsi(TQQQ, 10) = 24.3473] → true  (strategies/holy_grail.strat:13)",
        "      └─ TECL 100%  (strategies/holy_grail.strat:14)",
        "",
      ].join("\n"),
    );
  });

  it("agrees with the backtest's allocation that day, as JSON", async () => {
    const explained = JSON.parse((await runCli("explain", "test/fixtures/corpus/hedged_sector_rotator.clj", "--date", "2024-03-15", "--json")).stdout) as { weights: Record<string, number> };
    const backtested = JSON.parse((await runCli("backtest", "test/fixtures/corpus/hedged_sector_rotator.clj", "--from", "2024-03-15", "--to", "2024-03-15", "--json", "--allocations")).stdout) as {
      allocations: { weights: Record<string, number> }[];
    };
    const round = (w: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(w).map(([k, v]) => [k, Number(v.toPrecision(12))]).sort());
    expect(round(explained.weights)).toEqual(round(backtested.allocations[0]!.weights));
  });

  it("refuses a date that is not a session", async () => {
    const run = await runCli("explain", "strategies/holy_grail.strat", "--date", "2024-03-16");
    expect([run.code, run.stderr]).toEqual([2, "strat: 2024-03-16 is not a session in the data; the session before it is 2024-03-15\n"]);
  });
});

describe("strat indicator", () => {
  it("prints the daily series with null while undefined", async () => {
    const run = await runCli("indicator", "sma", "SPY", "--window", "3", "--json");
    const rows = JSON.parse(run.stdout) as { date: string; value: number | null }[];
    expect(rows.slice(0, 3).map((r) => r.value === null)).toEqual([true, true, false]);
    expect(rows[0]!.date).toBe("2010-01-04");
    const closes = JSON.parse((await runCli("indicator", "price", "SPY", "--json")).stdout) as { value: number }[];
    expect(rows[2]!.value).toBeCloseTo((closes[0]!.value + closes[1]!.value + closes[2]!.value) / 3, 10);
  });

  it("checks the name and the window", async () => {
    const typo = await runCli("indicator", "smaa", "SPY", "--window", "3");
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("unknown indicator 'smaa'; did you mean 'sma'?");
    const noWindow = await runCli("indicator", "rsi", "SPY");
    expect([noWindow.code, noWindow.stderr]).toEqual([2, "strat: rsi needs --window\n"]);
  });
});
