/**
 * The compiler's entry point: source text (`.strat` or Composer) → diagnostics and, when there
 * are no errors, the IR program. Never throws on user input.
 */
import type { LetDecl, ParamDecl, Program } from "./ast.js";
import { checkUnusedDeclarations } from "./elaborate/unused.js";
import { withoutCascades } from "./cascades.js";
import { DiagnosticSink, hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { MAX_SOURCE_LENGTH } from "./limits.js";
import type { CompileHost } from "./module.js";
import { languageOf, ModuleLoader, type SourceLanguage } from "./module-loader.js";
import { LineIndex } from "./source.js";
import { elaborateStrategy } from "./elaborate/strategy.js";
import { contentHash } from "../ir/canonical-json.js";
import { IR_VERSION, type IrParam, type IrProgram, type IrStrategy } from "../ir/types.js";

export interface CompileOptions {
  /** Name used in diagnostics and spans; also picks the language by extension. */
  file?: string;
  /** Reads imported and used files; without it, imports are errors. */
  host?: CompileHost;
  /** Overrides the language the extension implies. */
  language?: SourceLanguage;
}

export interface CompileResult {
  /** The IR, or null when there is any error. */
  ir: IrProgram | null;
  /** Every diagnostic of the file and the files it imports, sorted by file and position. */
  diagnostics: Diagnostic[];
  /** The main file's AST (for the formatter, the editor and `count`). */
  program: Program;
  /** Line index of the main file (for rendering diagnostics). */
  lines: LineIndex;
  /** Every strategy that elaborated, even when another one had errors. */
  strategies: IrStrategy[];
  /** Line indexes of every file read (the main file and its imports), for rendering diagnostics. */
  files: Map<string, LineIndex>;
}

/** Compiles one source text. */
export function compile(source: string, options: CompileOptions = {}): CompileResult {
  const file = options.file ?? "<input>";
  const language = options.language ?? languageOf(file);
  try {
    return compileUnchecked(source, file, language, options.host);
  } catch (error) {
    // A stack overflow on pathological input the nesting limits did not foresee: report, never crash.
    if (!(error instanceof RangeError)) throw error;
    const lines = new LineIndex(source.length > MAX_SOURCE_LENGTH ? "" : source);
    const sink = new DiagnosticSink(file);
    sink.add("nestingTooDeep", lines.span(0, 0), "the input is nested too deeply to compile");
    const program: Program = { kind: "program", file, decls: [], comments: [], brokenNames: new Set(), span: lines.span(0, 0) };
    return { ir: null, diagnostics: sink.items, program, lines, strategies: [], files: new Map([[file, lines]]) };
  }
}

function compileUnchecked(source: string, file: string, language: SourceLanguage, host: CompileHost | undefined): CompileResult {
  const loader = new ModuleLoader(host);
  const root = loader.root(source, file, language);
  const strategies: IrStrategy[] = [];
  const params = new Map<string, IrParam>();
  const usedLets = new Set<LetDecl>();
  const usedParams = new Set<ParamDecl>();
  const paramOwners = new Map<string, { decl: unknown; file: string }>();
  for (const decl of root.strategies.values()) {
    const result = elaborateStrategy(loader, root, decl);
    for (const [name, used] of result.context.usedParams) {
      const owner = paramOwners.get(name);
      if (owner !== undefined && owner.decl !== used.decl) {
        root.sink.add("duplicateName", decl.name.span, `this ${decl.kind} reads a param '${name}' of ${used.module.file}, another strategy one of ${owner.file}`, {
          hint: "rename one of them; params are global to the optimizer",
        });
      }
      paramOwners.set(name, { decl: used.decl, file: used.module.file });
    }
    for (const param of result.params) params.set(param.name, param);
    if (result.strategy !== null) strategies.push(result.strategy);
    for (const let_ of result.context.usedLets) usedLets.add(let_);
    for (const param of result.context.mentionedParams) usedParams.add(param);
  }
  checkUnusedDeclarations(loader, root, usedLets, usedParams);
  const diagnostics = sortDiagnostics(loader.all().flatMap(withoutCascades));
  const program = root.program;
  const ir = hasErrors(diagnostics) ? null : buildProgram(strategies, [...params.values()]);
  const files = new Map(loader.all().map((m) => [m.file, m.lines]));
  return { ir, diagnostics, program, lines: root.lines, strategies, files };
}

function buildProgram(strategies: IrStrategy[], params: IrParam[]): IrProgram {
  const sorted = [...params].sort((a, b) => a.name.localeCompare(b.name));
  const program: IrProgram = { irVersion: IR_VERSION, params: sorted, strategies, hash: "" };
  // Each strategy's hash already covers its canonical JSON; hashing those hashes avoids
  // serialising the whole program a second time.
  program.hash = contentHash({ irVersion: IR_VERSION, params: sorted, strategies: strategies.map((s) => s.hash) });
  return program;
}
