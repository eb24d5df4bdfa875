/**
 * The formatter: one canonical layout, comments kept, idempotent, and meaning-preserving
 * (the formatted text compiles to the same IR hash).
 */
import { readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/lang/compile.js";
import { convertComposer, formatStrat } from "../../src/lang/format/index.js";
import { testHost } from "../helpers/host.js";

const ROOT = resolve(import.meta.dirname, "..", "..");

const MESSY = `// Header comment

import "stdlib/hedges.strat" as hedges
param fast=50 in 10..100 step 10 // trailing on param
param slow = 200 in [100,150, 200,250]


let overbought(t) = rsi(t,10)>79   /* block */
/* before strategy */
strategy "Trend" {
  rebalance   daily
  benchmark SPY
  // before if
  if overbought(QQQ) or (overbought(SPY)) {
    hedges.vix_pop // hedge
  } else if sma(SPY,fast)>sma(SPY,slow) and cumulative_return(SPY, 20) > -5% { weighted { 60% QQQ, 40% group "Bonds" { inverse_volatility(20) { TLT, IEF } } } }
  else {
    hedges.risk_off

    // inside else, at end
  }
}
strategy "Long" { top 2 by cumulative_return(60) { XLK
XLE, XLF
 group "defensive" { XLP, XLU } } }
// end of file
`;

const EXPECTED = `// Header comment

import "stdlib/hedges.strat" as hedges

param fast = 50 in 10..100 step 10 // trailing on param
param slow = 200 in [100, 150, 200, 250]

let overbought(t) = rsi(t, 10) > 79 /* block */

/* before strategy */
strategy "Trend" {
  rebalance daily
  benchmark SPY
  // before if
  if overbought(QQQ) or (overbought(SPY)) {
    hedges.vix_pop // hedge
  } else if sma(SPY, fast) > sma(SPY, slow) and cumulative_return(SPY, 20) > -5% {
    weighted {
      60% QQQ
      40% group "Bonds" { inverse_volatility(20) { TLT, IEF } }
    }
  } else {
    hedges.risk_off

    // inside else, at end
  }
}

strategy "Long" {
  top 2 by cumulative_return(60) { XLK, XLE, XLF, group "defensive" { XLP, XLU } }
}
// end of file
`;

function commentsOf(text: string): string[] {
  return text.match(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g) ?? [];
}

function strategyFiles(): string[] {
  return ["strategies", "stdlib"].flatMap((dir) =>
    readdirSync(resolve(ROOT, dir))
      .filter((f) => f.endsWith(".strat"))
      .map((f) => resolve(ROOT, dir, f)),
  );
}

describe("formatStrat", () => {
  it("lays out a messy file canonically, keeping every comment", () => {
    const result = formatStrat(MESSY, "messy.strat");
    expect(result.diagnostics).toEqual([]);
    expect(result.text).toBe(EXPECTED);
    expect(commentsOf(result.text!)).toEqual(commentsOf(MESSY));
  });

  it("is idempotent", () => {
    expect(formatStrat(EXPECTED).text).toBe(EXPECTED);
  });

  it("keeps the meaning: the formatted file compiles to the same IR hash", () => {
    const before = compile(MESSY, { file: "strategies/messy.strat", host: testHost() });
    const after = compile(EXPECTED, { file: "strategies/messy.strat", host: testHost() });
    expect(before.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(after.ir?.hash).toBe(before.ir?.hash);
    expect(after.ir?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses a file with syntax errors instead of dropping text", () => {
    const result = formatStrat('strategy "x" { if rsi(SPY, 10) > { A } }', "broken.strat");
    expect(result.text).toBeNull();
    expect(result.diagnostics.map((d) => [d.code, d.span.line, d.span.col])).toEqual([["S1002", 1, 34]]);
  });

  it("keeps string escapes and odd tickers", () => {
    const text = 'strategy "say \\"hi\\"" {\n  group "a \\\\ b" { "BRK.B", SPY }\n}\n';
    expect(formatStrat(text).text).toBe(text);
  });

  it.each(strategyFiles().map((f) => [f.slice(ROOT.length + 1), f]))("bundled %s is formatted and keeps its IR", (_name, file) => {
    const text = readFileSync(file, "utf8");
    const formatted = formatStrat(text, file).text;
    expect(formatted).toBe(text);
    const again = compile(formatted!, { file, host: testHost() });
    const original = compile(text, { file, host: testHost() });
    expect(again.ir?.hash).toBe(original.ir?.hash);
  });
});

describe("convertComposer", () => {
  it("writes else-if chains, drops single-child equal wrappers and adds percent signs", () => {
    const clj = `(defsymphony "Mini" {:asset-class "EQUITIES", :rebalance-threshold 0.05}
 (weight-equal
  [(if (> (current-price "SPY") (moving-average-price "SPY" {:window 200}))
    [(weight-equal [(if (< (cumulative-return "QQQ" {:window 5}) -6) [(asset "TQQQ" nil)] [(asset "QQQ" nil)])])]
    [(weight-equal [(if (> (rsi "SPY" {:window 10}) 70) [(asset "BIL" nil) (asset "SHY" nil)] [(weight-specified 0.6 (asset "BRK/B" nil) 0.4 (group "Bonds \\"long\\"" [(asset "TLT" nil)]))])])])]))`;
    const result = convertComposer(clj, "mini.clj");
    expect(result.diagnostics).toEqual([]);
    expect(result.text).toBe(`strategy "Mini" {
  rebalance threshold 5%
  if price(SPY) > sma(SPY, 200) {
    if cumulative_return(QQQ, 5) < -6% { TQQQ } else { QQQ }
  } else if rsi(SPY, 10) > 70 {
    BIL
    SHY
  } else {
    weighted { 60% "BRK.B", 40% group "Bonds \\"long\\"" { TLT } }
  }
}
`);
    expect(compile(result.text!, { file: "mini.strat" }).ir?.hash).toBe(compile(clj, { file: "mini.clj" }).ir?.hash);
  });
});
