/**
 * Completion, hover, go to definition and format document for `.strat`, from the indicator
 * registry (src/ir/indicators.ts), the lexer's keywords and the last check's symbols. After
 * `alias.` completion offers the imported module's lets; definitions in imported files are
 * import-navigation.ts's.
 */
import definitions from "../../grammar/strat.tokens.json";
import { INDICATORS, type IndicatorSpec } from "../../src/ir/indicators.js";
import { api, type TickerReply } from "./api.js";
import type { CompilerClient } from "./compiler-client.js";
import { monacoRange, type LiveDiagnostics } from "./diagnostics.js";
import { importTargetAt, qualifierAt, type ImportTarget } from "./import-navigation.js";
import * as monaco from "./monaco.js";
import type { ModuleSymbol } from "./protocol.js";
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

const letDoc = (definition: string, module?: ModuleSymbol): string => `\`\`\`strat\n${definition}\n\`\`\`${module === undefined ? "" : `\n\nfrom \`${module.file ?? module.path}\``}`;

/** The module imported as the alias before the word at `position`, when there is one. */
function qualifyingModule(live: LiveDiagnostics, model: monaco.editor.ITextModel, position: monaco.IPosition): ModuleSymbol | null {
  const alias = qualifierAt(model, position);
  return alias === null ? null : (live.symbols.modules?.find((m) => m.alias === alias) ?? null);
}

/**
 * Registers the providers; `fileOf` names a model's file for the compiler, `openImport` turns a
 * definition in another file into a location (loading that file).
 */
export function registerIntellisense(
  live: LiveDiagnostics,
  compiler: CompilerClient,
  fileOf: (model: monaco.editor.ITextModel) => string,
  openImport: (target: ImportTarget, fromFile: string) => Promise<monaco.languages.Location>,
): void {
  const { CompletionItemKind: Kind, CompletionItemInsertTextRule: Rule } = monaco.languages;

  monaco.languages.registerCompletionItemProvider(LANGUAGE_ID, {
    triggerCharacters: ["."],
    provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      const { symbols } = live;
      // `hedges.|`: only what the module exports makes sense here.
      const module = qualifyingModule(live, model, position);
      if (module !== null) {
        return {
          suggestions: module.lets.map((l) => ({
            label: l.name,
            kind: Kind.Function,
            detail: `let of ${module.file ?? module.path}`,
            documentation: { value: letDoc(l.definition, module) },
            insertText: l.name,
            range,
          })),
        };
      }
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
        ...symbols.lets.map((l) => ({ label: l.name, kind: Kind.Function, detail: "let", documentation: { value: letDoc(l.definition) }, insertText: l.name, range })),
        ...symbols.imports.map((name) => {
          const imported = symbols.modules?.find((m) => m.alias === name);
          return { label: name, kind: Kind.Module, detail: `import ${imported?.file ?? imported?.path ?? ""}`.trim(), insertText: name, range };
        }),
        // The modules' lets, qualified, so `risk` finds `hedges.risk_off` too.
        ...(symbols.modules ?? []).flatMap((m) =>
          m.lets.map((l) => ({ label: `${m.alias}.${l.name}`, kind: Kind.Function, detail: `let of ${m.file ?? m.path}`, documentation: { value: letDoc(l.definition, m) }, filterText: `${m.alias}.${l.name} ${l.name}`, insertText: `${m.alias}.${l.name}`, range })),
        ),
      ];
      return { suggestions };
    },
  });

  monaco.languages.registerHoverProvider(LANGUAGE_ID, {
    async provideHover(model, position) {
      const at = wordRange(model, position);
      if (at === null) return null;
      const spec = indicators.find((s) => s.name === at.word);
      const module = qualifyingModule(live, model, position);
      if (module !== null) {
        const imported = module.lets.find((l) => l.name === at.word);
        return imported === undefined ? null : { range: at.range, contents: [{ value: letDoc(imported.definition, module) }] };
      }
      const param = live.symbols.params.find((p) => p.name === at.word);
      const let_ = live.symbols.lets.find((l) => l.name === at.word);
      const alias = live.symbols.modules?.find((m) => m.alias === at.word);
      let text: string | null = null;
      if (alias !== undefined) text = `**import ${alias.alias}** — \`${alias.file ?? `${alias.path} (not found)`}\`: ${alias.lets.map((l) => l.name).join(", ") || "no lets"}`;
      else if (param !== undefined) text = `**param ${param.name}** — default \`${param.value}\`${param.domain === null ? ", fixed" : `, range \`${param.domain}\``}`;
      else if (let_ !== undefined) text = letDoc(let_.definition);
      else if (spec !== undefined) text = indicatorDoc(spec);
      else if (live.symbols.tickers.includes(at.word)) text = await tickerDoc(at.word);
      return text === null ? null : { range: at.range, contents: [{ value: text }] };
    },
  });

  monaco.languages.registerDefinitionProvider(LANGUAGE_ID, {
    provideDefinition(model, position) {
      // Imported names and paths first: `hedges.risk_off` must not jump to a local `risk_off`.
      const target = importTargetAt(live.symbols, model, position);
      if (target !== null) return openImport(target, fileOf(model));
      const at = wordRange(model, position);
      if (at === null || qualifierAt(model, position) !== null) return null;
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
