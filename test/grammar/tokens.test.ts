/**
 * The editor's token definitions (grammar/strat.tokens.json) are generated from the lexer;
 * this test fails when they drift. Regenerate with UPDATE_GOLDENS=1.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { KEYWORD_WORDS, stratLexer, tokenDefinitions } from "../../src/lang/tokens.js";

const FILE = resolve(import.meta.dirname, "..", "..", "grammar", "strat.tokens.json");

function generated(): string {
  return `${JSON.stringify({ keywords: KEYWORD_WORDS, tokens: tokenDefinitions() }, null, 2)}\n`;
}

describe("grammar/strat.tokens.json", () => {
  it("equals the lexer's token definitions", () => {
    if (process.env.UPDATE_GOLDENS === "1") writeFileSync(FILE, generated());
    expect(readFileSync(FILE, "utf8")).toBe(generated());
  });

  it("classifies what the lexer produces with the classes the file gives", () => {
    const defs = JSON.parse(readFileSync(FILE, "utf8")) as { tokens: { name: string; pattern: string; class: string }[] };
    const byName = new Map(defs.tokens.map((t) => [t.name, t.class]));
    const lexed = stratLexer.tokenize('strategy "x" { if rsi(SPY, 10) > 79% { A } } // c');
    const classes = lexed.tokens.map((t) => `${t.image}:${byName.get(t.tokenType.name)}`);
    expect(classes).toEqual([
      "strategy:keyword", '"x":string', "{:delimiter", "if:keyword", "rsi:identifier", "(:delimiter", "SPY:identifier",
      ",:delimiter", "10:number", "):delimiter", ">:operator", "79%:number", "{:delimiter", "A:identifier", "}:delimiter", "}:delimiter",
    ]);
    expect(lexed.groups.comments?.map((t) => byName.get(t.tokenType.name))).toEqual(["comment"]);
  });

  it("lists every keyword the parser reserves", () => {
    expect(KEYWORD_WORDS).toEqual([
      "strategy", "portfolio", "param", "let", "import", "as", "use", "if", "else", "and", "or", "not", "equal", "weighted",
      "inverse_volatility", "top", "bottom", "by", "group", "in", "step", "true", "false", "rebalance", "benchmark", "warmup", "trade",
    ]);
  });

  it("keeps every pattern a valid regular expression", () => {
    for (const t of tokenDefinitions()) expect(() => new RegExp(t.pattern)).not.toThrow();
  });
});
