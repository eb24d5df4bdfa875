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

/** One folding range per `{ ... }` block spanning lines, skipping braces in comments and strings. */
function braceFolds(model: monaco.editor.ITextModel): monaco.languages.FoldingRange[] {
  const ranges: monaco.languages.FoldingRange[] = [];
  const open: number[] = [];
  let state = new TokenizerState(false);
  for (let line = 1; line <= model.getLineCount(); line++) {
    const text = model.getLineContent(line);
    const { tokens, endState } = tokenizeLine(text, state);
    state = endState;
    tokens.forEach((token, i) => {
      if (!token.scopes.startsWith("delimiter")) return;
      const end = tokens[i + 1]?.startIndex ?? text.length;
      for (const ch of text.slice(token.startIndex, end)) {
        if (ch === "{") open.push(line);
        else if (ch === "}") {
          const start = open.pop();
          if (start !== undefined && line - 1 > start) ranges.push({ start, end: line - 1, kind: monaco.languages.FoldingRangeKind.Region });
        }
      }
    });
  }
  return ranges;
}
