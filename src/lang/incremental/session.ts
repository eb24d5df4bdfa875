/**
 * Repeated checks of one file as it is edited (the editor's worker). `update(text)` gives the
 * diagnostics, AST and strategy tickers that `compile(text, options)` gives, but reparses only
 * the changed declarations (units.ts) and re-elaborates only the strategies whose text or
 * dependencies changed (strategy-record.ts). The whole-file checks (duplicate names, unused
 * declarations, params shared across strategies, cascade filtering, sorting) run every time.
 * Composer files, pathological nesting and anything unexpected go through `compile` itself.
 */
import type { Decl, LetDecl, ParamDecl, Program, StrategyDecl } from "../ast.js";
import { withoutCascades } from "../cascades.js";
import { compile, type CompileOptions } from "../compile.js";
import { DiagnosticSink, sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import { checkUnusedDeclarations } from "../elaborate/unused.js";
import { elaborateStrategy } from "../elaborate/strategy.js";
import { MAX_SOURCE_LENGTH, MAX_STRAT_NESTING } from "../limits.js";
import { buildModule, type CompileHost, type Module } from "../module.js";
import { languageOf, ModuleLoader } from "../module-loader.js";
import { LineIndex } from "../source.js";
import { scanChunks } from "./chunks.js";
import { ElaborationContext } from "../elaborate/context.js";
import { paramOf } from "../elaborate/expr.js";
import { recordStillHolds, recordStrategy, replayDiagnostics, worldOf, type ParamRef, type StrategyLookups, type TrackedModule } from "./strategy-record.js";
import { newLookups, tracking, TrackingSet } from "./tracking.js";
import { CLOSER, OPENER, PREFIX, VALUE_END, type ParsedUnit } from "./unit.js";
import { UnitLayout, type PlacedUnit } from "./units.js";

/** A strategy that elaborated: what the editor shows of it. */
export interface StrategySummary {
  kind: "strategy" | "portfolio";
  name: string;
  tickers: string[];
}

/** What a check gives the editor; each field equals the same field of `compile`'s result. */
export interface CheckResult {
  diagnostics: Diagnostic[];
  /**
   * The file's AST. Owned by the session: its spans are moved in place by the next update,
   * so read it before calling `update` again.
   */
  program: Program;
  lines: LineIndex;
  /** Every strategy that elaborated, in order (compile's `strategies`, reduced). */
  strategies: StrategySummary[];
}

/** How the last update went (for tests and the benchmark). */
export interface UpdateStats {
  /** False when the update fell back to a full `compile`. */
  incremental: boolean;
  unitsParsed: number;
  strategiesElaborated: number;
  strategiesReused: number;
}

const rawGet = <V>(map: Map<string, V>, key: string): V | undefined => Map.prototype.get.call(map, key) as V | undefined;

export class CompileSession {
  private readonly file: string;
  private readonly host: CompileHost | undefined;
  private readonly units: UnitLayout;
  private reads = 0;
  stats: UpdateStats = { incremental: false, unitsParsed: 0, strategiesElaborated: 0, strategiesReused: 0 };

  /** A session for one file; `options` as for `compile`. */
  constructor(private readonly options: CompileOptions = {}) {
    this.file = options.file ?? "<input>";
    const host = options.host;
    // Counting reads tells which strategies reached another file (those are never replayed).
    this.host = host === undefined ? undefined : { readFile: (path, from) => (this.reads++, host.readFile(path, from)) };
    this.units = new UnitLayout(this.file);
  }

  /** Checks the file's new text. */
  update(text: string): CheckResult {
    const language = this.options.language ?? languageOf(this.file);
    // Lone carriage returns count as line breaks for the lexer but not for line indexes: the
    // whole-file compile's positions are then the reference, not something to reproduce.
    if (language === "strat" && text.length <= MAX_SOURCE_LENGTH && !/\r(?!\n)/.test(text)) {
      try {
        const result = this.incremental(text);
        if (result !== null) return result;
      } catch (error) {
        // compile() reports a stack overflow on pathological input; let it.
        if (!(error instanceof RangeError)) throw error;
      }
    }
    return this.full(text);
  }

  private full(text: string): CheckResult {
    this.stats = { incremental: false, unitsParsed: 0, strategiesElaborated: 0, strategiesReused: 0 };
    const result = compile(text, this.options);
    return {
      diagnostics: result.diagnostics,
      program: result.program,
      lines: result.lines,
      strategies: result.strategies.map((s) => ({ kind: s.kind, name: s.name, tickers: s.tickers })),
    };
  }

  private incremental(text: string): CheckResult | null {
    const placed = this.units.layout(text, scanChunks(text));
    // Past the nesting limit the whole program is dropped with one error: compile says how.
    if (tooDeep(placed)) return null;
    const stats: UpdateStats = { incremental: true, unitsParsed: this.units.parsedLastTime, strategiesElaborated: 0, strategiesReused: 0 };
    const lines = new LineIndex(text);
    const sink = new DiagnosticSink(this.file);
    const decls: Decl[] = [];
    const comments: Program["comments"] = [];
    const brokenNames = new Set<string>();
    const origins = new Map<StrategyDecl, { unit: ParsedUnit; index: number }>();
    for (const { unit } of placed) {
      for (const d of unit.placedDiagnostics()) sink.push(d);
      unit.decls.forEach((decl, index) => {
        if (decl.kind === "strategy" || decl.kind === "portfolio") origins.set(decl, { unit, index });
        // Elaboration builds each param once per declaration object (expr.ts paramOf): a
        // fresh object per update makes it report the param's problems again.
        decls.push(decl.kind === "param" ? { ...decl } : decl);
      });
      comments.push(...unit.comments);
      for (const name of unit.brokenNames) brokenNames.add(name);
    }
    const program: Program = { kind: "program", file: this.file, decls, comments, brokenNames, span: lines.span(0, text.length) };
    const built = buildModule(program, text, lines, sink);
    // The module elaboration sees reads through logging maps and a logging set of broken names;
    // the program handed back keeps a plain Set, as compile's does.
    const broken = new TrackingSet(brokenNames);
    const root: TrackedModule = {
      ...built,
      program: { ...program, brokenNames: broken },
      lets: tracking(built.lets),
      params: tracking(built.params),
      imports: tracking(built.imports),
      strategies: tracking(built.strategies),
    };
    const loader = new ModuleLoader(this.host);
    loader.adoptRoot(root);

    const imported = loader.all().filter((m) => m !== root);
    const world = worldOf(imported);
    const moduleOf = new Map<string, Module>(loader.all().map((m) => [m.file, m]));
    const paramOwners = new Map<string, ParamRef>();
    const usedLets = new Set<LetDecl>();
    const usedParams = new Set<ParamDecl>();
    const strategies: StrategySummary[] = [];
    for (const decl of root.strategies.values()) {
      const origin = origins.get(decl)!;
      const record = origin.unit.records[origin.index];
      let reads: ParamRef[];
      let tickers: string[] | null;
      if (record !== undefined && recordStillHolds(record, root, world)) {
        stats.strategiesReused++;
        for (const d of replayDiagnostics(record, root, decl)) sink.push(d);
        for (const [file, items] of record.imported) for (const d of items) moduleOf.get(file)!.sink.push(d);
        for (const alias of record.importsUsed) rawGet(root.imports, alias)!.used = true;
        reads = record.usedParams;
        for (const ref of reads) {
          if (ref.file === this.file) continue;
          // An imported param reports its problems when first built in a compile; this
          // strategy may be the first to read it this time (root params are all built later).
          const module = moduleOf.get(ref.file)!;
          paramOf(new ElaborationContext(loader), { module, letArgs: null }, rawGet(module.params, ref.name)!);
        }
        for (const name of record.usedLets) usedLets.add(rawGet(root.lets, name)!);
        for (const name of record.mentionedParams) usedParams.add(rawGet(root.params, name)!);
        tickers = record.tickers;
      } else {
        stats.strategiesElaborated++;
        const lookups: StrategyLookups = { lets: newLookups(), params: newLookups(), imports: newLookups(), strategies: newLookups(), broken: new Map() };
        // The strategy's own diagnostics, by file, to record; they join the files' sinks after.
        const sinks = new Map<Module, DiagnosticSink>();
        for (const module of loader.all()) {
          sinks.set(module, module.sink);
          module.sink = new DiagnosticSink(module.file);
        }
        root.lets.log = lookups.lets;
        root.params.log = lookups.params;
        root.imports.log = lookups.imports;
        root.strategies.log = lookups.strategies;
        broken.log = lookups.broken;
        const readsBefore = this.reads;
        let result;
        const own = new Map<string, Diagnostic[]>();
        try {
          result = elaborateStrategy(loader, root, decl, { hash: false });
        } finally {
          root.lets.log = root.params.log = root.imports.log = root.strategies.log = null;
          broken.log = null;
          for (const [module, real] of sinks) {
            own.set(module.file, module.sink.items);
            module.sink = real;
            for (const d of own.get(module.file)!) real.push(d);
          }
        }
        origin.unit.records[origin.index] = recordStrategy(root, decl, result, lookups, own, this.reads - readsBefore, world) ?? undefined;
        reads = [...result.context.usedParams].map(([name, used]) => ({ name, file: used.module.file }));
        for (const let_ of result.context.usedLets) usedLets.add(let_);
        for (const param of result.context.mentionedParams) usedParams.add(param);
        tickers = result.strategy === null ? null : result.strategy.tickers;
      }
      // As compile.ts: params are global to the optimizer, so two strategies may not read different ones of one name.
      // A param is one declaration per file and name, so (file, name) tells declarations apart.
      for (const used of reads) {
        const owner = paramOwners.get(used.name);
        if (owner !== undefined && owner.file !== used.file) {
          sink.add("duplicateName", decl.name.span, `this ${decl.kind} reads a param '${used.name}' of ${used.file}, another strategy one of ${owner.file}`, {
            hint: "rename one of them; params are global to the optimizer",
          });
        }
        paramOwners.set(used.name, used);
      }
      if (tickers !== null) strategies.push({ kind: decl.kind, name: decl.name.value, tickers });
    }
    checkUnusedDeclarations(loader, root, usedLets, usedParams);
    const diagnostics = sortDiagnostics(loader.all().flatMap(withoutCascades));
    this.stats = stats;
    return { diagnostics, program, lines, strategies };
  }
}

/** Whether parse.ts's nesting check would stop the whole file (its logic, over the units' token classes). */
function tooDeep(placed: readonly PlacedUnit[]): boolean {
  let depth = 0;
  let prefixRun = 0;
  let afterValue = false;
  for (const { unit } of placed) {
    for (const c of unit.nesting) {
      if (c & OPENER) depth++;
      else if (c & CLOSER) depth = Math.max(0, depth - 1);
      if (c & PREFIX && !afterValue) prefixRun++;
      else prefixRun = 0;
      if (depth + prefixRun > MAX_STRAT_NESTING) return true;
      afterValue = (c & VALUE_END) !== 0;
    }
  }
  return false;
}
