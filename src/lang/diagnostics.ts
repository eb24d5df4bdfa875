/**
 * The diagnostic catalogue: every message the compiler can give, with a stable code.
 * S1xxx syntax (lexer, parser, Composer reader), S2xxx names and types, S3xxx strategy rules.
 * Codes never change meaning once released; the editor, `--json` output and docs key on them.
 */
import type { Span } from "./source.js";

export type Severity = "error" | "warning";

/** A textual fix: replace `span` of the file with `text`. */
export interface FixIt {
  span: Span;
  text: string;
  /** Short label, e.g. for an editor quick fix ("write -6%"). */
  title: string;
}

/** One finding, located in one file. */
export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  file: string;
  span: Span;
  hint?: string;
  fix?: FixIt;
}

interface Entry {
  code: string;
  severity: Severity;
  /** One line for docs: what this diagnostic is about. */
  about: string;
}

/** The catalogue. Keys are the names used in code; `code` is what users see. */
export const CATALOGUE = {
  unexpectedCharacter: { code: "S1001", severity: "error", about: "a character that starts no token" },
  unexpectedToken: { code: "S1002", severity: "error", about: "a token the grammar does not allow here" },
  unterminatedString: { code: "S1003", severity: "error", about: "a string without its closing quote" },
  unterminatedComment: { code: "S1004", severity: "error", about: "a /* comment without its closing */" },
  missingSeparator: { code: "S1005", severity: "error", about: "two children on one line without a comma" },
  nestingTooDeep: { code: "S1006", severity: "error", about: "brackets nested deeper than the compiler accepts" },
  fileTooLarge: { code: "S1007", severity: "error", about: "a source file larger than the compiler accepts" },
  badEscape: { code: "S1008", severity: "error", about: "an unknown escape sequence in a string" },
  unexpectedEnd: { code: "S1009", severity: "error", about: "the file ends in the middle of a construct" },
  badNumber: { code: "S1010", severity: "error", about: "a malformed number" },
  unbalancedBracket: { code: "S1101", severity: "error", about: "Composer: a bracket that does not match" },
  unknownForm: { code: "S1102", severity: "error", about: "Composer: a form Strat does not know" },
  wrongShape: { code: "S1103", severity: "error", about: "Composer: a form with the wrong arguments" },
  trailingForm: { code: "S1104", severity: "error", about: "Composer: anything after the defsymphony form" },
  expectedSymphony: { code: "S1105", severity: "error", about: "Composer: the file holds no (defsymphony ...)" },
  unknownHeaderKey: { code: "S1106", severity: "error", about: "Composer: an unknown header key" },
  badHeaderValue: { code: "S1107", severity: "error", about: "Composer: a header key with a wrong value" },

  unknownName: { code: "S2001", severity: "error", about: "a name that no let, param, import or parameter defines" },
  unknownIndicator: { code: "S2002", severity: "error", about: "a call to an indicator that does not exist" },
  percentVsNumber: { code: "S2003", severity: "error", about: "a percent compared with a bare number" },
  unitMismatch: { code: "S2004", severity: "error", about: "two values of incompatible units compared or combined" },
  allocationAsCondition: { code: "S2005", severity: "error", about: "an allocation used where a condition is needed" },
  conditionExpected: { code: "S2006", severity: "error", about: "a non-boolean value used as a condition" },
  wrongArity: { code: "S2007", severity: "error", about: "a call with the wrong number of arguments" },
  badWindow: { code: "S2008", severity: "error", about: "an indicator window that is not a positive whole number" },
  duplicateName: { code: "S2009", severity: "error", about: "a name declared twice in one file" },
  duplicateStrategy: { code: "S2010", severity: "error", about: "two strategies or portfolios with one name" },
  importNotFound: { code: "S2011", severity: "error", about: "an import or use whose file cannot be read" },
  unknownMember: { code: "S2012", severity: "error", about: "a name the imported module does not define" },
  tickerExpected: { code: "S2013", severity: "error", about: "a value where a ticker is needed" },
  badTicker: { code: "S2015", severity: "error", about: "a string that is not a valid ticker symbol" },
  tickerLikeName: { code: "S2016", severity: "error", about: "a let, param or parameter named like a ticker" },
  cycle: { code: "S2017", severity: "error", about: "a let, import or strategy that refers to itself" },
  valueAsAllocation: { code: "S2018", severity: "error", about: "a number or condition where an allocation is needed" },
  unknownStrategy: { code: "S2019", severity: "error", about: "a reference to a strategy that does not exist" },
  paramOutOfRange: { code: "S2020", severity: "error", about: "a param whose default lies outside its range" },
  badRange: { code: "S2021", severity: "error", about: "a param range that is empty or malformed" },
  tickerlessIndicator: { code: "S2022", severity: "error", about: "an indicator without a ticker outside top/bottom" },
  allocationInExpression: { code: "S2023", severity: "error", about: "an allocation used inside an expression" },
  divisionByZero: { code: "S2024", severity: "error", about: "a division by a constant zero" },
  wrongLetArity: { code: "S2014", severity: "error", about: "a let called with the wrong number of arguments" },
  unusedName: { code: "S2901", severity: "warning", about: "a let or param that nothing uses" },

  weightsSum: { code: "S3001", severity: "error", about: "weights of a weighted block that do not sum to 100%" },
  badWeight: { code: "S3002", severity: "error", about: "a weight that is not a positive percent" },
  duplicateSetting: { code: "S3003", severity: "error", about: "a setting given twice in one strategy" },
  unknownRebalance: { code: "S3004", severity: "error", about: "an unknown rebalance mode" },
  badThreshold: { code: "S3005", severity: "error", about: "a rebalance threshold outside (0%, 100%)" },
  badCount: { code: "S3006", severity: "error", about: "a top/bottom count that is not a positive whole number" },
  emptyBlock: { code: "S3007", severity: "error", about: "a block with no children" },
  badTime: { code: "S3008", severity: "error", about: "a trade time that is not HH:MM within the session" },
  warmupTooShort: { code: "S3009", severity: "warning", about: "a warmup override shorter than the look-back needed" },
  expansionTooLarge: { code: "S3011", severity: "error", about: "lets that expand to more nodes than the compiler accepts" },
  constantCondition: { code: "S3013", severity: "warning", about: "a condition that is always true or always false" },
  badWarmup: { code: "S3014", severity: "error", about: "a warmup override that is not a positive whole number" },
} as const satisfies Record<string, Entry>;

export type DiagnosticKind = keyof typeof CATALOGUE;

/** Makes diagnostics for one file; collects them in order of discovery. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  /** Let bodies are checked at every use; the same finding is reported once. */
  private readonly seen = new Set<string>();

  constructor(readonly file: string) {}

  add(kind: DiagnosticKind, span: Span, message: string, extra: { hint?: string; fix?: FixIt } = {}): void {
    const entry: Entry = CATALOGUE[kind];
    const diagnostic: Diagnostic = { code: entry.code, severity: entry.severity, message, file: this.file, span };
    if (extra.hint !== undefined) diagnostic.hint = extra.hint;
    if (extra.fix !== undefined) diagnostic.fix = extra.fix;
    this.push(diagnostic);
  }

  /** Adds a finding made elsewhere (e.g. in a scratch sink), once. */
  push(diagnostic: Diagnostic): void {
    const key = `${diagnostic.code}:${diagnostic.span.start}:${diagnostic.span.end}:${diagnostic.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(diagnostic);
  }

  get errorCount(): number {
    return this.items.filter((d) => d.severity === "error").length;
  }
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Source order, then code: a stable order for output and goldens. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.span.start - b.span.start || a.code.localeCompare(b.code),
  );
}
