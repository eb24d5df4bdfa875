/**
 * Property tests: the lexer, parser, checker, formatter and Composer reader never throw on
 * arbitrary text or on random mutations of real files, and always answer with located
 * diagnostics.
 */
import { readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/lang/compile.js";
import { formatStrat } from "../../src/lang/format/index.js";
import { stratLexer } from "../../src/lang/tokens.js";

const ROOT = resolve(import.meta.dirname, "..", "..");
const CORPUS = resolve(ROOT, "test", "fixtures", "corpus");
const SMALL_CLJ = readdirSync(CORPUS)
  .filter((f) => f.endsWith(".clj"))
  .map((f) => readFileSync(resolve(CORPUS, f), "utf8"))
  .filter((text) => text.length < 30_000);
const STRATEGIES = readdirSync(resolve(ROOT, "strategies")).map((f) => readFileSync(resolve(ROOT, "strategies", f), "utf8"));

/** Text made of the language's own pieces, so the parser gets deep into its rules. */
const stratish = fc
  .array(
    fc.constantFrom(
      "strategy", "portfolio", '"s"', "{", "}", "(", ")", "[", "]", ",", "if", "else", "equal", "weighted", "top", "bottom", "by",
      "group", "use", "let", "param", "import", "as", "in", "..", "step", "rsi", "sma", "price", "SPY", "QQQ", "x", "=", ">", "<",
      ">=", "and", "or", "not", "-", "+", "*", "/", "10", "5%", "0.5", "rebalance", "threshold", "daily", "warmup", "trade", "at",
      "15:50", "benchmark", "inverse_volatility", "\n", " ", "// c\n", "/* c */", '"BRK.B"', "true", "%", "@", '"open',
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(" "));

/** A random edit of a real file: delete, duplicate or insert a slice. */
function mutated(sources: string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...sources), fc.nat(), fc.nat({ max: 40 }), fc.constantFrom("delete", "duplicate", "insert"), fc.string({ maxLength: 8 }))
    .map(([text, at, length, op, insert]) => {
      const i = at % (text.length + 1);
      if (op === "delete") return text.slice(0, i) + text.slice(i + length);
      if (op === "duplicate") return text.slice(0, i) + text.slice(i, i + length) + text.slice(i);
      return text.slice(0, i) + insert + text.slice(i);
    });
}

function assertWellFormed(text: string, file: string): void {
  const result = compile(text, { file });
  for (const d of result.diagnostics) {
    expect(d.code).toMatch(/^S[123]\d{3}$/);
    expect(d.span.line).toBeGreaterThanOrEqual(1);
    expect(d.span.col).toBeGreaterThanOrEqual(1);
    expect(d.span.end).toBeGreaterThanOrEqual(d.span.start);
  }
  if (result.ir === null) expect(result.diagnostics.some((d) => d.severity === "error")).toBe(true);
}

describe("never throws", () => {
  it("lexes arbitrary unicode text", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (text) => {
      const lexed = stratLexer.tokenize(text);
      expect(lexed.tokens.length + lexed.errors.length).toBeGreaterThanOrEqual(0);
    }), { numRuns: 300 });
  });

  it("compiles arbitrary text as .strat and as Composer", () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => {
      assertWellFormed(text, "random.strat");
      assertWellFormed(text, "random.clj");
    }), { numRuns: 300 });
  });

  it("compiles token soup built from the language's own words", () => {
    fc.assert(fc.property(stratish, (text) => {
      assertWellFormed(text, "soup.strat");
      const formatted = formatStrat(text);
      if (formatted.text !== null) expect(formatStrat(formatted.text).text).toBe(formatted.text);
    }), { numRuns: 400 });
  });

  it("compiles random mutations of the corpus symphonies", () => {
    fc.assert(fc.property(mutated(SMALL_CLJ), (text) => assertWellFormed(text, "mutant.clj")), { numRuns: 200 });
  });

  it("compiles random mutations of the bundled strategies, and formats them idempotently", () => {
    fc.assert(fc.property(mutated(STRATEGIES), (text) => {
      assertWellFormed(text, "mutant.strat");
      const formatted = formatStrat(text);
      if (formatted.text !== null) expect(formatStrat(formatted.text).text).toBe(formatted.text);
    }), { numRuns: 200 });
  });
});

describe("limits", () => {
  it("reports 100,000 levels of nesting as S1006 instead of overflowing the stack", () => {
    const strat = `strategy "deep" { ${"if x > 1 { ".repeat(100_000)}A${" }".repeat(100_000)} }`;
    const a = compile(strat, { file: "deep.strat" });
    expect(a.diagnostics.map((d) => [d.code, d.span.line])).toEqual([["S1006", 1]]);
    const parens = `strategy "p" { if ${"(".repeat(100_000)}1${")".repeat(100_000)} > 0 { A } }`;
    expect(compile(parens, { file: "p.strat" }).diagnostics.map((d) => d.code)).toEqual(["S1006"]);
    const negations = `strategy "n" { if ${"not ".repeat(100_000)}true { A } }`;
    expect(compile(negations, { file: "n.strat" }).diagnostics.map((d) => d.code)).toEqual(["S1006"]);
    const clj = `(defsymphony "d" {} ${"(weight-equal [".repeat(100_000)}${"])".repeat(100_000)})`;
    expect(compile(clj, { file: "deep.clj" }).diagnostics.map((d) => d.code)).toEqual(["S1006"]);
  });

  it("reports an else-if chain longer than the tree limit as S1006", () => {
    const chain = `strategy "c" {\n  if rsi(SPY, 2) > 1 { A }${" else if rsi(SPY, 2) > 1 { A }".repeat(1200)}\n}`;
    const result = compile(chain, { file: "chain.strat" });
    expect(result.ir).toBeNull();
    expect(result.diagnostics.map((d) => d.code)).toEqual(["S1006"]);
  });

  it("rejects a source over the size limit with S1007 without parsing it", () => {
    const huge = " ".repeat(64 * 1024 * 1024 + 1);
    const result = compile(huge, { file: "huge.strat" });
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([["S1007", "file is 67,108,865 bytes; the limit is 67,108,864 (64 MB)"]]);
  });

  it("reports lets that expand exponentially as S3011", () => {
    const lines = ["let l0 = equal { SPY, QQQ }"];
    for (let i = 1; i <= 30; i++) lines.push(`let l${i} = equal { l${i - 1}, l${i - 1} }`);
    lines.push('strategy "boom" { l30 }');
    const result = compile(lines.join("\n"), { file: "boom.strat" });
    expect(result.diagnostics.map((d) => d.code)).toContain("S3011");
    expect(result.ir).toBeNull();
  });
});
