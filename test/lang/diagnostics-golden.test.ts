/**
 * Golden diagnostics: every broken input in test/lang/cases (`NNN-name.strat` or `.clj`) is
 * compiled and its rendered diagnostics are compared with `NNN-name.expected`, exactly: file,
 * line, column, caret width, message and hint. Each golden was read by a person once, so a
 * change here is a change in what users see; regenerate with
 * `npx tsx test/lang/update-goldens.mts --write` and read the diff.
 *
 * Together the cases cover every catalogue code one file can trigger; the few that need more
 * than a golden (a 64 MB input, an imported module, a known location problem) are checked below
 * without one.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/lang/compile.js";
import { CATALOGUE, hasErrors } from "../../src/lang/diagnostics.js";
import { MAX_IR_NODES, MAX_SOURCE_LENGTH } from "../../src/lang/limits.js";
import type { CompileHost } from "../../src/lang/module.js";
import { renderDiagnostic } from "../../src/lang/render.js";

const CASES = resolve(import.meta.dirname, "cases");
const FILES = readdirSync(CASES).sort();
const INPUTS = FILES.filter((f) => /\.(strat|clj)$/.test(f));

/** The codes the goldens cover, each seen in at least one case. */
const COVERED = [
  "S1001", "S1002", "S1003", "S1004", "S1005", "S1006", "S1008", "S1009", "S1010",
  "S1101", "S1102", "S1103", "S1104", "S1105", "S1106", "S1107",
  "S2001", "S2002", "S2003", "S2004", "S2005", "S2006", "S2007", "S2008", "S2009", "S2010",
  "S2011", "S2013", "S2014", "S2015", "S2016", "S2017", "S2018", "S2019", "S2020", "S2021",
  "S2022", "S2024", "S2901",
  "S3001", "S3002", "S3003", "S3004", "S3005", "S3006", "S3007", "S3008", "S3009", "S3013",
  "S3014",
];

/** Codes checked below without a golden. */
const CHECKED_WITHOUT_GOLDEN = [
  "S1007", // needs an input over 64 MB: generated in memory
  "S2012", // needs an imported module that loads: an in-memory host
  "S2023", // an allocation let used in an expression: located at the use
  "S3011", // needs an expansion past the node limit: generated in memory
];

/** Codes in the catalogue that nothing in the compiler reports. */
const NEVER_REPORTED: string[] = [];

function stripExtension(name: string): string {
  return name.replace(/\.(strat|clj)$/, "");
}

function render(name: string, text: string): { rendered: string; result: ReturnType<typeof compile> } {
  const result = compile(text, { file: name });
  const rendered = `${result.diagnostics.map((d) => renderDiagnostic(d, result.lines)).join("\n")}\n`;
  return { rendered, result };
}

