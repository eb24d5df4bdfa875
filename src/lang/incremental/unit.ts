/**
 * One parsed unit: a run of chunks parsed as a `.strat` source of its own. The result is kept
 * in the unit's own coordinates until placed; placing moves every AST span in place (cheap:
 * no allocation), diagnostics are kept relative and copied out at each use.
 */
import type { Comment, Decl } from "../ast.js";
import type { Diagnostic } from "../diagnostics.js";
import { parseStrat, type ParseResult } from "../parse.js";
import type { Span } from "../source.js";
import { stratLexer } from "../tokens.js";
import { collectSpans, movedSpan, moveSpans, relativeJson } from "./spans.js";
import type { StrategyRecord } from "./strategy-record.js";

/** Token classes for the file-wide nesting check (parse.ts `tooDeep`), one byte per token. */
export const OPENER = 1;
export const CLOSER = 2;
export const PREFIX = 4;
export const VALUE_END = 8;

const OPENERS = new Set(["LCurly", "LParen", "LBracket"]);
const CLOSERS = new Set(["RCurly", "RParen", "RBracket"]);
const PREFIX_OPERATORS = new Set(["Minus", "Not"]);
const VALUE_ENDS = new Set(["Identifier", "NumberLiteral", "Percent", "StringLiteral", "RParen", "RBracket", "True", "False", "Time"]);
/** Tokens parse.ts drops before parsing (reported on their own). */
const DROPPED = new Set(["UnterminatedString", "UnterminatedComment"]);

/** Parser errors: after one, the parser may not be back at a declaration boundary. */
const PARSER_CODES = new Set(["S1002", "S1009"]);

export class ParsedUnit {
  /** Declarations, with spans for where the unit was last placed. */
  readonly decls: Decl[];
  readonly comments: Comment[];
  readonly brokenNames: string[];
  /** Diagnostics of the parse, relative to the unit's start (offset 0, line 1). */
  readonly diagnostics: Diagnostic[];
  /** True when the parse had no parser errors, so the next chunk starts a fresh declaration. */
  readonly clean: boolean;
  /** For a merged unit: whether the following chunk parsed exactly as it does on its own. */
  verified = true;
  /** Token classes of the unit's own text, for the nesting limit. */
  readonly nesting: Uint8Array;
  /** Elaboration results of its strategies, by declaration index (strategy-record.ts). */
  readonly records: (StrategyRecord | undefined)[] = [];
  /** The layout that last placed this unit (each instance is placed once per layout). */
  lastUsed = -1;
  /** The layout that last looked at this unit (for eviction). */
  lastSeen = -1;
  /** A merged unit's whole parse, kept until its tail is verified against the following chunk. */
  tail: { parsed: ParseResult; boundary: number; boundaryLine: number } | undefined;
  /** Every distinct span object of `decls` and `comments`, moved together when placed. */
  private readonly spans: Span[];
  private placedStart = 0;
  private placedLine = 1;

  /**
   * Parses `text`; its first `ownLength` characters are the unit (the rest, a merged unit's
   * following chunk, is parsed only to see how the unit ends).
   */
  constructor(
    readonly text: string,
    readonly ownLength: number,
    file: string,
  ) {
    const parsed = parseStrat(text, file);
    // A whole unit owns everything, including an error at its very end (the end of the file).
    const own = (span: Span): boolean => ownLength === text.length || span.start < ownLength;
    this.decls = parsed.program.decls.filter((d) => own(d.span));
    this.comments = parsed.program.comments.filter((c) => own(c.span));
    this.brokenNames = [...(parsed.program.brokenNames ?? [])];
    // Copies, so moving the AST's spans never moves a diagnostic that shares one.
    this.diagnostics = parsed.sink.items
      .filter((d) => own(d.span))
      .map((d) => {
        const copy: Diagnostic = { ...d, span: movedSpan(d.span, 0, 0) };
        if (d.fix !== undefined) copy.fix = { ...d.fix, span: movedSpan(d.fix.span, 0, 0) };
        return copy;
      });
    this.clean = !parsed.sink.items.some((d) => PARSER_CODES.has(d.code));
    this.spans = [...collectSpans([this.decls, this.comments])];
    this.nesting = nestingClasses(ownLength === text.length ? text : text.slice(0, ownLength));
    if (ownLength < text.length) this.tail = { parsed, boundary: ownLength, boundaryLine: parsed.lines.position(ownLength).line };
  }

  /** Moves the unit's spans to start at `start` on `line`. */
  place(start: number, line: number): void {
    moveSpans(this.spans, start - this.placedStart, line - this.placedLine);
    this.placedStart = start;
    this.placedLine = line;
  }

  get start(): number {
    return this.placedStart;
  }

  get line(): number {
    return this.placedLine;
  }

  /** True when placed at `start` on `line` already. */
  isAt(start: number, line: number): boolean {
    return this.placedStart === start && this.placedLine === line;
  }

  /** The diagnostics, copied to where the unit is placed. */
  placedDiagnostics(): Diagnostic[] {
    return this.diagnostics.map((d) => {
      const copy: Diagnostic = { ...d, span: movedSpan(d.span, this.placedStart, this.placedLine - 1) };
      if (d.fix !== undefined) copy.fix = { ...d.fix, span: movedSpan(d.fix.span, this.placedStart, this.placedLine - 1) };
      return copy;
    });
  }

  /** Decls, comments and diagnostics as JSON relative to the unit's start (to compare parses). */
  relativeJson(): string {
    return relativeJson({ decls: this.decls, comments: this.comments, brokenNames: this.brokenNames }, this.placedStart, this.placedLine) + relativeJson(this.diagnostics, 0, 1);
  }

  /** The same JSON for the merged parse's tail, relative to the boundary. */
  tailJson(): string | null {
    if (this.tail === undefined) return null;
    const { parsed, boundary, boundaryLine } = this.tail;
    const tail = (span: Span): boolean => span.start >= boundary;
    const decls = parsed.program.decls.filter((d) => tail(d.span));
    // A declaration of the unit that runs past the boundary: the chunk did not parse on its own.
    if (parsed.program.decls.some((d) => d.span.start < boundary && d.span.end > boundary)) return null;
    if (parsed.sink.items.some((d) => d.span.start < boundary && d.span.end > boundary)) return null;
    const comments = parsed.program.comments.filter((c) => tail(c.span));
    const diagnostics = parsed.sink.items.filter((d) => tail(d.span));
    return relativeJson({ decls, comments, brokenNames: [] }, boundary, boundaryLine) + relativeJson(diagnostics, boundary, boundaryLine);
  }
}

/** Token classes of a text, as parse.ts's nesting check sees its tokens. */
function nestingClasses(text: string): Uint8Array {
  const tokens = stratLexer.tokenize(text).tokens;
  const classes = new Uint8Array(tokens.length);
  let n = 0;
  for (const token of tokens) {
    const name = token.tokenType.name;
    if (DROPPED.has(name)) continue;
    classes[n++] = (OPENERS.has(name) ? OPENER : 0) | (CLOSERS.has(name) ? CLOSER : 0) | (PREFIX_OPERATORS.has(name) ? PREFIX : 0) | (VALUE_ENDS.has(name) ? VALUE_END : 0);
  }
  return classes.subarray(0, n);
}
