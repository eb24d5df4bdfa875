/** The page's test hooks (editor/src/main.ts), as the browser tests see them. */
import type * as monaco from "monaco-editor";

interface StratHooks {
  monaco: typeof monaco;
  editor: monaco.editor.IStandaloneCodeEditor;
  live: {
    diagnostics: { code: string }[];
    symbols: {
      params: { name: string }[];
      lets: { name: string }[];
      tickers: string[];
      modules?: { alias: string; file: string | null; lets: { name: string }[] }[];
    };
  };
  ready: boolean;
}

// The root tsconfig has no DOM library: the hooks are declared on globalThis, which in the
// page is `window`.
declare global {
  var strat: StratHooks;
}