describe("golden diagnostics: the cases folder", () => {
  it("holds at least 45 inputs, each with its golden and a first line saying what it tests", () => {
    expect(INPUTS.length).toBeGreaterThanOrEqual(45);
    for (const input of INPUTS) {
      expect(FILES, `${input} has no .expected`).toContain(`${stripExtension(input)}.expected`);
      const first = readFileSync(join(CASES, input), "utf8").split("\n")[0]!;
      expect(first, `${input} starts with a comment`).toMatch(input.endsWith(".clj") ? /^;/ : /^(\/\/|\/\*)/);
    }
    const orphans = FILES.filter((f) => f.endsWith(".expected") && !INPUTS.some((i) => stripExtension(i) === f.replace(/\.expected$/, "")));
    expect(orphans).toEqual([]);
  });

  it("numbers the cases uniquely", () => {
    const numbers = INPUTS.map((f) => f.slice(0, 3));
    expect(numbers.every((n) => /^\d{3}$/.test(n))).toBe(true);
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});

describe.each(INPUTS)("golden diagnostics: %s", (input) => {
  const text = readFileSync(join(CASES, input), "utf8");
  const expected = readFileSync(join(CASES, `${stripExtension(input)}.expected`), "utf8");

  it("compiles without throwing", () => {
    expect(() => compile(text, { file: input })).not.toThrow();
  });

  it("renders exactly the golden", () => {
    expect(render(input, text).rendered).toBe(expected);
  });

  it("reports at least one error or warning, and builds IR only without errors", () => {
    const { result } = render(input, text);
    expect(result.diagnostics.length).toBeGreaterThan(0);
    for (const d of result.diagnostics) expect(["error", "warning"]).toContain(d.severity);
    expect(result.ir === null).toBe(hasErrors(result.diagnostics));
  });
});

describe("golden diagnostics: coverage", () => {
  it("covers exactly the claimed codes across all cases", () => {
    const seen = new Set<string>();
    for (const input of INPUTS) {
      const { result } = render(input, readFileSync(join(CASES, input), "utf8"));
      for (const d of result.diagnostics) seen.add(d.code);
    }
    expect([...seen].sort()).toEqual([...COVERED].sort());
  });

  it("accounts for every code of the catalogue", () => {
    const all = Object.values(CATALOGUE).map((e) => e.code).sort();
    const accounted = [...COVERED, ...CHECKED_WITHOUT_GOLDEN, ...NEVER_REPORTED].sort();
    expect(accounted).toEqual(all);
  });
});

describe("diagnostics checked without a golden", () => {
  it("S1007: a file over the size limit, in both languages, without reading it", () => {
    const huge = "x".repeat(MAX_SOURCE_LENGTH + 1);
    for (const file of ["huge.strat", "huge.clj"]) {
      const result = compile(huge, { file });
      expect(result.diagnostics.map((d) => d.code)).toEqual(["S1007"]);
      expect(result.diagnostics[0]!.message).toBe("file is 67,108,865 bytes; the limit is 67,108,864 (64 MB)");
      expect(result.ir).toBeNull();
    }
  });

  it("S2012: a name the imported module does not define, and a member of a member", () => {
    const host: CompileHost = {
      readFile: (path) => (path === "hedges.strat" ? { file: "hedges.strat", text: "let vix_pop = equal { UVXY, BIL }\n" } : null),
    };
    const source = [
      '// S2012: hedges.strat defines only vix_pop',
      'import "hedges.strat" as hedges',
      'strategy "Hedged" {',
      "  if rsi(SPY, 10) > 79 { hedges.vix_popp } else { hedges.vix_pop.x }",
      "}",
      "",
    ].join("\n");
    const result = compile(source, { file: "hedged.strat", host });
    const rendered = result.diagnostics.map((d) => renderDiagnostic(d, result.lines)).join("\n");
    expect(rendered).toBe(
      [
        "hedged.strat:4:33: error S2012: 'hedges.strat' has no let named 'vix_popp'; did you mean 'vix_pop'?",
        " 4 |   if rsi(SPY, 10) > 79 { hedges.vix_popp } else { hedges.vix_pop.x }",
        "   |                                 ^^^^^^^^",
        "hedged.strat:4:66: error S2012: modules are one level deep: 'hedges.vix_pop' has no members",
        " 4 |   if rsi(SPY, 10) > 79 { hedges.vix_popp } else { hedges.vix_pop.x }",
        "   |                                                                  ^",
      ].join("\n"),
    );
  });

  it("S2023: an allocation let used inside an expression, reported at the use", () => {
    const source = 'let calm = equal { SPY, TLT }\nstrategy "Calm" {\n  if price(SPY) > calm { QQQ } else { calm }\n}\n';
    const result = compile(source, { file: "calm.strat" });
    expect(result.diagnostics.map((d) => [d.code, d.span.line, d.span.col, d.message])).toEqual([
      ["S2023", 3, 19, "'calm' is an allocation and cannot be used inside an expression"],
    ]);
  });

  it("S3011: lets that expand past the node limit, reported at the strategy's name", () => {
    const lines = ["let l0 = equal { SPY, TLT }"];
    let nodes = 3;
    let depth = 0;
    while (nodes <= MAX_IR_NODES) {
      depth++;
      lines.push(`let l${depth} = equal { l${depth - 1}, l${depth - 1} }`);
      nodes = 2 * nodes + 1;
    }
    lines.push('strategy "Blow-up" {', `  l${depth}`, "}", "");
    const result = compile(lines.join("\n"), { file: "blow-up.strat" });
    expect(result.diagnostics.map((d) => [d.code, d.span.line, d.span.col, d.message])).toEqual([
      ["S3011", depth + 2, 10, `this strategy expands to more than ${MAX_IR_NODES} nodes`],
    ]);
    expect(result.ir).toBeNull();
  });
});
