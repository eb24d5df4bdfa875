/**
 * Highlighting of Composer symphonies (`.clj`), which the editor opens, checks and converts.
 * A Monarch tokenizer: Composer's EDN has no lexer of ours to generate tokens from, and a
 * handful of regular expressions covers it. Token types are `<class>.clj`:
 *
 * - `keyword`: the structural forms (`defsymphony`, `weight-equal`, `if`, `filter`, `group`, `asset`, ...)
 * - `function`: the indicators, by their Composer names from the registry (`rsi`, `cumulative-return`, ...)
 * - `key`: `:keywords` (`:window`, `:asset-class`)
 * - `operator`: comparisons (`>`, `<=`); `constant`: `true`, `false`, `nil`
 * - `string`, `number`, `comment` (`;` to the end of the line), `identifier`, `white` (commas too)
 * - `delimiter.parenthesis` / `delimiter.square` / `delimiter.curly`: the brackets
 */
import { INDICATORS } from "../../src/ir/indicators.js";
import * as monaco from "./monaco.js";

/** The language id of `.clj` models. */
export const COMPOSER_LANGUAGE_ID = "composer";

/** Forms that shape the tree (the reader in src/lang/composer/symphony.ts knows these). */
export const COMPOSER_FORMS = [
  "defsymphony",
  "weight-equal",
  "weight-specified",
  "weight-inverse-volatility",
  "weight-inverse-vol",
  "if",
  "filter",
  "group",
  "asset",
  "select-top",
  "select-bottom",
];

/** Indicator names as Composer writes them. */
const COMPOSER_FUNCTIONS = Object.values(INDICATORS).map((spec) => spec.composer);

const tokens: monaco.languages.IMonarchLanguage = {
  defaultToken: "invalid",
  tokenPostfix: ".clj",
  keywords: COMPOSER_FORMS,
  functions: COMPOSER_FUNCTIONS,
  constants: ["true", "false", "nil"],
  operators: [">", "<", ">=", "<=", "=", "not="],
  brackets: [
    { open: "(", close: ")", token: "delimiter.parenthesis" },
    { open: "[", close: "]", token: "delimiter.square" },
    { open: "{", close: "}", token: "delimiter.curly" },
  ],
  tokenizer: {
    root: [
      [/;.*$/, "comment"],
      // Commas are whitespace in EDN.
      [/[\s,]+/, "white"],
      [/"/, "string", "@string"],
      [/:[^\s,()[\]{}";]+/, "key"],
      [/[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/, "number"],
      [/[()[\]{}]/, "@brackets"],
      [/[^\s,()[\]{}";:\d][^\s,()[\]{}";]*/, { cases: { "@keywords": "keyword", "@functions": "function", "@constants": "constant", "@operators": "operator", "@default": "identifier" } }],
    ],
    // Strings may span lines; Monarch carries the state to the next one.
    string: [
      [/[^\\"]+/, "string"],
      [/\\./, "string.escape"],
      [/"/, "string", "@pop"],
    ],
  },
};

/** Registers the `.clj` language once; safe to call again. */
export function registerComposerLanguage(): void {
  if (monaco.languages.getLanguages().some((l) => l.id === COMPOSER_LANGUAGE_ID)) return;
  monaco.languages.register({ id: COMPOSER_LANGUAGE_ID, extensions: [".clj"], aliases: ["Composer symphony", "clj"] });
  monaco.languages.setLanguageConfiguration(COMPOSER_LANGUAGE_ID, {
    comments: { lineComment: ";" },
    brackets: [
      ["(", ")"],
      ["[", "]"],
      ["{", "}"],
    ],
    autoClosingPairs: [
      { open: "(", close: ")" },
      { open: "[", close: "]" },
      { open: "{", close: "}" },
      { open: '"', close: '"', notIn: ["string", "comment"] },
    ],
    surroundingPairs: [
      { open: "(", close: ")" },
      { open: "[", close: "]" },
      { open: '"', close: '"' },
    ],
    // Composer names contain dashes (`weight-equal`): keep them one word for double-click and hover.
    wordPattern: /-?\d+(?:\.\d+)?|:?[A-Za-z_*+!?<>=][\w*+!?<>=-]*/,
  });
  monaco.languages.setMonarchTokensProvider(COMPOSER_LANGUAGE_ID, tokens);
}
