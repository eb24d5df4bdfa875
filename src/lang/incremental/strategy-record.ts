/**
 * What elaborating one strategy did, kept so an unchanged strategy need not be elaborated again:
 * its diagnostics (in the root file relative to the declaration they point into; in imported
 * files as they are), the declarations it read (by name, with a fingerprint of each), the
 * imports it used, the lets and params it used, and its tickers. Imported files count as
 * unchanged while every loaded file's text is. A record is only made when everything the
 * elaboration touched is known that way: a strategy that reads a `use`d file or another
 * strategy is elaborated every time.
 */
import type { Decl, ImportDecl, LetDecl, ParamDecl, StrategyDecl } from "../ast.js";
import type { Diagnostic } from "../diagnostics.js";
import type { ElaboratedStrategy } from "../elaborate/strategy.js";
import type { ImportBinding, Module } from "../module.js";
import type { Span } from "../source.js";
import { movedSpan, relativeJson } from "./spans.js";
import type { Lookups, TrackingMap } from "./tracking.js";

/** The declaration a recorded span is relative to. */
type Anchor = { kind: "self" } | { kind: "let" | "param"; name: string };

interface RecordedDiagnostic {
  anchor: Anchor;
  /** Spans relative to the anchor's start (offset 0, line 0). */
  diagnostic: Diagnostic;
}

/** What one strategy's elaboration read from the root module's maps and broken names. */
export interface StrategyLookups {
  lets: Lookups<LetDecl>;
  params: Lookups<ParamDecl>;
  imports: Lookups<ImportBinding>;
  strategies: Lookups<StrategyDecl>;
  broken: Map<string, boolean>;
}

/** What every record depends on: the imported files' names and texts (see `worldOf`). */
export type World = string;

/** A param of an imported file that the strategy read, by file and name. */
export interface ParamRef {
  file: string;
  name: string;
}

export interface StrategyRecord {
  world: World;
  /** Names looked up among the file's broken declarations, and whether they were there. */
  broken: Map<string, boolean>;
  lets: Map<string, string | null>;
  params: Map<string, string | null>;
  imports: Map<string, string | null>;
  /** Import aliases the strategy read a member through (so they are used). */
  importsUsed: string[];
  /** Strategy names looked up and absent (a found one makes no record). */
  absentStrategies: string[];
  /** Every name of a map, when the elaboration listed them (for suggestions). */
  listed: { lets: string[] | null; params: string[] | null; imports: string[] | null; strategies: string[] | null };
  diagnostics: RecordedDiagnostic[];
  /** Diagnostics in imported files, by file, in order. */
  imported: Map<string, Diagnostic[]>;
  /** Root lets and params used (those of imported files are not checked for use). */
  usedLets: string[];
  mentionedParams: string[];
  /** Params read, in the order first read. */
  usedParams: ParamRef[];
  /** The strategy's tickers, or null when it did not elaborate. */
  tickers: string[] | null;
}

/** The root module with tracking maps (session.ts installs them). */
export interface TrackedModule extends Module {
  lets: TrackingMap<LetDecl>;
  params: TrackingMap<ParamDecl>;
  imports: TrackingMap<ImportBinding>;
  strategies: TrackingMap<StrategyDecl>;
}

const rawGet = <V>(map: Map<string, V>, key: string): V | undefined => Map.prototype.get.call(map, key) as V | undefined;
const rawKeys = (map: Map<string, unknown>): string[] => [...Map.prototype.keys.call(map)];

const fingerprints = new WeakMap<Decl, string>();

/** What records depend on beyond their own lookups: the files the root imports, as loaded. */
export function worldOf(imported: readonly Module[]): World {
  return imported.map((m) => `${m.file}\u0000${m.text}`).join("\u0000\u0000");
}

/**
 * A let, param or import as elaboration sees it: its column, text and AST relative to its
 * start. Equal fingerprints elaborate alike wherever the declarations stand.
 */
export function fingerprint(decl: LetDecl | ParamDecl | ImportDecl, text: string): string {
  let known = fingerprints.get(decl);
  if (known === undefined) {
    const { span } = decl;
    known = `${span.col}|${text.slice(span.start, span.end)}|${relativeJson(decl, span.start, span.line)}`;
    fingerprints.set(decl, known);
  }
  return known;
}

function relative(diagnostic: Diagnostic, anchor: Span): Diagnostic {
  const copy: Diagnostic = { ...diagnostic, span: movedSpan(diagnostic.span, -anchor.start, -anchor.line) };
  if (diagnostic.fix !== undefined) copy.fix = { ...diagnostic.fix, span: movedSpan(diagnostic.fix.span, -anchor.start, -anchor.line) };
  return copy;
}

const within = (span: Span, outer: Span): boolean => span.start >= outer.start && span.end <= outer.end;

/**
 * The record of a fresh elaboration, or null when it cannot be replayed safely. `diagnostics`
 * are those it added, by file, in order; `reads` counts host reads during it.
 */
