/**
 * Registers the `.strat` language with Monaco: tokens (tokenizer.ts), brackets, `//` comment
 * toggling, auto-closing pairs and folding of `{ }` blocks.
 */
import * as monaco from "./monaco.js";
import { LANGUAGE_ID, TokenizerState, tokenizeLine } from "./tokenizer.js";

/** Colours for the token classes (of `.strat` and `.clj`), on top of Monaco's light theme. */
const THEME = "strat-light";

/** Registers the language once; safe to call again. */
export function registerStratLanguage(): void {
  if (monaco.languages.getLanguages().some((l) => l.id === LANGUAGE_ID)) return;
  monaco.languages.register({ id: LANGUAGE_ID, extensions: [".strat"], aliases: ["Strat", "strat"] });
  monaco.languages.setLanguageConfiguration(LANGUAGE_ID, {
    comments: { lineComment: "//", blockComment: ["/*", "*/"] },
    brackets: [
      ["{", "}"],
      ["[", "]"],
      ["(", ")"],
    ],
    autoClosingPairs: [
      { open: "{", close: "}" },
      { open: "[", close: "]" },
      { open: "(", close: ")" },
      { open: '"', close: '"', notIn: ["string", "comment"] },
    ],
    surroundingPairs: [
      { open: "{", close: "}" },
      { open: "(", close: ")" },
      { open: '"', close: '"' },
    ],
    // Folding by indentation would fold comments oddly; brace blocks are the structure.
    folding: { markers: { start: /^\s*\/\/\s*#?region\b/, end: /^\s*\/\/\s*#?endregion\b/ } },
    indentationRules: { increaseIndentPattern: /\{[^}]*$/, decreaseIndentPattern: /^\s*\}/ },
    wordPattern: /[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?%?/,
  });
  monaco.languages.setTokensProvider(LANGUAGE_ID, {
    getInitialState: () => new TokenizerState(false),
    tokenize: (line, state) => tokenizeLine(line, state as TokenizerState),
  });
  monaco.languages.registerFoldingRangeProvider(LANGUAGE_ID, { provideFoldingRanges: (model) => braceFolds(model) });
  monaco.editor.defineTheme(THEME, {
    base: "vs",
    inherit: true,
    rules: [
      { token: "keyword", foreground: "0000c0", fontStyle: "bold" },
      { token: "number", foreground: "098658" },
      { token: "string", foreground: "a31515" },
      { token: "comment", foreground: "6a8759", fontStyle: "italic" },
      { token: "operator", foreground: "5c5c5c" },
      { token: "invalid", foreground: "ff0000", fontStyle: "underline" },
      // Composer (.clj, composer-language.ts): indicators and `:keys`; the rest shares the classes above.
      { token: "function", foreground: "795e26" },
      { token: "key", foreground: "8a3ab9" },
      { token: "constant", foreground: "0000c0" },
    ],
    colors: {},
  });
}

/** The theme name registered above. */
export const STRAT_THEME = THEME;

/**
 * One folding range per `{ ... }` block spanning lines, skipping braces in comments and strings.
 * Monaco asks for these on the page's thread after every edit (and again for sticky scroll), so
 * this is a plain character scan, linear in the text, that reads strings and comments exactly as
 * the tokenizer (tokenizer.ts) does, so the folds are the ones its highlighting implies.
 */
function braceFolds(model: monaco.editor.ITextModel): monaco.languages.FoldingRange[] {
  const ranges: monaco.languages.FoldingRange[] = [];
  const open: number[] = [];
  let inComment = false;
  for (let line = 1; line <= model.getLineCount(); line++) {
    const text = model.getLineContent(line);
    let at = 0;
    if (inComment) {
      const end = text.indexOf("*/");
      if (end === -1) continue;
      at = end + 2;
      inComment = false;
    }
    while (at < text.length) {
      const ch = text[at];
      if (ch === '"') {
        at = stringEnd(text, at);
        continue;
      }
      if (ch === "/" && text[at + 1] === "/") break;
      if (ch === "/" && text[at + 1] === "*") {
        // As the lexer and the tokenizer read it: a block comment closed on this line ends at
        // its `*/`; otherwise it carries on to the next lines.
        const close = text.indexOf("*/", at + 2);
        if (close === -1) {
          inComment = true;
          break;
        }
        at = close + 2;
        continue;
      }
      if (ch === "{") open.push(line);
      else if (ch === "}") {
        const start = open.pop();
        if (start !== undefined && line - 1 > start) ranges.push({ start, end: line - 1, kind: monaco.languages.FoldingRangeKind.Region });
      }
      at++;
    }
  }
  return ranges;
}

/** Where the string starting at `at` ends (past its closing quote, or at an escape cut by the line's end, or the line's end). */
function stringEnd(line: string, at: number): number {
  let i = at + 1;
  while (i < line.length) {
    const ch = line[i];
    if (ch === '"') return i + 1;
    if (ch === "\\") {
      if (i + 1 >= line.length) return i;
      i += 2;
    } else i++;
  }
  return i;
}
