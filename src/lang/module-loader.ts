/**
 * Loads a file and, transitively, the files it imports or uses, once each. Import cycles are
 * reported at the import that closes the cycle.
 */
import type { Program } from "./ast.js";
import { DiagnosticSink } from "./diagnostics.js";
import { buildModule, type CompileHost, type Module } from "./module.js";
import { parseStrat } from "./parse.js";
import { readComposer } from "./composer/index.js";
import type { LineIndex, Span } from "./source.js";

export type SourceLanguage = "strat" | "composer";

/** `.clj` files are Composer symphonies; everything else is `.strat`. */
export function languageOf(file: string): SourceLanguage {
  return /\.clj$/i.test(file) ? "composer" : "strat";
}

/** Parses text in its language. */
export function parseSource(text: string, file: string, language: SourceLanguage = languageOf(file)): {
  program: Program;
  sink: DiagnosticSink;
  lines: LineIndex;
} {
  return language === "composer" ? readComposer(text, file) : parseStrat(text, file);
}

export class ModuleLoader {
  private readonly modules = new Map<string, Module>();
  private readonly loading = new Set<string>();

  constructor(private readonly host: CompileHost | undefined) {}

  /** Every module loaded so far, the root first. */
  all(): Module[] {
    return [...this.modules.values()];
  }

  /** Builds the root module from text and loads its imports. */
  root(text: string, file: string, language: SourceLanguage): Module {
    const parsed = parseSource(text, file, language);
    return this.adoptRoot(buildModule(parsed.program, text, parsed.lines, parsed.sink));
  }

  /** Makes an already built module the root (the editor's incremental session parses by itself) and loads its imports. */
  adoptRoot(module: Module): Module {
    this.modules.set(module.file, module);
    this.loading.add(module.file);
    this.resolveImports(module);
    this.loading.delete(module.file);
    return module;
  }

  /** The module `path` names from `from`, loading it on first use; null (reported) when unreadable or cyclic. */
  load(path: string, from: Module, span: Span, sink: DiagnosticSink): Module | null {
    const found = this.host?.readFile(path, from.file) ?? null;
    if (found === null) {
      sink.add("importNotFound", span, `cannot find '${path}'`, {
        hint: this.host === undefined ? "this compile has no file access" : "paths are relative to the importing file or a folder above it",
      });
      return null;
    }
    if (this.loading.has(found.file)) {
      sink.add("cycle", span, `'${path}' imports this file back (an import cycle)`);
      return null;
    }
    const cached = this.modules.get(found.file);
    if (cached !== undefined) return cached;
    const parsed = parseSource(found.text, found.file);
    const module = buildModule(parsed.program, found.text, parsed.lines, parsed.sink);
    this.modules.set(found.file, module);
    this.loading.add(found.file);
    this.resolveImports(module);
    this.loading.delete(found.file);
    return module;
  }

  private resolveImports(module: Module): void {
    for (const binding of module.imports.values()) {
      binding.module = this.load(binding.decl.path.value, module, binding.decl.path.span, module.sink);
    }
  }
}
