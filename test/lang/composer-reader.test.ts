import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type * as A from "../../src/lang/ast.js";
import { readComposer } from "../../src/lang/composer/index.js";
import { readForms, type Form } from "../../src/lang/composer/forms.js";
import { DiagnosticSink } from "../../src/lang/diagnostics.js";
import { POINTS } from "../../src/lang/elaborate/expr.js";
import { MAX_COMPOSER_NESTING, MAX_SOURCE_LENGTH } from "../../src/lang/limits.js";
import { LineIndex } from "../../src/lang/source.js";
import { unescapeString } from "../../src/lang/strings.js";

const CORPUS = fileURLToPath(new URL("../fixtures/corpus/", import.meta.url));

function read(text: string) {
  const result = readComposer(text, "test.clj");
  const strategy = result.program.decls[0] as A.StrategyDecl | undefined;
  return { ...result, strategy, diags: result.sink.items };
}

/** The diagnostics as `CODE line:col`, for compact exact assertions. */
function where(text: string): string[] {
  return read(text).diags.map((d) => `${d.code} ${d.span.line}:${d.span.col}`);
}

function body(text: string): A.Expr {
  const { strategy, diags } = read(text);
  expect(diags).toEqual([]);
  const node = strategy?.body[0];
  if (node === undefined) throw new Error("no body");
  return node;
}

function as<K extends A.Expr["kind"]>(node: A.Expr | undefined, kind: K): Extract<A.Expr, { kind: K }> {
  expect(node?.kind).toBe(kind);
  return node as Extract<A.Expr, { kind: K }>;
}

function callName(expr: A.Expr | undefined): string {
  return as(expr, "call").callee.parts.map((p) => p.name).join(".");
}

function tickerName(expr: A.Expr | undefined): string {
  if (expr?.kind === "name") return expr.parts.map((p) => p.name).join(".");
  return as(expr, "string").value;
}

const symphony = (header: string, node: string): string => `(defsymphony "T" {${header}} ${node})`;

const MINI_GRAIL = `(defsymphony
 "Mini Grail"
 {:asset-class "EQUITIES", :rebalance-threshold 0.05}
 (weight-equal
  [(if
    (> (current-price "TQQQ") (moving-average-price "TQQQ" {:window 200}))
    [(if (> (rsi "TQQQ" {:window 10}) 79)
       [(asset "UVXY" "ProShares Ultra VIX Short-Term Futures ETF")]
       [(asset "TQQQ" "ProShares UltraPro QQQ")])]
    [(filter (rsi {:window 10}) (select-top 1) [(asset "SQQQ" nil) (asset "BSV" nil)])])
   (if (< (cumulative-return "SPY" {:window 5}) -6) [(asset "BIL" nil) (asset "SHY" nil)])
   (weight-specified
    0.6 (asset "SPY" nil)
    0.4 (group "Bonds" [(weight-inverse-volatility 20 [(asset "TLT" nil) (asset "IEF" nil)])]))]))
`;

