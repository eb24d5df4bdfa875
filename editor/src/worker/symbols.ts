/** The declarations of a compiled file, reduced to what the editor's language features need. */
import type { LetDecl, ParamDecl, Program } from "../../../src/lang/ast.js";
import type { CompileResult } from "../../../src/lang/compile.js";
import type { Span } from "../../../src/lang/source.js";
import { TICKER_IDENTIFIER } from "../../../src/lang/module.js";
import type { LetSymbol, ParamSymbol, Range, Symbols } from "../protocol.js";

/** A compiler span as an editor range. */
export function rangeOf(span: Span): Range {
  return { line: span.line, col: span.col, endLine: span.endLine, endCol: span.endCol };
}

function paramSymbol(decl: ParamDecl, text: string): ParamSymbol {
  const number = (lit: { text: string; percent: boolean }): string => `${lit.text}${lit.percent ? "%" : ""}`;
  const domain = decl.range === null ? null : text.slice(decl.range.span.start, decl.range.span.end);
  return { name: decl.name.name, range: rangeOf(decl.name.span), value: number(decl.value), domain };
}

function letSymbol(decl: LetDecl, text: string): LetSymbol {
  return { name: decl.name.name, range: rangeOf(decl.name.span), definition: text.slice(decl.span.start, decl.span.end), params: (decl.params ?? []).map((p) => p.name) };
}

/** Upper-case names anywhere in the AST: the tickers the file mentions, even when it has errors. */
function mentionedTickers(program: Program): Set<string> {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    if (record.kind === "name" && typeof record.name === "string" && TICKER_IDENTIFIER.test(record.name)) found.add(record.name);
    if (record.kind === "string" && typeof record.value === "string" && TICKER_IDENTIFIER.test(record.value)) found.add(record.value);
    for (const [key, value] of Object.entries(record)) if (key !== "span") visit(value);
  };
  visit(program.decls);
  return found;
}

/** Params, lets, tickers and import aliases of the main file. */
export function symbolsOf(result: CompileResult, text: string): Symbols {
  const symbols: Symbols = { params: [], lets: [], tickers: [], imports: [] };
  for (const decl of result.program.decls) {
    if (decl.kind === "param") symbols.params.push(paramSymbol(decl, text));
    else if (decl.kind === "let") symbols.lets.push(letSymbol(decl, text));
    else if (decl.kind === "import") symbols.imports.push(decl.alias.name);
  }
  const tickers = mentionedTickers(result.program);
  for (const strategy of result.strategies) for (const t of strategy.tickers) tickers.add(t);
  symbols.tickers = [...tickers].sort();
  return symbols;
}
