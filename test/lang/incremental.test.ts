/**
 * The editor's incremental checks (src/lang/incremental) against a fresh `compile` of the same
 * text: identical diagnostics (codes, messages, spans, hints, fixes, order), AST, strategy
 * tickers and editor symbols, on every strategy and golden case, a generated file, and random
 * sequences of edits applied to real files.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { symbolsOf } from "../../editor/src/worker/symbols.js";
import { generateStrat } from "../../bench/generate.js";
import { compile } from "../../src/lang/compile.js";
import { CompileSession } from "../../src/lang/incremental/index.js";
import type { CompileHost } from "../../src/lang/module.js";
import { REPO, testHost } from "../helpers/host.js";

interface Source {
  file: string;
  text: string;
  host: CompileHost | undefined;
}

const host = testHost();
const STRATEGIES: Source[] = readdirSync(join(REPO, "strategies"))
  .filter((f) => f.endsWith(".strat"))
  .sort()
  .map((f) => ({ file: `strategies/${f}`, text: readFileSync(join(REPO, "strategies", f), "utf8"), host }));
const CASES_DIR = resolve(import.meta.dirname, "cases");
const CASES: Source[] = readdirSync(CASES_DIR)
  .filter((f) => /\.(strat|clj)$/.test(f))
  .sort()
  .map((f) => ({ file: f, text: readFileSync(join(CASES_DIR, f), "utf8"), host: undefined }));

/** Asserts the session's check of `text` equals a fresh compile's, field by field. */
function expectSame(session: CompileSession, source: Source, text: string): void {
  const got = session.update(text);
  const want = compile(text, { file: source.file, host: source.host });
  expect(got.diagnostics).toStrictEqual(want.diagnostics);
  expect(got.program).toStrictEqual(want.program);
  expect(got.strategies).toStrictEqual(want.strategies.map((s) => ({ kind: s.kind, name: s.name, tickers: s.tickers })));
  expect(symbolsOf(got, text, source.host)).toStrictEqual(symbolsOf(want, text, source.host));
}

describe("CompileSession equals compile", () => {
  it.each([...STRATEGIES, ...CASES].map((s) => [s.file, s] as const))("on %s, first and again unchanged", (_name, source) => {
    const session = new CompileSession({ file: source.file, host: source.host });
    expectSame(session, source, source.text);
    expectSame(session, source, source.text);
    // Only past the nesting limit does a `.strat` file go through compile itself.
    if (source.file.endsWith(".strat")) expect(session.stats.incremental).toBe(!source.file.includes("nesting-too-deep"));
  });

  it("reuses every unchanged declaration and strategy after an edit in one strategy", () => {
    const source: Source = { file: "generated.strat", text: generateStrat(40 * 1024), host: undefined };
    const session = new CompileSession({ file: source.file });
    expectSame(session, source, source.text);
    const strategies = session.stats.strategiesElaborated;
    expect(strategies).toBeGreaterThan(10);
    // A space at the end of a line in the middle of the file: one unit reparsed, one strategy elaborated.
    const at = source.text.indexOf("\n", source.text.length / 2);
    const edited = `${source.text.slice(0, at)} ${source.text.slice(at)}`;
    expectSame(session, source, edited);
    expect(session.stats).toStrictEqual({ incremental: true, unitsParsed: 1, strategiesElaborated: 1, strategiesReused: strategies - 1 });
    // A line inserted above everything moves every later unit: still nothing else is redone.
    expectSame(session, source, `// a comment\n${edited}`);
    expect(session.stats.unitsParsed).toBe(1);
    expect(session.stats.strategiesElaborated).toBe(0);
    // A let being typed at the top is broken for a while; strategies that do not name it stay.
    // (Before its `=`, the parser's recovery takes the next declaration, `param fast`, with it:
    // then the strategies reading `fast` really change.)
    for (const typed of ["let x =", "let x = 1", "let x = rsi(", "let x = rsi(SPY, 3) >"]) {
      expectSame(session, source, `${typed}\n${edited}`);
      expect(session.stats.strategiesElaborated).toBe(0);
    }
  });

  it("follows an unclosed brace in a generated file exactly, and recovers when it is closed", () => {
    const source: Source = { file: "generated.strat", text: generateStrat(20 * 1024), host: undefined };
    const session = new CompileSession({ file: source.file });
    expectSame(session, source, source.text);
    const broken = source.text.replace('strategy "Generated 3" {', 'strategy "Generated 3" {{');
    expect(compile(broken, { file: source.file }).diagnostics.map((d) => d.code)).toContain("S1002");
    expectSame(session, source, broken);
    expect(session.stats).toMatchObject({ incremental: true, strategiesElaborated: 1 });
    expectSame(session, source, source.text);
    expect(session.stats.unitsParsed).toBe(0);
  });

  it("replays strategies that read imports, and elaborates again those that include files or other strategies", () => {
    const dip = STRATEGIES.find((s) => s.file.endsWith("rsi_dip_buyer.strat"))!;
    const session = new CompileSession({ file: dip.file, host });
    expectSame(session, dip, dip.text);
    expectSame(session, dip, `// edited\n${dip.text}`);
    expect(session.stats).toMatchObject({ strategiesElaborated: 0, strategiesReused: 1 });

    const core = STRATEGIES.find((s) => s.file.endsWith("core_portfolio.strat"))!;
    const portfolios = new CompileSession({ file: core.file, host });
    expectSame(portfolios, core, core.text);
    expectSame(portfolios, core, `// edited\n${core.text}`);
    // Two plain strategies replayed; both portfolios (`use`, and a strategy by name) elaborated.
    expect(portfolios.stats).toMatchObject({ strategiesElaborated: 2, strategiesReused: 2 });
  });

  it("reports a let's error once per file and relocates it when lines are inserted above", () => {
    const text = 'let weak = rsi(SPY, 2) < 30%\nparam n = 5 in 10..20\nstrategy "A" {\n  if weak { BIL } else { SPY }\n}\nstrategy "B" {\n  if weak and rsi(QQQ, n) > 1 { BIL } else { SPY }\n}\n';
    const source: Source = { file: "t.strat", text, host: undefined };
    const session = new CompileSession({ file: "t.strat" });
    expectSame(session, source, text);
    const codes = session.update(text).diagnostics.map((d) => d.code);
    expect(codes).toStrictEqual(["S2004", "S2020"]);
    expectSame(session, source, `\n\n${text}`);
    expect(session.stats.strategiesReused).toBe(2);
    expectSame(session, source, text.replace('strategy "B"', '// B\nstrategy "B"'));
  });
});