export function recordStrategy(
  root: TrackedModule,
  decl: StrategyDecl,
  result: ElaboratedStrategy,
  lookups: StrategyLookups,
  diagnostics: ReadonlyMap<string, readonly Diagnostic[]>,
  reads: number,
  world: World,
): StrategyRecord | null {
  // A read during elaboration is a `use`d file: it loads modules, which a replay would not.
  if (reads > 0) return null;
  for (const found of lookups.strategies.found.values()) if (found !== undefined) return null;
  const { context } = result;
  const usedLets: string[] = [];
  for (const let_ of context.usedLets) if (rawGet(root.lets, let_.name.name) === let_) usedLets.push(let_.name.name);
  const mentionedParams: string[] = [];
  for (const param of context.mentionedParams) if (rawGet(root.params, param.name.name) === param) mentionedParams.push(param.name.name);
  const usedParams: ParamRef[] = [];
  for (const [name, used] of context.usedParams) {
    if (used.module === root && rawGet(root.params, name) !== used.decl) return null;
    usedParams.push({ file: used.module.file, name });
  }
  const lets = new Map<string, string | null>();
  const anchors: { anchor: Anchor; span: Span }[] = [{ anchor: { kind: "self" }, span: decl.span }];
  for (const [name, found] of lookups.lets.found) {
    lets.set(name, found === undefined ? null : fingerprint(found, root.text));
    if (found !== undefined) anchors.push({ anchor: { kind: "let", name }, span: found.span });
  }
  const params = new Map<string, string | null>();
  for (const [name, found] of lookups.params.found) {
    params.set(name, found === undefined ? null : fingerprint(found, root.text));
    if (found !== undefined) anchors.push({ anchor: { kind: "param", name }, span: found.span });
  }
  const imports = new Map<string, string | null>();
  for (const [name, found] of lookups.imports.found) imports.set(name, found === undefined ? null : fingerprint(found.decl, root.text));
  const recorded: RecordedDiagnostic[] = [];
  const imported = new Map<string, Diagnostic[]>();
  for (const [file, items] of diagnostics) {
    if (file !== root.file) {
      if (items.length > 0) imported.set(file, [...items]);
      continue;
    }
    for (const d of items) {
      const home = anchors.find((a) => within(d.span, a.span) && (d.fix === undefined || within(d.fix.span, a.span)));
      if (home === undefined) return null;
      recorded.push({ anchor: home.anchor, diagnostic: relative(d, home.span) });
    }
  }
  return {
    world,
    broken: new Map(lookups.broken),
    lets,
    params,
    imports,
    importsUsed: [...lookups.imports.got],
    absentStrategies: [...lookups.strategies.found.keys()],
    listed: {
      lets: lookups.lets.listed ? rawKeys(root.lets) : null,
      params: lookups.params.listed ? rawKeys(root.params) : null,
      imports: lookups.imports.listed ? rawKeys(root.imports) : null,
      strategies: lookups.strategies.listed ? rawKeys(root.strategies) : null,
    },
    diagnostics: recorded,
    imported,
    usedLets,
    mentionedParams,
    usedParams,
    tickers: result.strategy === null ? null : result.strategy.tickers,
  };
}

const sameList = (a: string[] | null, map: Map<string, unknown>): boolean => {
  if (a === null) return true;
  const b = rawKeys(map);
  return a.length === b.length && a.every((x, i) => x === b[i]);
};

/** True when replaying `record` against `root` gives what elaborating again would. */
export function recordStillHolds(record: StrategyRecord, root: TrackedModule, world: World): boolean {
  if (record.world !== world) return false;
  const broken = root.program.brokenNames ?? new Set<string>();
  for (const [name, was] of record.broken) if (Set.prototype.has.call(broken, name) !== was) return false;
  for (const [name, fp] of record.lets) {
    const current = rawGet(root.lets, name);
    if ((current === undefined ? null : fingerprint(current, root.text)) !== fp) return false;
  }
  for (const [name, fp] of record.params) {
    const current = rawGet(root.params, name);
    if ((current === undefined ? null : fingerprint(current, root.text)) !== fp) return false;
  }
  for (const [name, fp] of record.imports) {
    const current = rawGet(root.imports, name);
    if ((current === undefined ? null : fingerprint(current.decl, root.text)) !== fp) return false;
  }
  for (const name of record.absentStrategies) if (Map.prototype.has.call(root.strategies, name)) return false;
  const { listed } = record;
  return sameList(listed.lets, root.lets) && sameList(listed.params, root.params) && sameList(listed.imports, root.imports) && sameList(listed.strategies, root.strategies);
}

/** The recorded diagnostics, placed where their anchors now stand (`decl`: the strategy). */
export function replayDiagnostics(record: StrategyRecord, root: TrackedModule, decl: StrategyDecl): Diagnostic[] {
  return record.diagnostics.map(({ anchor, diagnostic }) => {
    const home = anchor.kind === "self" ? decl : anchor.kind === "let" ? rawGet(root.lets, anchor.name)! : rawGet(root.params, anchor.name)!;
    const { start, line } = home.span;
    const copy: Diagnostic = { ...diagnostic, span: movedSpan(diagnostic.span, start, line) };
    if (diagnostic.fix !== undefined) copy.fix = { ...diagnostic.fix, span: movedSpan(diagnostic.fix.span, start, line) };
    return copy;
  });
}
