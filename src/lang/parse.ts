/**
 * `.strat` text → AST: lex, bound the nesting, parse with recovery, build the AST.
 * Never throws on user input; every problem becomes a diagnostic.
 */
import type { IToken } from "chevrotain";
import { AstBuilder, tokenSpan } from "./ast-builder.js";
import { DiagnosticSink } from "./diagnostics.js";
import { MAX_STRAT_NESTING } from "./limits.js";
import { emptyProgram, rejectOversized, type ParseResult } from "./parse-result.js";
import { stratParser } from "./parser.js";
import { LineIndex, type Span } from "./source.js";
import { stratLexer } from "./tokens.js";

export type { ParseResult };

const OPENERS = new Set(["LCurly", "LParen", "LBracket"]);
const CLOSERS = new Set(["RCurly", "RParen", "RBracket"]);
const PREFIX_OPERATORS = new Set(["Minus", "Not"]);
const VALUE_ENDS = new Set(["Identifier", "NumberLiteral", "Percent", "StringLiteral", "RParen", "RBracket", "True", "False", "Time"]);

/** The first token past the nesting limit, or null when the nesting is fine. */
function tooDeep(tokens: IToken[]): IToken | null {
  let depth = 0;
  let prefixRun = 0;
  let previous: string | null = null;
  for (const token of tokens) {
    const name = token.tokenType.name;
    if (OPENERS.has(name)) depth++;
    else if (CLOSERS.has(name)) depth = Math.max(0, depth - 1);
    if (PREFIX_OPERATORS.has(name) && (previous === null || !VALUE_ENDS.has(previous))) prefixRun++;
    else prefixRun = 0;
    if (depth + prefixRun > MAX_STRAT_NESTING) return token;
    previous = name;
  }
  return null;
}

/** Parses one `.strat` source. `file` is only used to label diagnostics. */
export function parseStrat(text: string, file: string): ParseResult {
  const oversized = rejectOversized(text, file);
  if (oversized !== null) return oversized;
  const sink = new DiagnosticSink(file);
  const lines = new LineIndex(text);
  const lexed = stratLexer.tokenize(text);
  for (const error of lexed.errors) {
    const span = lines.span(error.offset, error.offset + Math.max(1, error.length));
    const ch = text.slice(error.offset, error.offset + Math.min(error.length, 20));
    const hint = ch.startsWith("&") ? "write 'and'" : ch.startsWith("|") ? "write 'or'" : ch.startsWith("!") ? "write 'not'" : undefined;
    sink.add("unexpectedCharacter", span, `unexpected character${error.length > 1 ? "s" : ""} '${ch}'`, hint === undefined ? {} : { hint });
  }
  const tokens: IToken[] = [];
  const commaOffsets = new Set<number>();
  for (const token of lexed.tokens) {
    const name = token.tokenType.name;
    if (name === "UnterminatedString") {
      sink.add("unterminatedString", tokenSpan(token), "string is not closed before the end of the line", {
        hint: 'add the closing "',
      });
      continue;
    }
    if (name === "UnterminatedComment") {
      const span: Span = lines.span(token.startOffset, token.startOffset + 2);
      sink.add("unterminatedComment", span, "comment is not closed before the end of the file", { hint: "add */" });
      continue;
    }
    if (name === "Comma") commaOffsets.add(token.startOffset);
    tokens.push(token);
  }
  const deep = tooDeep(tokens);
  if (deep !== null) {
    sink.add("nestingTooDeep", tokenSpan(deep), `nesting is deeper than ${MAX_STRAT_NESTING} levels`, {
      hint: "split the tree into lets",
    });
    return { program: emptyProgram(file, lines), sink, lines };
  }
  const parser = stratParser();
  parser.input = tokens;
  const cst = parser.program();
  const seen = new Set<number>();
  for (const error of parser.errors) {
    const token = error.token;
    const atEnd = token.tokenType.name === "EOF" || Number.isNaN(token.startOffset);
    const offset = atEnd ? text.length : token.startOffset;
    if (seen.has(offset)) continue;
    seen.add(offset);
    const span = atEnd ? lines.span(text.length, text.length) : tokenSpan(token);
    sink.add(atEnd ? "unexpectedEnd" : "unexpectedToken", span, error.message);
  }
  const comments = (lexed.groups.comments ?? []).map((t) => ({ text: t.image, span: tokenSpan(t) }));
  const builder = new AstBuilder(sink, commaOffsets);
  const program = builder.program(cst, file, comments, lines.span(0, text.length));
  return { program, sink, lines };
}
