/**
 * Composer `.clj` text → EDN-ish forms (lists, vectors, maps, strings, keywords, symbols,
 * numbers, nil, booleans). The reader keeps its open brackets on an explicit stack instead of
 * recursing, so no input (not even 100,000 nested `(`) can overflow the call stack; past
 * MAX_COMPOSER_NESTING it stops with S1006 so the (recursive) converter never sees such depth.
 * It scans with `charCodeAt` and a class table because growth-sized files (MBs) must read in
 * milliseconds.
 */
import type { DiagnosticSink } from "../diagnostics.js";
import { MAX_COMPOSER_NESTING } from "../limits.js";
import type { LineIndex, Span } from "../source.js";
import { unescapeString } from "../strings.js";

/** `(...)`, `[...]` or `{...}`. `closed` is false when the reader had to close it itself (bracket error). */
export interface CollectionForm {
  kind: "list" | "vector" | "map";
  /** Children in source order; for a map, keys and values alternate (pairing is the caller's job). */
  items: Form[];
  closed: boolean;
  span: Span;
}

/** A string literal, escapes decoded. */
export interface StringForm {
  kind: "string";
  value: string;
  span: Span;
}

/** `:name`; `name` is without the colon. */
export interface KeywordForm {
  kind: "keyword";
  name: string;
  span: Span;
}

/** A bare symbol such as `asset`, `>=` or `-`. */
export interface SymbolForm {
  kind: "symbol";
  name: string;
  span: Span;
}

/** `-6`, `0.05`, `+3`: `text` exactly as written (sign included), `value` its double (NaN when malformed, already reported as S1010). */
export interface NumberForm {
  kind: "number";
  text: string;
  value: number;
  span: Span;
}

export interface NilForm {
  kind: "nil";
  span: Span;
}

export interface BoolForm {
  kind: "bool";
  value: boolean;
  span: Span;
}

/** One form read from a Composer file. */
export type Form = CollectionForm | StringForm | KeywordForm | SymbolForm | NumberForm | NilForm | BoolForm;

/** The top-level forms; `stopped` is true when reading was abandoned (nesting too deep) and `forms` is empty. */
export interface FormsResult {
  forms: Form[];
  stopped: boolean;
}

// Character classes for ASCII; anything >= 128 outside a string is unexpected.
const WS = 1;
const SYM_START = 2;
const SYM_PART = 4;
const DIGIT = 8;
const CLASS = new Uint8Array(128);
for (const ch of " \t\n\r\f\v,") CLASS[ch.charCodeAt(0)] = WS;
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z]/.test(ch)) CLASS[c] = SYM_START | SYM_PART;
  if (/[0-9]/.test(ch)) CLASS[c] = DIGIT | SYM_PART;
}
// EDN symbol characters; `#`, `:` and `'` may continue a symbol but not start one.
for (const ch of ".*+!-_?$%&=<>/") CLASS[ch.charCodeAt(0)] = SYM_START | SYM_PART;
for (const ch of "#:'") CLASS[ch.charCodeAt(0)] = SYM_PART;

const LPAREN = 40;
const RPAREN = 41;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const QUOTE = 34;
const BACKSLASH = 92;
const SEMICOLON = 59;
const COLON = 58;
const NEWLINE = 10;
const SPACE = 32;
const COMMA = 44;
const TAB = 9;
const CR = 13;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;

type CollectionKind = CollectionForm["kind"];

const OPENER: Record<CollectionKind, string> = { list: "(", vector: "[", map: "{" };
const CLOSER: Record<CollectionKind, string> = { list: ")", vector: "]", map: "}" };

const KINDS: readonly CollectionKind[] = ["list", "vector", "map"];