describe("readComposer: conversion", () => {
  it("converts a holy-grail-like symphony to the expected AST", () => {
    const { program, strategy, diags } = read(MINI_GRAIL);
    expect(diags).toEqual([]);
    expect(program.decls).toHaveLength(1);
    expect(strategy?.kind).toBe("strategy");
    expect(strategy?.name.value).toBe("Mini Grail");
    expect(strategy?.name.span).toMatchObject({ line: 2, col: 2 });

    const [rebalance] = strategy!.settings;
    expect(strategy!.settings).toHaveLength(1);
    expect(rebalance).toMatchObject({
      kind: "rebalance",
      mode: { name: "threshold", span: { line: 3, col: 49, endCol: 53 } },
      threshold: { kind: "number", text: "5", value: 5, percent: true },
    });

    const root = as(strategy!.body[0], "equal");
    expect(strategy!.body).toHaveLength(1);
    expect(root.span).toMatchObject({ line: 4, col: 2 });
    expect(root.children.map((c) => c.kind)).toEqual(["if", "if", "weighted"]);

    const trend = as(root.children[0], "if");
    expect(trend.span).toMatchObject({ line: 5, col: 4 });
    expect(trend.branches).toHaveLength(1);
    const cond = as(trend.branches[0]!.cond, "binary");
    expect(cond.op).toBe(">");
    expect(cond.opSpan).toMatchObject({ line: 6, col: 6, endCol: 7 });
    expect(callName(cond.left)).toBe("price");
    expect(as(cond.left, "call").args.map(tickerName)).toEqual(["TQQQ"]);
    const sma = as(cond.right, "call");
    expect(callName(sma)).toBe("sma");
    expect(tickerName(sma.args[0])).toBe("TQQQ");
    expect(sma.args[1]).toMatchObject({ kind: "number", text: "200", value: 200, percent: false });

    const inner = as(trend.branches[0]!.body[0], "if");
    const rsiCond = as(inner.branches[0]!.cond, "binary");
    expect(callName(rsiCond.left)).toBe("rsi");
    expect(as(rsiCond.left, "call").args[1]).toMatchObject({ text: "10", value: 10, percent: false });
    // RSI is a score, not a percent: 79 stays a bare number.
    expect(rsiCond.right).toMatchObject({ kind: "number", text: "79", value: 79, percent: false });
    expect(inner.branches[0]!.body.map(tickerName)).toEqual(["UVXY"]);
    expect(inner.elseBody?.map(tickerName)).toEqual(["TQQQ"]);

    const filter = as(trend.elseBody?.[0], "filter");
    expect(filter.select).toBe("top");
    expect(filter.count).toMatchObject({ kind: "number", text: "1", value: 1, percent: false });
    expect(callName(filter.metric)).toBe("rsi");
    expect(as(filter.metric, "call").args).toHaveLength(1);
    expect(as(filter.metric, "call").args[0]).toMatchObject({ kind: "number", text: "10", value: 10, percent: false });
    expect(filter.children.map(tickerName)).toEqual(["SQQQ", "BSV"]);

    const crash = as(root.children[1], "if");
    const crashCond = as(crash.branches[0]!.cond, "binary");
    expect(crashCond.op).toBe("<");
    expect(callName(crashCond.left)).toBe("cumulative_return");
    // cumulative-return is a percent: Composer's -6 means -6 %.
    expect(crashCond.right).toMatchObject({ kind: "number", text: "-6", value: -6, percent: true });
    expect(crash.branches[0]!.body.map(tickerName)).toEqual(["BIL", "SHY"]);
    expect(crash.elseBody).toBeNull();
    expect(crash.elseSpan).toBeNull();

    const weighted = as(root.children[2], "weighted");
    expect(weighted.children.map((c) => [c.weight.text, c.weight.value, c.weight.percent])).toEqual([
      ["60", 60, true],
      ["40", 40, true],
    ]);
    expect(tickerName(weighted.children[0]!.node)).toBe("SPY");
    const group = as(weighted.children[1]!.node, "group");
    expect(group.name.value).toBe("Bonds");
    const iv = as(group.children[0], "inverse_volatility");
    expect(iv.window).toMatchObject({ kind: "number", text: "20", value: 20, percent: false });
    expect(iv.children.map(tickerName)).toEqual(["TLT", "IEF"]);
  });

  it("maps tickers to names, normalising share classes", () => {
    const node = as(body(symphony("", '(weight-equal [(asset "SPY" nil) (asset "BRK/B" "Berkshire") (asset "brk/b" nil)])')), "equal");
    const [spy, brk, lower] = node.children;
    expect(spy).toMatchObject({ kind: "name", parts: [{ name: "SPY", span: { col: 43 } }], span: { col: 36 } });
    expect(brk).toMatchObject({ kind: "string", value: "BRK.B" });
    expect(lower).toMatchObject({ kind: "string", value: "brk.b" });
    const cond = body(symphony("", '(if (> (rsi "BRK/B" {:window 14}) 70) [(asset "SPY" nil)])'));
    const call = as(as(cond, "if").branches[0]!.cond, "binary").left;
    expect(as(call, "call").args[0]).toMatchObject({ kind: "string", value: "BRK.B" });
  });

  it("decodes escaped quotes in group names", () => {
    const group = as(body(symphony("", '(group "a \\"b\\" c" [(asset "SPY" nil)])')), "group");
    expect(group.name.value).toBe('a "b" c');
  });

  it("reads every header form", () => {
    expect(read(symphony(":rebalance-frequency :daily", '(asset "SPY" nil)')).strategy?.settings).toMatchObject([
      { kind: "rebalance", mode: { name: "daily", span: { col: 40 } }, threshold: null },
    ]);
    expect(read(symphony(":rebalance-frequency :none", '(asset "SPY" nil)')).strategy?.settings).toMatchObject([
      { mode: { name: "none" }, threshold: null },
    ]);
    expect(read(symphony(":rebalance-frequency :weekly :rebalance-threshold 0.125", '(asset "SPY" nil)')).strategy?.settings).toMatchObject([
      { mode: { name: "threshold" }, threshold: { text: "12.5", value: 12.5, percent: true } },
    ]);
    expect(read(symphony(':asset-class "EQUITIES"', '(asset "SPY" nil)')).strategy?.settings).toEqual([]);
  });

  it("marks numbers compared with percent indicators as percent points, on either side", () => {
    const cond = (text: string) => as(as(body(symphony("", `(if ${text} [(asset "SPY" nil)])`)), "if").branches[0]!.cond, "binary");
    expect(cond('(> 5 (max-drawdown "SPY" {:window 10}))').left).toMatchObject({ text: "5", percent: true });
    expect(cond('(<= (stdev-return "SPY" {:window 10}) 2.5)').right).toMatchObject({ text: "2.5", value: 2.5, percent: true });
    expect(cond('(>= (moving-average-return "SPY" {:window 10}) +1)').right).toMatchObject({ text: "1", percent: true });
    expect(cond('(< (exponential-moving-average-price "SPY" {:window 10}) 400)').right).toMatchObject({ percent: false });
    const eq = cond('(= (stdev-price "SPY" {:window 3}) (current-price "SPY"))');
    expect(eq.op).toBe("==");
    expect(callName(eq.left)).toBe("stdev_price");
  });

  it("compares a percent indicator with a price or a score through points(...), as Composer compares raw numbers", () => {
    const cond = (text: string) => as(as(body(symphony("", `(if ${text} [(asset "SPY" nil)])`)), "if").branches[0]!.cond, "binary");
    const mixed = cond('(> (current-price "SOXL") (moving-average-return "SOXL" {:window 2}))');
    expect(callName(mixed.left)).toBe("price");
    const cast = as(mixed.right, "call");
    expect(callName(cast)).toBe(POINTS);
    expect(cast.args.map(callName)).toEqual(["ma_return"]);
    expect(cast.span).toEqual(as(cast.args[0], "call").span);
    const score = cond('(< (cumulative-return "SPY" {:window 5}) (rsi "SPY" {:window 10}))');
    expect(callName(score.left)).toBe(POINTS);
    expect(callName(score.right)).toBe("rsi");
    // Same units, or a price against a score: no cast.
    expect(callName(cond('(< (cumulative-return "SPY" {:window 5}) (max-drawdown "SPY" {:window 10}))').left)).toBe("cumulative_return");
    expect(callName(cond('(< (current-price "SPY") (rsi "SPY" {:window 10}))').right)).toBe("rsi");
  });

  it("keeps several children in then and else vectors", () => {
    const node = as(body(symphony("", '(if (> (rsi "SPY" {:window 10}) 70) [(asset "A" nil) (asset "B" nil)] [(asset "C" nil) (asset "D" nil)])')), "if");
    expect(node.branches[0]!.body.map(tickerName)).toEqual(["A", "B"]);
    expect(node.elseBody?.map(tickerName)).toEqual(["C", "D"]);
    expect(node.elseSpan).toMatchObject({ col: 91 });
  });

  it("reads select-bottom and current-price metrics without arguments", () => {
    const filter = as(body(symphony("", '(filter (current-price) (select-bottom 2) [(asset "A" nil) (group "g" [(asset "B" nil)])])')), "filter");
    expect(filter.select).toBe("bottom");
    expect(callName(filter.metric)).toBe("price");
    expect(as(filter.metric, "call").args).toEqual([]);
    expect(filter.children.map((c) => c.kind)).toEqual(["name", "group"]);
  });

  it("skips a byte-order mark", () => {
    expect(read('\uFEFF(defsymphony "T" {} (asset "A" nil))').diags).toEqual([]);
  });

  it("ignores comments and commas", () => {
    const node = as(body('; a symphony\n(defsymphony "T" {} ; header\n (weight-equal [(asset "A" nil), (asset "B" nil)]))\n; end'), "equal");
    expect(node.children.map(tickerName)).toEqual(["A", "B"]);
  });
});

