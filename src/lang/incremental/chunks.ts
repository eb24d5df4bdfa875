/**
 * Splits `.strat` text into chunks at the lines where a top-level declaration starts. A chunk
 * boundary is a line start, outside block comments, whose line begins (column 1) with `import`,
 * `param`, `let`, `strategy` or `portfolio` as a whole word. Strings and comments are skipped
 * exactly as the lexer reads them (tokens.ts), so a boundary is always a token boundary and no
 * token crosses it. The boundaries are only candidates: whether the parser really restarts a
 * declaration there is checked by the unit layout (units.ts), which merges chunks when unsure.
 */

/** Where a chunk starts: offset and 1-based line. A chunk runs to the next chunk's start. */
export interface ChunkStart {
  start: number;
  line: number;
}

const DECLARATION_KEYWORDS = ["import", "param", "let", "strategy", "portfolio"];

const NEWLINE = 10;
const QUOTE = 34;
const BACKSLASH = 92;
const SLASH = 47;
const STAR = 42;
const CR = 13;

function isIdentifierChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** True when a declaration keyword, as a whole word, starts at `at`. */
function startsDeclaration(text: string, at: number): boolean {
  const first = text.charCodeAt(at);
  // Cheap reject: every keyword starts with one of i, p, l, s.
  if (first !== 105 && first !== 112 && first !== 108 && first !== 115) return false;
  for (const keyword of DECLARATION_KEYWORDS) {
    if (text.startsWith(keyword, at) && !isIdentifierChar(text.charCodeAt(at + keyword.length))) return true;
  }
  return false;
}

/**
 * The chunk starts of `text`, in order. The first chunk always starts at 0 (it may hold only
 * comments, or text before the first declaration).
 */
export function scanChunks(text: string): ChunkStart[] {
  const chunks: ChunkStart[] = [{ start: 0, line: 1 }];
  const length = text.length;
  let line = 1;
  let at = 0;
  let lineStart = true;
  while (at < length) {
    if (lineStart) {
      lineStart = false;
      if (at > 0 && startsDeclaration(text, at)) chunks.push({ start: at, line });
    }
    const code = text.charCodeAt(at);
    if (code === NEWLINE) {
      line++;
      at++;
      lineStart = true;
    } else if (code === QUOTE) {
      // StringLiteral / UnterminatedString: up to the closing quote or the end of the line.
      at++;
      while (at < length) {
        const c = text.charCodeAt(at);
        if (c === QUOTE) {
          at++;
          break;
        }
        if (c === NEWLINE || c === CR) break;
        if (c === BACKSLASH) {
          const next = text.charCodeAt(at + 1);
          at += at + 1 < length && next !== NEWLINE && next !== CR ? 2 : 1;
          // A backslash before a line break ends the (unterminated) string at the backslash.
          if (next === NEWLINE || next === CR) break;
          continue;
        }
        at++;
      }
    } else if (code === SLASH && text.charCodeAt(at + 1) === SLASH) {
      // LineComment: to the end of the line (the newline itself is not part of it).
      const end = text.indexOf("\n", at);
      at = end === -1 ? length : end;
    } else if (code === SLASH && text.charCodeAt(at + 1) === STAR) {
      const end = text.indexOf("*/", at + 2);
      // An unterminated block comment runs to the end of the file: no boundary after it.
      if (end === -1) return chunks;
      for (let i = text.indexOf("\n", at); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) line++;
      at = end + 2;
    } else {
      at++;
    }
  }
  return chunks;
}