function classOf(c: number): number {
  return c < 128 ? (CLASS[c] ?? 0) : 0;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Characters that end a token: whitespace, brackets, quotes, comments, or end of text (NaN). */
function isDelimiter(c: number): boolean {
  return (
    Number.isNaN(c) ||
    (classOf(c) & WS) !== 0 ||
    c === LPAREN || c === RPAREN || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE ||
    c === QUOTE || c === SEMICOLON
  );
}

/** True when `token` is `[+-]?digits(.digits)?`, the only numbers Composer writes. */
function isNumberText(token: string): boolean {
  let i = 0;
  const first = token.charCodeAt(0);
  if (first === PLUS || first === MINUS) i = 1;
  const digitsFrom = i;
  while (i < token.length && isDigit(token.charCodeAt(i))) i++;
  if (i === digitsFrom) return false;
  if (i === token.length) return true;
  if (token.charCodeAt(i) !== DOT) return false;
  i++;
  const fracFrom = i;
  while (i < token.length && isDigit(token.charCodeAt(i))) i++;
  return i > fracFrom && i === token.length;
}

/**
 * Reads every top-level form of `text`, reporting S1001 (stray characters), S1003 (unclosed
 * string), S1008 (bad escape), S1010 (malformed number), S1101 (unbalanced or mismatched
 * bracket) and S1006 (nesting deeper than MAX_COMPOSER_NESTING; reading stops) into `sink`.
 * Form spans equal `lines.span(start, end)`. Never throws. `lines` must index the same `text`.
 */
export function readForms(text: string, lines: LineIndex, sink: DiagnosticSink): FormsResult {
  const length = text.length;
  // Forms read but not yet wrapped, for every open bracket at once: the items of the bracket at
  // depth d start at bases[d]; below bases[0] are the top-level forms. One shared array, sliced
  // to size on close, instead of a growing (over-allocated) array per bracket: big files are
  // mostly small lists, and their memory is what the GC spends its time on.
  const pending: Form[] = [];
  // The open brackets, as parallel typed arrays (nesting is bounded, so they never grow).
  const kinds = new Uint8Array(MAX_COMPOSER_NESTING);
  const starts = new Int32Array(MAX_COMPOSER_NESTING);
  const openLines = new Int32Array(MAX_COMPOSER_NESTING);
  const openCols = new Int32Array(MAX_COMPOSER_NESTING);
  const bases = new Int32Array(MAX_COMPOSER_NESTING);
  let depth = 0;
  // A byte-order mark is not part of the text (editors on Windows add one).
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // The line being scanned and its first offset. Tracked as the scan passes each "\n" because
  // a LineIndex binary search per span was 40% of the reading time; diagnostics (rare) still ask `lines`.
  let line = 1;
  let lineStart = 0;
  // After an unclosed string the rest of the file is string body; unclosed brackets are a consequence.
  let endedInString = false;
  // Offset of the next backslash at or after the current string, refreshed lazily; -1 when none is left.
  let nextBackslash = 0;

  /** A span on the current line (no line break between `start` and `end`). */
  const here = (start: number, end: number): Span => ({
    start,
    end,
    line,
    col: start - lineStart + 1,
    endLine: line,
    endCol: end - lineStart + 1,
  });

  /** Wraps the innermost open bracket's items into its form, ending at `end`. */
  const closeInnermost = (end: number, closed: boolean): void => {
    depth--;
    const base = bases[depth]!;
    const items = pending.slice(base);
    pending.length = base;
    const span: Span = { start: starts[depth]!, end, line: openLines[depth]!, col: openCols[depth]!, endLine: line, endCol: end - lineStart + 1 };
    pending.push({ kind: KINDS[kinds[depth]!]!, items, closed, span });
  };

  while (pos < length) {
    let c = text.charCodeAt(pos);
    // Indentation is most of a Composer file (80% of growth_blend.clj): skip it in a tight loop.
    while (c === SPACE || c === NEWLINE || c === COMMA || c === TAB || c === CR) {
      if (c === NEWLINE) {
        line++;
        lineStart = pos + 1;
      }
      if (++pos >= length) break;
      c = text.charCodeAt(pos);
    }
    if (pos >= length) break;
    const cls = classOf(c);
    if ((cls & WS) !== 0) {
      pos++;
      continue;
    }
    if (c === SEMICOLON) {
      const eol = text.indexOf("\n", pos);
      if (eol < 0) pos = length;
      else {
        pos = eol + 1;
        line++;
        lineStart = pos;
      }
      continue;
    }
    if (c === LPAREN || c === LBRACKET || c === LBRACE) {
      if (depth >= MAX_COMPOSER_NESTING) {
        sink.add("nestingTooDeep", here(pos, pos + 1), `brackets are nested deeper than ${MAX_COMPOSER_NESTING} levels`, {
          hint: "Composer files this deep are not supported; the largest real symphonies nest about 100 levels",
        });
        return { forms: [], stopped: true };
      }
      kinds[depth] = c === LPAREN ? 0 : c === LBRACKET ? 1 : 2;
      starts[depth] = pos;
      openLines[depth] = line;
      openCols[depth] = pos - lineStart + 1;
      bases[depth] = pending.length;
      depth++;
      pos++;
      continue;
    }
    if (c === RPAREN || c === RBRACKET || c === RBRACE) {
      const kindIndex = c === RPAREN ? 0 : c === RBRACKET ? 1 : 2;
      const kind = KINDS[kindIndex]!;
      const ch = CLOSER[kind];
      if (depth === 0) {
        sink.add("unbalancedBracket", here(pos, pos + 1), `unexpected '${ch}': no '${OPENER[kind]}' is open`, {
          hint: `remove this '${ch}'`,
        });
      } else if (kinds[depth - 1] === kindIndex) {
        closeInnermost(pos + 1, true);
      } else {
        const open = KINDS[kinds[depth - 1]!]!;
        sink.add(
          "unbalancedBracket",
          here(pos, pos + 1),
          `expected '${CLOSER[open]}' to close '${OPENER[open]}' at ${openLines[depth - 1]}:${openCols[depth - 1]} but found '${ch}'`,
        );
        // Recover at the nearest enclosing opener this closer matches (the inner ones lack their
        // closer); with none, the closer is taken as a mistyped closer of the innermost opener.
        let match = depth - 1;
        for (let i = depth - 1; i >= 0; i--) {
          if (kinds[i] === kindIndex) {
            match = i;
            break;
          }
        }
        while (depth > match + 1) closeInnermost(pos, false);
        closeInnermost(pos + 1, true);
      }
      pos++;
      continue;
    }
    if (c === QUOTE) {
      // indexOf finds the closing quote natively; only a string holding a backslash needs the slow walk.
      if (nextBackslash >= 0 && nextBackslash <= pos) nextBackslash = text.indexOf("\\", pos + 1);
      let j = text.indexOf('"', pos + 1);
      const escaped = nextBackslash >= 0 && (j < 0 || nextBackslash < j);
      if (escaped) {
        j = pos + 1;
        while (j < length) {
          const d = text.charCodeAt(j);
          if (d === QUOTE) break;
          j += d === BACKSLASH ? 2 : 1;
        }
      } else if (j < 0) j = length;
      if (j >= length) {
        const eol = text.indexOf("\n", pos);
        sink.add("unterminatedString", here(pos, eol < 0 ? length : eol), "string is not closed before the end of the file", {
          hint: 'add the closing "',
        });
        endedInString = true;
        break;
      }
      const body = text.slice(pos + 1, j);
      let value = body;
      if (escaped) {
        const decoded = unescapeString(body);
        value = decoded.value;
        if (decoded.badEscapeAt !== null) {
          const at = pos + 1 + decoded.badEscapeAt;
          sink.add("badEscape", lines.span(at, at + 2), `unknown escape '${text.slice(at, at + 2)}' in string`, {
            hint: 'strings know \\" \\\\ \\n and \\t',
          });
        }
      }
      const eol = text.indexOf("\n", pos + 1);
      if (eol >= 0 && eol < j) {
        // A string spanning lines (rare): let the index place its end, then resync the line.
        const span = lines.span(pos, j + 1);
        line = span.endLine;
        lineStart = j + 1 - (span.endCol - 1);
        pending.push({ kind: "string", value, span });
      } else pending.push({ kind: "string", value, span: here(pos, j + 1) });
      pos = j + 1;
      continue;
    }
    if (c === COLON) {
      let j = pos + 1;
      while (j < length && (classOf(text.charCodeAt(j)) & SYM_PART) !== 0) j++;
      if (j === pos + 1) {
        sink.add("unexpectedCharacter", here(pos, pos + 1), "a ':' must start a keyword such as :window");
        pos++;
        continue;
      }
      pending.push({ kind: "keyword", name: text.slice(pos + 1, j), span: here(pos, j) });
      pos = j;
      continue;
    }
    if ((cls & (SYM_START | DIGIT)) !== 0) {
      let j = pos + 1;
      while (j < length && (classOf(text.charCodeAt(j)) & SYM_PART) !== 0) j++;
      const token = text.slice(pos, j);
      const span = here(pos, j);
      const numeric = (cls & DIGIT) !== 0 || ((c === PLUS || c === MINUS) && j > pos + 1 && isDigit(text.charCodeAt(pos + 1)));
      if (numeric) {
        if (isNumberText(token)) pending.push({ kind: "number", text: token, value: Number(token), span });
        else {
          sink.add("badNumber", span, `malformed number '${token}'`, { hint: "write digits with an optional sign and decimals, e.g. -6 or 0.05" });
          // Still a number (NaN) where it stands, so the converter does not also report a missing argument.
          pending.push({ kind: "number", text: token, value: Number.NaN, span });
        }
      } else if (token === "nil") pending.push({ kind: "nil", span });
      else if (token === "true" || token === "false") pending.push({ kind: "bool", value: token === "true", span });
      else pending.push({ kind: "symbol", name: token, span });
      pos = j;
      continue;
    }
    // A run of characters that start no form is one diagnostic, not one per character.
    let j = pos + 1;
    while (j < length) {
      const d = text.charCodeAt(j);
      if (isDelimiter(d) || d === COLON || (classOf(d) & (SYM_START | DIGIT)) !== 0) break;
      j++;
    }
    const shown = text.slice(pos, Math.min(j, pos + 20));
    sink.add("unexpectedCharacter", here(pos, j), `unexpected character${j - pos > 1 ? "s" : ""} '${shown}'`);
    pos = j;
  }

  if (depth > 0) {
    const end = lines.position(length);
    line = end.line;
    lineStart = length - (end.col - 1);
    if (!endedInString) {
      const open = KINDS[kinds[depth - 1]!]!;
      const at = starts[depth - 1]!;
      sink.add(
        "unbalancedBracket",
        lines.span(at, at + 1),
        `'${OPENER[open]}' at ${openLines[depth - 1]}:${openCols[depth - 1]} is never closed (the file ends at ${end.line}:${end.col})`,
        { hint: `add the missing '${CLOSER[open]}'` },
      );
    }
    // Keep what was read so the converter can still report problems inside the open forms.
    while (depth > 0) closeInnermost(length, false);
  }
  return { forms: pending, stopped: false };
}