describe("readComposer: diagnostics", () => {
  it("S1101: mismatched bracket at the closer, naming the opener", () => {
    const { diags } = read('(defsymphony "T" {}\n  (weight-equal [(asset "A" nil)))');
    expect(diags.map((d) => `${d.code} ${d.span.line}:${d.span.col}`)).toEqual(["S1101 2:33"]);
    expect(diags[0]!.message).toBe("expected ']' to close '[' at 2:17 but found ')'");
  });

  it("S1101: a closer with nothing open, and an opener never closed", () => {
    expect(where('(defsymphony "T" {} (asset "A" nil)))')).toEqual(["S1101 1:37"]);
    const { diags } = read('(defsymphony "T" {}\n (weight-equal [(asset "A" nil)])');
    expect(diags.map((d) => `${d.code} ${d.span.line}:${d.span.col}`)).toEqual(["S1101 1:1"]);
    expect(diags[0]!.message).toBe("'(' at 1:1 is never closed (the file ends at 2:34)");
  });

  it("S1101: recovers so that one bracket mistake is one diagnostic", () => {
    // A closer matching an outer opener closes the inner forms too.
    expect(where('(defsymphony "T" {} (weight-equal [(asset "A" nil]))')).toEqual(["S1101 1:50"]);
    // A closer matching nothing open is taken as a mistyped closer of the innermost form.
    const { diags, strategy } = read('(defsymphony "T" {} (weight-equal [(asset "A" nil} (asset "B" nil)]))');
    expect(diags.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`)).toEqual([
      "S1101 1:50 expected ')' to close '(' at 1:36 but found '}'",
    ]);
    expect(as(strategy?.body[0], "equal").children.map(tickerName)).toEqual(["A", "B"]);
    // A form cut short by the end of the file does not also get "missing argument" complaints.
    expect(where('(defsymphony "T" {}\n (if (> (rsi "SPY" {:window 10}) 70)')).toEqual(["S1101 2:2"]);
  });

  it("S1003: unterminated string", () => {
    expect(where('(defsymphony "T" {}\n (asset "SPY nil))')).toEqual(["S1003 2:9"]);
  });

  it("S1008: unknown escape", () => {
    const { diags } = read('(defsymphony "T" {}\n (group "a\\qb" [(asset "SPY" nil)]))');
    expect(diags.map((d) => `${d.code} ${d.span.line}:${d.span.col}`)).toEqual(["S1008 2:11"]);
    expect(diags[0]!.message).toBe("unknown escape '\\q' in string");
  });

  it("S1001: unexpected characters, reported once per run", () => {
    const { diags } = read('(defsymphony "T" {}\n (weight-equal [(asset "A" nil) @@ ~ (asset "B" nil)]))');
    expect(diags.map((d) => `${d.code} ${d.span.line}:${d.span.col}`)).toEqual(["S1001 2:33", "S1001 2:36"]);
    expect(diags[0]!.message).toBe("unexpected characters '@@'");
  });

  it("S1010: malformed number", () => {
    expect(where('(defsymphony "T" {}\n (weight-specified 1.2.3 (asset "A" nil)))')).toEqual(["S1010 2:20"]);
    expect(where('(defsymphony "T" {} (if (> (rsi "SPY" {:window 1e3}) 5abc) [(asset "A" nil)]))')).toEqual(["S1010 1:48", "S1010 1:54"]);
  });

  it("S1006: 100,000-deep nesting stops reading without throwing", () => {
    const deep = "(".repeat(100_000) + ")".repeat(100_000);
    const { diags, program } = read(deep);
    expect(diags.map((d) => `${d.code} ${d.span.line}:${d.span.col}`)).toEqual([`S1006 1:${MAX_COMPOSER_NESTING + 1}`]);
    expect(program.decls).toEqual([]);
    expect(where("[".repeat(100_000))).toEqual([`S1006 1:${MAX_COMPOSER_NESTING + 1}`]);
  });

  it("accepts nesting up to the limit", () => {
    const depth = MAX_COMPOSER_NESTING - 2;
    const text = `(defsymphony "T" {} ${"(weight-equal [".repeat(depth / 2)}(asset "A" nil)${"])".repeat(depth / 2)})`;
    expect(read(text).diags).toEqual([]);
  });

  it("S1007: file too large", () => {
    expect(where(" ".repeat(MAX_SOURCE_LENGTH + 1))).toEqual(["S1007 1:1"]);
  });

  it("S1104: a trailing form", () => {
    const { diags, strategy } = read('(defsymphony "T" {} (asset "A" nil))\n\n(asset "B" nil)');
    expect(diags.map((d) => `${d.code} ${d.span.line}:${d.span.col}`)).toEqual(["S1104 3:1"]);
    expect(strategy?.name.value).toBe("T");
  });

  it("S1105: no defsymphony", () => {
    expect(where("")).toEqual(["S1105 1:1"]);
    expect(where("; only a comment\n")).toEqual(["S1105 1:1"]);
    expect(where('\n  (symphony "T" {} (asset "A" nil))')).toEqual(["S1105 2:3"]);
    expect(read('"T"').program.decls).toEqual([]);
  });

  it("S1106 and S1107: header keys and values", () => {
    const { diags } = read('(defsymphony "T"\n {:asset-class 3, :rebalance-frequncy :daily,\n  :rebalance-frequency :hourly, :rebalance-threshold "5%"}\n (asset "A" nil))');
    expect(diags.map((d) => `${d.code} ${d.span.line}:${d.span.col}`)).toEqual(["S1107 2:16", "S1106 2:19", "S1107 3:24", "S1107 3:54"]);
    expect(diags[1]!.message).toBe("unknown header key :rebalance-frequncy; did you mean ':rebalance-frequency'?");
    const twice = read('(defsymphony "T" {"x" 1 :rebalance-threshold 0.05 :rebalance-threshold 0.1} (asset "A" nil))').diags;
    expect(twice.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`)).toEqual([
      'S1106 1:19 header keys are keywords such as :rebalance-frequency, not the string "x"',
      "S1107 1:51 header key :rebalance-threshold is given twice",
    ]);
  });

  it("S1102: unknown forms, named", () => {
    const { diags } = read('(defsymphony "T" {}\n (weight-equal [(weight-foo [(asset "A" nil)]) (and (asset "B" nil))]))');
    expect(diags.map((d) => `${d.code} ${d.span.line}:${d.span.col}`)).toEqual(["S1102 2:18", "S1102 2:49"]);
    expect(diags[0]!.message).toBe("unknown form 'weight-foo'");
    expect(diags[1]!.message).toBe("unknown form 'and'");
    expect(where('(defsymphony "T" {} (weight-equl [(asset "A" nil)]))')).toEqual(["S1102 1:22"]);
    expect(read('(defsymphony "T" {} (weight-equl [(asset "A" nil)]))').diags[0]!.message).toBe("unknown form 'weight-equl'; did you mean 'weight-equal'?");
  });

  it("S2002: unknown indicator with a suggestion", () => {
    const { diags } = read('(defsymphony "T" {}\n (if (> (rsl "SPY" {:window 10}) 70) [(asset "A" nil)]))');
    expect(diags.map((d) => `${d.code} ${d.span.line}:${d.span.col}`)).toEqual(["S2002 2:10"]);
    expect(diags[0]!.message).toBe("unknown indicator 'rsl'; did you mean 'rsi'?");
    expect(read('(defsymphony "T" {} (filter (momentum {:window 5}) (select-top 1) [(asset "A" nil)]))').diags[0]!.message).toBe(
      "unknown indicator 'momentum'",
    );
  });

  it("S2008: non-positive or fractional windows", () => {
    const text = '(defsymphony "T" {}\n (weight-equal [(if (> (rsi "SPY" {:window 0}) 70) [(asset "A" nil)])\n  (weight-inverse-volatility 2.5 [(asset "A" nil)])\n  (filter (rsi {:window -3}) (select-top 1) [(asset "A" nil)])]))';
    expect(where(text)).toEqual(["S2008 2:44", "S2008 3:30", "S2008 4:25"]);
  });

  it("S1103: wrong shapes, with what was expected", () => {
    const cases: Array<[string, string, string]> = [
      ['(if (> (rsi "SPY") 70) [(asset "A" nil)])', "S1103 1:28", 'rsi needs a window: (rsi "SPY" {:window 10})'],
      ['(if (> (rsi SPY {:window 10}) 70) [(asset "A" nil)])', "S1103 1:33", "expected a ticker string such as \"SPY\" but found the symbol 'SPY'"],
      ['(if (> (rsi "SPY" 10) 70) [(asset "A" nil)])', "S1103 1:39", 'expected {:window N} but found the number 10'],
      ['(if (> (rsi "SPY" {:length 10}) 70) [(asset "A" nil)])', "S1103 1:40", "the keyword :length is not allowed in the window map; expected {:window N}"],
      ['(if (> (current-price "SPY" {:window 2}) 70) [(asset "A" nil)])', "S1103 1:49", '(current-price ...) has an extra argument here (a map {...}); expected (current-price "SPY")'],
      ["(weight-equal (asset \"A\" nil))", "S1103 1:35", "expected a vector [...] of children for weight-equal but found (asset ...)"],
      ['(weight-specified [0.5 (asset "A" nil) 0.5 (asset "B" nil)])', "S1103 1:39", "weight-specified takes weight/node pairs, not a vector: (weight-specified w1 node1 w2 node2 ...) with fractions such as 0.6"],
      ['(weight-equal [[(asset "A" nil)]])', "S1103 1:36", "expected a node such as (asset ...) but found a vector [...]"],
      ['(asset "A" nil "extra")', "S1103 1:36", '(asset ...) has an extra argument here (the string "extra"); expected (asset "TICKER" "display name")'],
      ['(asset)', "S1103 1:21", 'asset needs a ticker: (asset "TICKER" "display name")'],
      ['(if (rsi "SPY" {:window 10}) [(asset "A" nil)])', "S1103 1:25", 'expected a comparison such as (> (rsi ...) 70) but found (rsi ...)'],
      ['(filter (rsi "SPY" {:window 5}) (select-top 1) [(asset "A" nil)])', "S1103 1:34", "inside filter the metric is applied to each candidate and takes no ticker: (rsi {:window 10})"],
      ['(filter (rsi {:window 5}) (top 1) [(asset "A" nil)])', "S1103 1:47", "expected (select-top N) or (select-bottom N) but found (top ...)"],
      ['(rsi "SPY" {:window 10})', "S1103 1:21", "(rsi ...) is not an allocation node; expected (asset ...), (group ...), (weight-equal ...), (if ...) or similar"],
      ['(group [(asset "A" nil)])', "S1103 1:28", 'group needs a name before its children: (group "NAME" [children])'],
      ['(group 3 [(asset "A" nil)])', "S1103 1:28", "expected the group's name as a string but found the number 3"],
    ];
    for (const [node, at, message] of cases) {
      const { diags } = read(symphony("", node));
      expect(diags.map((d) => `${d.code} ${d.span.line}:${d.span.col}`), node).toEqual([at]);
      expect(diags[0]!.message, node).toBe(message);
    }
  });

  it("reports errors in siblings in one run", () => {
    const text = `(defsymphony "T" {:rebalance-frequency :often}
 (weight-equal
  [(weight-foo [])
   (asset 3 nil)
   (if (> (rsi "SPY" {:window 0}) (zzz "SPY")) [(asset "A" nil)])
   (filter (rsi {:window 5}) (select-top 1) [(asset "A" nil) (bogus)])]))`;
    expect(where(text)).toEqual(["S1107 1:40", "S1102 3:5", "S1103 4:11", "S2008 5:31", "S2002 5:36", "S1102 6:63"]);
  });

  it("never throws on arbitrary token soup", () => {
    const tokens = ["(", ")", "[", "]", "{", "}", '"', '"x"', '"\\q"', "\\", ";", "\n", " ", ",", ":", ":window", "defsymphony", "asset", "group",
      "weight-equal", "weight-specified", "weight-inverse-volatility", "if", "filter", "select-top", "rsi", "current-price", ">", "=",
      "-6", "0.05", "1.2.3", "nil", "true", "toString", "__proto__", "@", "é", ":rebalance-threshold", ":rebalance-frequency", ":daily"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...tokens), { maxLength: 60 }), (parts) => {
        const text = parts.join(" ");
        const result = readComposer(`(defsymphony "T" {} ${text}`, "fuzz.clj");
        expect(result.program.decls.length).toBeLessThanOrEqual(1);
        readComposer(text, "fuzz.clj");
      }),
      { numRuns: 2000 },
    );
  });
});

