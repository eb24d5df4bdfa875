/**
 * A compiled source file's top-level scope: its lets, params, imports and strategies.
 * Modules are loaded through a `CompileHost`, so the compiler itself never touches a file
 * system (the editor's worker supplies files from memory).
 */
import type { ImportDecl, LetDecl, ParamDecl, Program, StrategyDecl } from "./ast.js";
import type { DiagnosticSink } from "./diagnostics.js";
import type { LineIndex } from "./source.js";

/** Supplies imported and used files. `path` is as written in the source. */
export interface CompileHost {
  /** The file `path` names, seen from `fromFile`, or null when there is none. */
  readFile(path: string, fromFile: string): { file: string; text: string } | null;
}

export interface ImportBinding {
  decl: ImportDecl;
  module: Module | null;
  /** Set when a strategy reads one of its names. */
  used: boolean;
}

export interface Module {
  file: string;
  text: string;
  lines: LineIndex;
  program: Program;
  sink: DiagnosticSink;
  lets: Map<string, LetDecl>;
  params: Map<string, ParamDecl>;
  imports: Map<string, ImportBinding>;
  strategies: Map<string, StrategyDecl>;
}

/** Bare upper-case identifiers are tickers; lets and params may not look like one. */
export const TICKER_IDENTIFIER = /^[A-Z][A-Z0-9]*$/;

/** Tickers written as strings: letters, digits and one class separator ("BRK.B", Composer's "BRK/B"). */
export const TICKER_STRING = /^[A-Z0-9]{1,10}(?:[./-][A-Z0-9]{1,5})?$/;

/** The broker's spelling of a ticker: Composer's share-class slash becomes a dot. */
export function normalizeTicker(symbol: string): string {
  return symbol.replace("/", ".");
}

/** Collects a program's declarations into a scope, reporting duplicates and ticker-like names. */
export function buildModule(program: Program, text: string, lines: LineIndex, sink: DiagnosticSink): Module {
  const module: Module = {
    file: program.file,
    text,
    lines,
    program,
    sink,
    lets: new Map(),
    params: new Map(),
    imports: new Map(),
    strategies: new Map(),
  };
  const declared = new Map<string, string>();
  const declare = (name: string, what: string, span: ParamDecl["span"]): boolean => {
    const previous = declared.get(name);
    if (previous !== undefined) {
      sink.add("duplicateName", span, `'${name}' is already declared as a ${previous}`);
      return false;
    }
    if (TICKER_IDENTIFIER.test(name)) {
      sink.add("tickerLikeName", span, `'${name}' looks like a ticker; ${what} names need a lower-case letter`, {
        hint: `rename it, e.g. '${name.toLowerCase()}'`,
      });
    }
    declared.set(name, what);
    return true;
  };
  for (const decl of program.decls) {
    switch (decl.kind) {
      case "let":
        if (declare(decl.name.name, "let", decl.name.span)) module.lets.set(decl.name.name, decl);
        for (const p of decl.params ?? []) {
          if (TICKER_IDENTIFIER.test(p.name)) {
            sink.add("tickerLikeName", p.span, `'${p.name}' looks like a ticker; parameter names need a lower-case letter`, {
              hint: `rename it, e.g. '${p.name.toLowerCase()}'`,
            });
          }
        }
        {
          const seen = new Set<string>();
          for (const p of decl.params ?? []) {
            if (seen.has(p.name)) sink.add("duplicateName", p.span, `parameter '${p.name}' is declared twice`);
            seen.add(p.name);
          }
        }
        break;
      case "param":
        if (declare(decl.name.name, "param", decl.name.span)) module.params.set(decl.name.name, decl);
        break;
      case "import":
        if (declare(decl.alias.name, "import", decl.alias.span)) module.imports.set(decl.alias.name, { decl, module: null, used: false });
        break;
      case "strategy":
      case "portfolio": {
        const name = decl.name.value;
        if (module.strategies.has(name)) {
          sink.add("duplicateStrategy", decl.name.span, `a strategy or portfolio named "${name}" already exists in this file`);
        } else {
          module.strategies.set(name, decl);
        }
        break;
      }
    }
  }
  return module;
}
