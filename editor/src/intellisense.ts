/**
 * Completion, hover, go to definition and format document for `.strat`, from the indicator
 * registry (src/ir/indicators.ts), the lexer's keywords and the last check's symbols.
 */
import definitions from "../../grammar/strat.tokens.json";
import { INDICATORS, type IndicatorSpec } from "../../src/ir/indicators.js";
import { api, type TickerReply } from "./api.js";
import type { CompilerClient } from "./compiler-client.js";
import { monacoRange, type LiveDiagnostics } from "./diagnostics.js";
import * as monaco from "./monaco.js";
import { LANGUAGE_ID } from "./tokenizer.js";

const indicators: IndicatorSpec[] = Object.values(INDICATORS);

/** Markdown documentation of an indicator: signature, unit, formula. */
export function indicatorDoc(spec: IndicatorSpec): string {
  return `**${spec.signature}** — unit: \`${spec.unit}\`\n\n${spec.formula}\n\nComposer: \`${spec.composer}\``;
}

function snippetOf(spec: IndicatorSpec): string {
  return spec.windowed ? `${spec.name}(\${1:T}, \${2:N})` : `${spec.name}(\${1:T})`;
}

function wordRange(model: monaco.editor.ITextModel, position: monaco.Position): { word: string; range: monaco.Range } | null {
  const word = model.getWordAtPosition(position);
  if (word === null) return null;
  return { word: word.word, range: new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn) };
}

/** Each ticker's range in the local data, asked once per page. */
const tickerRanges = new Map<string, Promise<TickerReply | null>>();

/** Hover text of a ticker: its first and last bar date in the local (synthetic) data. */
async function tickerDoc(ticker: string): Promise<string> {
  let range = tickerRanges.get(ticker);
  if (range === undefined) {
    range = api.ticker(ticker).catch(() => null);
    tickerRanges.set(ticker, range);
  }
  const found = await range;
  if (found === null) return `ticker **${ticker}**`;
  if (found.first === null || found.last === null) return `ticker **${ticker}** — no bars in the local data`;
  return `ticker **${ticker}** — local data: ${found.first} → ${found.last} (${found.bars} bars)`;
}

/** Registers the providers; `fileOf` names a model's file for the compiler. */
export function registerIntellisense(live: LiveDiagnostics, compiler: CompilerClient, fileOf: (model: monaco.editor.ITextModel) => string): void {
  const { CompletionItemKind: Kind, CompletionItemInsertTextRule: Rule } = monaco.languages;

  monaco.languages.registerCompletionItemProvider(LANGUAGE_ID, {
    provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      const { symbols } = live;
      const suggestions: monaco.languages.CompletionItem[] = [
        ...definitions.keywords.map((k) => ({ label: k, kind: Kind.Keyword, insertText: k, range })),
        ...indicators.map((spec) => ({
          label: spec.name,
          kind: Kind.Function,
          detail: `${spec.signature} → ${spec.unit}`,
          documentation: { value: indicatorDoc(spec) },
          insertText: snippetOf(spec),
          insertTextRules: Rule.InsertAsSnippet,
          range,
        })),
        ...symbols.tickers.map((t) => ({ label: t, kind: Kind.Constant, detail: "ticker", insertText: t, range })),
        ...symbols.params.map((p) => ({ label: p.name, kind: Kind.Variable, detail: `param = ${p.value}${p.domain === null ? "" : ` in ${p.domain}`}`, insertText: p.name, range })),
        ...symbols.lets.map((l) => ({ label: l.name, kind: Kind.Function, detail: "let", documentation: { value: `\`\`\`strat\n${l.definition}\n\`\`\`` }, insertText: l.name, range })),
        ...symbols.imports.map((name) => ({ label: name, kind: Kind.Module, detail: "import", insertText: name, range })),
      ];
      return { suggestions };
    },
  });

  monaco.languages.registerHoverProvider(LANGUAGE_ID, {
    async provideHover(model, position) {
      const at = wordRange(model, position);
      if (at === null) return null;
      const spec = indicators.find((s) => s.name === at.word);
      const param = live.symbols.params.find((p) => p.name === at.word);
      const let_ = live.symbols.lets.find((l) => l.name === at.word);
      let text: string | null = null;
      if (param !== undefined) text = `**param ${param.name}** — default \`${param.value}\`${param.domain === null ? ", fixed" : `, range \`${param.domain}\``}`;
      else if (let_ !== undefined) text = `\`\`\`strat\n${let_.definition}\n\`\`\``;
      else if (spec !== undefined) text = indicatorDoc(spec);
      else if (live.symbols.tickers.includes(at.word)) text = await tickerDoc(at.word);
      return text === null ? null : { range: at.range, contents: [{ value: text }] };
    },
  });

  monaco.languages.registerDefinitionProvider(LANGUAGE_ID, {
    provideDefinition(model, position) {
      const at = wordRange(model, position);
      if (at === null) return null;
      const found = live.symbols.params.find((p) => p.name === at.word) ?? live.symbols.lets.find((l) => l.name === at.word);
      return found === undefined ? null : { uri: model.uri, range: monacoRange(found.range) };
    },
  });

  monaco.languages.registerDocumentFormattingEditProvider(LANGUAGE_ID, {
    async provideDocumentFormattingEdits(model) {
      const result = await compiler.format(fileOf(model), model.getValue());
      // With syntax errors the formatter refuses (it would drop text); the markers say why.
      if (result.text === null || result.text === model.getValue()) return [];
      return [{ range: model.getFullModelRange(), text: result.text }];
    },
  });
}