describe("readComposer: real files and size", () => {
  const files = readdirSync(CORPUS).filter((f) => f.endsWith(".clj")).sort();

  it("has the corpus fixtures", () => {
    expect(files).toHaveLength(10);
  });

  for (const file of files) {
    it(`reads ${file} with no diagnostics`, () => {
      const text = readFileSync(CORPUS + file, "utf8");
      const quoted = /\(defsymphony\s+"((?:[^"\\]|\\.)*)"/.exec(text)?.[1];
      expect(quoted).toBeDefined();
      const { program, strategy, diags } = read(text);
      expect(diags).toEqual([]);
      expect(program.decls).toHaveLength(1);
      expect(strategy?.kind).toBe("strategy");
      expect(strategy?.name.value).toBe(unescapeString(quoted!).value);
      expect(strategy?.body).toHaveLength(1);
    });
  }

  it("gives forms the same spans LineIndex gives", () => {
    for (const file of [...files.map((f) => readFileSync(CORPUS + f, "utf8")), '(a "multi\nline" b\r\n c) ; x\n[d]']) {
      const lines = new LineIndex(file);
      const { forms } = readForms(file, lines, new DiagnosticSink("x"));
      const stack: Form[] = [...forms];
      let checked = 0;
      const wrong: string[] = [];
      while (stack.length > 0) {
        const form = stack.pop()!;
        const expected = lines.span(form.span.start, form.span.end);
        if (JSON.stringify(form.span) !== JSON.stringify(expected)) wrong.push(`${JSON.stringify(form.span)} != ${JSON.stringify(expected)}`);
        checked++;
        if (form.kind === "list" || form.kind === "vector" || form.kind === "map") stack.push(...form.items);
      }
      expect(wrong.slice(0, 3)).toEqual([]);
      expect(checked).toBeGreaterThan(3);
    }
  });

  it("reads a generated 2 MB symphony quickly and without diagnostics", () => {
    // Four copies of growth_blend.clj's tree (real layout, escaped quotes, 231 filters each) plus
    // a small subtree with a share class, under one weight-equal.
    const growth = readFileSync(CORPUS + "growth_blend.clj", "utf8");
    const tree = growth.slice(growth.indexOf("(weight-equal"), growth.lastIndexOf(")"));
    const extra = '(group "BRK" [(weight-inverse-volatility 20 [(asset "BRK/B" nil) (asset "TLT" nil)])])';
    const text = `(defsymphony "Big" {:asset-class "EQUITIES", :rebalance-frequency :daily}\n (weight-equal\n  [${`${tree}\n   `.repeat(4)}${extra}]))\n`;
    expect(text.length).toBeGreaterThan(2_000_000);
    readComposer(text, "big.clj");
    const started = performance.now();
    const { strategy, diags } = read(text);
    const elapsed = performance.now() - started;
    expect(diags).toEqual([]);
    expect(as(strategy?.body[0], "equal").children.map((c) => c.kind)).toEqual(["equal", "equal", "equal", "equal", "group"]);
    // Generous bound for busy CI machines; an idle laptop reads this in about 20 ms.
    expect(elapsed).toBeLessThan(500);
  });
});
