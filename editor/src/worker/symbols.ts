/** The declarations of a compiled file, reduced to what the editor's language features need. */
import type { ImportDecl, LetDecl, NumberLit, ParamDecl, Program } from "../../../src/lang/ast.js";
import type { CompileResult } from "../../../src/lang/compile.js";
import type { Span } from "../../../src/lang/source.js";
import { TICKER_IDENTIFIER, type CompileHost } from "../../../src/lang/module.js";
import { parseSource } from "../../../src/lang/module-loader.js";
import type { FileLink, LetSymbol, ModuleSymbol, ParamInput, ParamSymbol, Range, Symbols } from "../protocol.js";

/** A compiler span as an editor range. */
export function rangeOf(span: Span): Range {
  return { line: span.line, col: span.col, endLine: span.endLine, endCol: span.endCol };
}

function paramInput(decl: ParamDecl): ParamInput {
  const { range } = decl;
  return {
    value: decl.value.text,
    percent: decl.value.percent,
    interval: range?.kind === "interval" ? { min: range.min.text, max: range.max.text, step: range.step?.text ?? null } : null,
    choices: range?.kind === "set" ? range.values.map((v: NumberLit) => v.text) : null,
  };
}

function paramSymbol(decl: ParamDecl, text: string): ParamSymbol {
  const number = (lit: { text: string; percent: boolean }): string => `${lit.text}${lit.percent ? "%" : ""}`;
  const domain = decl.range === null ? null : text.slice(decl.range.span.start, decl.range.span.end);
  return { name: decl.name.name, range: rangeOf(decl.name.span), value: number(decl.value), domain, input: paramInput(decl) };
}

function letSymbol(decl: LetDecl, text: string): LetSymbol {
  return { name: decl.name.name, range: rangeOf(decl.name.span), definition: text.slice(decl.span.start, decl.span.end), params: (decl.params ?? []).map((p) => p.name) };
}

/**
 * `walk` over each declaration, remembered per declaration object: the worker's incremental
 * session hands back the same objects for unchanged declarations (their spans moved in place,
 * so remembered spans stay right), and only edited ones are walked again.
 */
function perDeclaration<T>(program: Program, memo: WeakMap<object, T[]>, walk: (decl: unknown, found: T[]) => void): T[] {
  const all: T[] = [];
  for (const decl of program.decls) {
    let found = memo.get(decl);
    if (found === undefined) {
      found = [];
      walk(decl, found);
      memo.set(decl, found);
    }
    for (const item of found) all.push(item);
  }
  return all;
}

const tickerMemo = new WeakMap<object, string[]>();

/** Upper-case names anywhere in the AST: the tickers the file mentions, even when it has errors. */
function mentionedTickers(program: Program): Set<string> {
  return new Set(perDeclaration(program, tickerMemo, (decl, found) => {
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (node === null || typeof node !== "object") return;
      const record = node as Record<string, unknown>;
      if (record.kind === "name" && typeof record.name === "string" && TICKER_IDENTIFIER.test(record.name)) found.push(record.name);
      if (record.kind === "string" && typeof record.value === "string" && TICKER_IDENTIFIER.test(record.value)) found.push(record.value);
      for (const [key, value] of Object.entries(record)) if (key !== "span") visit(value);
    };
    visit(decl);
  }));
}

const useMemo = new WeakMap<object, { path: string; span: Span }[]>();

/** `use "path"` nodes anywhere in the strategies. */
function usePaths(program: Program): { path: string; span: Span }[] {
  return perDeclaration(program, useMemo, (decl, found) => {
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (node === null || typeof node !== "object") return;
      const record = node as Record<string, unknown>;
      if (record.kind === "use") {
        const path = record.path as { value: string; span: Span };
        found.push({ path: path.value, span: path.span });
      }
      for (const [key, value] of Object.entries(record)) if (key !== "span") visit(value);
    };
    visit(decl);
  });
}

/** The last parse of each imported file: checks run on every pause in typing, modules rarely change. */
const parsedModules = new Map<string, { text: string; lets: LetSymbol[] }>();

/** The lets of an imported file, with ranges in that file (a parse only: its errors are the compiler's to report). */
function moduleLets(file: string, text: string): LetSymbol[] {
  const cached = parsedModules.get(file);
  if (cached !== undefined && cached.text === text) return cached.lets;
  const lets: LetSymbol[] = [];
  for (const decl of parseSource(text, file).program.decls) if (decl.kind === "let") lets.push(letSymbol(decl, text));
  parsedModules.set(file, { text, lets });
  return lets;
}

function moduleSymbol(decl: ImportDecl, fromFile: string, host: CompileHost | undefined): ModuleSymbol {
  // The worker's host caches what the compile just read, so this asks the server nothing new.
  const found = host?.readFile(decl.path.value, fromFile) ?? null;
  return {
    alias: decl.alias.name,
    aliasRange: rangeOf(decl.alias.span),
    path: decl.path.value,
    file: found?.file ?? null,
    range: rangeOf(decl.path.span),
    lets: found === null ? [] : moduleLets(found.file, found.text),
  };
}

/**
 * Params, lets, tickers and imports of the main file. With the compile's `host`, also the
 * imported modules' lets and the files `import` and `use` paths resolve to.
 */
export function symbolsOf(result: Pick<CompileResult, "program"> & { strategies: readonly { tickers: readonly string[] }[] }, text: string, host?: CompileHost): Symbols {
  const symbols: Symbols = { params: [], lets: [], tickers: [], imports: [], modules: [], uses: [] };
  const file = result.program.file;
  for (const decl of result.program.decls) {
    if (decl.kind === "param") symbols.params.push(paramSymbol(decl, text));
    else if (decl.kind === "let") symbols.lets.push(letSymbol(decl, text));
    else if (decl.kind === "import") {
      symbols.imports.push(decl.alias.name);
      symbols.modules!.push(moduleSymbol(decl, file, host));
    }
  }
  symbols.uses = usePaths(result.program).map((u): FileLink => ({ path: u.path, file: host?.readFile(u.path, file)?.file ?? null, range: rangeOf(u.span) }));
  const tickers = mentionedTickers(result.program);
  for (const strategy of result.strategies) for (const t of strategy.tickers) tickers.add(t);
  symbols.tickers = [...tickers].sort();
  return symbols;
}
