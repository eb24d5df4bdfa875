/** `strat check`, `count`, `fmt` and `convert` as a user runs them: output and exit codes. */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/lang/compile.js";
import { REPO } from "../helpers/host.js";
import { runCli } from "../helpers/run-cli.js";

const cwd = process.cwd();
beforeAll(() => process.chdir(REPO));
afterAll(() => process.chdir(cwd));

describe("strat check", () => {
  it("passes the bundled strategies and modules with a summary per file", async () => {
    const run = await runCli("check", "strategies/holy_grail.strat", "stdlib/hedges.strat");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      "strategies/holy_grail.strat: ok, 1 strategy, warm-up 200 bars, 5 tickers\n" + "stdlib/hedges.strat: ok, module (no strategies)\n",
    );
  });

  it("walks folders and checks Composer files too", async () => {
    const run = await runCli("check", "test/fixtures/corpus");
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n").filter(Boolean)).toHaveLength(10);
    expect(run.stdout).toContain("test/fixtures/corpus/holy_grail.clj: ok, 1 strategy, warm-up 200 bars, 6 tickers\n");
  });

  it("prints every error with its location and exits 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "strat-check-"));
    const file = join(dir, "bad.strat");
    writeFileSync(file, 'strategy "Bad" {\n  if cumulative_return(SPY, 5) < -6 { SHY }\n  else if rsi(SPY, 10) > 70 { foo }\n}\n');
    const run = await runCli("check", file);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        `${file}:2:34: error S2003: '<' compares a percent with the bare number -6`,
        " 2 |   if cumulative_return(SPY, 5) < -6 { SHY }",
        "   |                                  ^^",
        "   = hint: write -6%",
        `${file}:3:31: error S2001: unknown name 'foo'`,
        " 3 |   else if rsi(SPY, 10) > 70 { foo }",
        "   |                               ^^^",
        `${file}: 2 errors`,
        "",
      ].join("\n"),
    );
  });

  it("gives the same findings as JSON", async () => {
    const dir = mkdtempSync(join(tmpdir(), "strat-check-"));
    const file = join(dir, "bad.strat");
    writeFileSync(file, 'strategy "Bad" { if cumulative_return(SPY, 5) < -6 { SHY } }\n');
    const run = await runCli("check", "--json", file);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { files: { path: string; ok: boolean; diagnostics: unknown[] }[]; errors: number };
    expect(report.errors).toBe(1);
    expect(report.files[0]!.ok).toBe(false);
    expect(report.files[0]!.diagnostics).toEqual([
      {
        file,
        line: 1,
        column: 49,
        endLine: 1,
        endColumn: 51,
        severity: "error",
        code: "S2003",
        message: "'<' compares a percent with the bare number -6",
        hint: "write -6%",
        fix: { title: "write -6%", text: "%", line: 1, column: 51, endLine: 1, endColumn: 51 },
      },
    ]);
  });

  it("is a usage error (exit 2) for a missing path or an unknown option", async () => {
    const missing = await runCli("check", "no/such/file.strat");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("strat: no such file or folder: no/such/file.strat\n");
    const option = await runCli("check", "--bogus", "strategies");
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("error: unknown option '--bogus'");
  });
});

describe("strat count", () => {
  it("counts one file exactly, as JSON", async () => {
    const run = await runCli("count", "--json", "test/fixtures/corpus/holy_grail.clj");
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { files: Record<string, unknown>[]; total: Record<string, unknown> };
    const { compileMs, ...counts } = report.files[0]!;
    expect(typeof compileMs).toBe("number");
    expect(counts).toEqual({
      path: "test/fixtures/corpus/holy_grail.clj",
      strategies: 1,
      nodes: 13,
      nodesByKind: { asset: 7, equal: 0, weighted: 0, inverse_volatility: 0, filter: 1, group: 0, if: 5 },
      maxDepth: 6,
      tickers: 6,
      series: 7,
      params: 0,
      warmupBars: 200,
    });
    expect(report.total.nodes).toBe(13);
  });

  it("totals several files and prints a table", async () => {
    const run = await runCli("count", "strategies/holy_grail.strat", "test/fixtures/corpus/holy_grail.clj");
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^file\s+strategies\s+nodes\s+if\s+filter/);
    expect(lines[3]).toMatch(/^total\s+2\s+24\s+/);
  });
});

describe("strat fmt", () => {
  it("--check passes on the bundled files", async () => {
    const run = await runCli("fmt", "--check", "strategies", "stdlib");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("11 files are formatted\n");
  });

  it("--check lists an unformatted file and --write fixes it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "strat-fmt-"));
    const file = join(dir, "x.strat");
    writeFileSync(file, 'strategy "X" {   equal {SPY,TLT} }');
    const check = await runCli("fmt", "--check", file);
    expect(check.code).toBe(1);
    expect(check.stdout).toBe(`${file}: not formatted\n`);
    const write = await runCli("fmt", "--write", file);
    expect(write.code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe('strategy "X" {\n  equal { SPY, TLT }\n}\n');
  });

  it("refuses files with syntax errors and leaves them alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "strat-fmt-"));
    const file = join(dir, "x.strat");
    writeFileSync(file, 'strategy "X" { equal { SPY, }');
    const run = await runCli("fmt", "--write", file);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}: not formatted (syntax errors)`);
    expect(readFileSync(file, "utf8")).toBe('strategy "X" { equal { SPY, }');
  });
});

describe("strat convert", () => {
  it("writes idiomatic .strat with the same IR hash", async () => {
    const dir = mkdtempSync(join(tmpdir(), "strat-convert-"));
    copyFileSync("test/fixtures/corpus/tqqq_ftlt.clj", join(dir, "tqqq_ftlt.clj"));
    const target = join(dir, "tqqq_ftlt.strat");
    const run = await runCli("convert", join(dir, "tqqq_ftlt.clj"), "-o", target);
    expect(run.code).toBe(0);
    const clj = compile(readFileSync(join(dir, "tqqq_ftlt.clj"), "utf8"), { file: "a.clj" });
    const strat = compile(readFileSync(target, "utf8"), { file: "a.strat" });
    expect(strat.ir!.hash).toBe(clj.ir!.hash);
    expect(run.stdout).toBe(`${join(dir, "tqqq_ftlt.clj")} → ${target} (IR ${clj.ir!.hash.slice(0, 12)}, identical)\n`);
    expect(readFileSync(target, "utf8").startsWith('strategy "TQQQ For The Long Term V2 (242% RR/46.1% Max DD)" {\n  rebalance daily\n  if price(SPY) > sma(SPY, 200) {\n')).toBe(true);
  });

  it("rejects a file that is not Composer (exit 2)", async () => {
    const run = await runCli("convert", "strategies/holy_grail.strat");
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("strat: strategies/holy_grail.strat is not a Composer .clj file\n");
  });
});