/** One random edit; positions are fractions of the text, so any edit applies to any text. */
type Edit =
  | { kind: "insert"; at: number; what: string }
  | { kind: "delete"; at: number; length: number }
  | { kind: "deleteLine"; at: number }
  | { kind: "duplicateStrategy"; at: number }
  | { kind: "breakBrace"; at: number }
  | { kind: "rename"; at: number; name: string };

const FRAGMENTS = ["x", " ", "\n", "{", "}", "(", ")", '"', "%", ",", "-", "1", "5%", "SPY", "weak", "let ", "param ", "strategy ", "if ", "else ", "/*", "*/", "//", "\\", "\r\n", 'strategy "Z" {\n  SPY\n}\n', "let q = rsi(SPY, 2) > 3\n", "equal { SPY, BIL }", "not -", "import \"x.strat\" as x\n",
  "let weak = equal { SPY }\n", "param n = 5 in 1..3\n", "param n = 2\n", '"Core Portfolio"', 'use "strategies/tqqq_long_term.strat"', "hedges.", 'import "stdlib/hedges.strat" as hedges\n', "top 1 by rsi(n) { SPY, QQQ }"];

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), what: fc.constantFrom(...FRAGMENTS) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant("deleteLine" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant("duplicateStrategy" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant("breakBrace" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant("rename" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), name: fc.constantFrom("A", "Core", "60/40 Trend", "x") }),
);

const pick = <T>(items: T[], at: number): T | undefined => items[Math.min(items.length - 1, Math.floor(at * items.length))];

function apply(text: string, e: Edit): string {
  const at = Math.min(text.length, Math.floor(e.at * (text.length + 1)));
  switch (e.kind) {
    case "insert":
      return text.slice(0, at) + e.what + text.slice(at);
    case "delete":
      return text.slice(0, at) + text.slice(at + e.length);
    case "deleteLine": {
      const start = text.lastIndexOf("\n", at - 1) + 1;
      const end = text.indexOf("\n", at);
      return text.slice(0, start) + (end === -1 ? "" : text.slice(end + 1));
    }
    case "duplicateStrategy": {
      const starts = [...text.matchAll(/^(?:strategy|portfolio) /gm)].map((m) => m.index);
      const start = pick(starts, e.at);
      if (start === undefined) return text;
      const close = text.indexOf("\n}", start);
      const end = close === -1 ? text.length : close + 2;
      return `${text.slice(0, end)}\n${text.slice(start, end)}${text.slice(end)}`;
    }
    case "breakBrace": {
      const braces = [...text.matchAll(/[{}]/g)].map((m) => m.index);
      const brace = pick(braces, e.at);
      return brace === undefined ? text : text.slice(0, brace) + text.slice(brace + 1);
    }
    case "rename": {
      const names = [...text.matchAll(/^(?:strategy|portfolio) "([^"\n]*)"/gm)].map((m) => ({ at: m.index + m[0].indexOf('"') + 1, length: m[1]!.length }));
      const name = pick(names, e.at);
      return name === undefined ? text : text.slice(0, name.at) + e.name + text.slice(name.at + name.length);
    }
  }
}

describe("CompileSession equals compile after random edits", () => {
  const sources = [...STRATEGIES, ...CASES.filter((c) => c.file.endsWith(".strat"))];
  it("on real files, after every edit of a sequence", () => {
    fc.assert(
      fc.property(fc.constantFrom(...sources), fc.array(edit, { minLength: 1, maxLength: 8 }), (source, edits) => {
        const session = new CompileSession({ file: source.file, host: source.host });
        let text = source.text;
        expectSame(session, source, text);
        for (const e of edits) {
          text = apply(text, e);
          expectSame(session, source, text);
        }
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it("on a generated file with many strategies", () => {
    const source: Source = { file: "generated.strat", text: generateStrat(12 * 1024, 7), host: undefined };
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        const session = new CompileSession({ file: source.file });
        let text = source.text;
        expectSame(session, source, text);
        for (const e of edits) {
          text = apply(text, e);
          expectSame(session, source, text);
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
