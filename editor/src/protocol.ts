/**
 * Messages between the page and the compiler worker. Positions are Monaco's: 1-based lines and
 * columns, end exclusive, so the page can use them without the source text.
 */

/** A range in the editor's text. */
export interface Range {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

/** One compiler diagnostic, as the page shows it. */
export interface EditorDiagnostic {
  code: string;
  severity: "error" | "warning";
  message: string;
  hint?: string;
  /** Set when the diagnostic is in another (imported) file. */
  file: string;
  range: Range;
  fix?: { title: string; text: string; range: Range };
}

/** A `param` of the file. */
export interface ParamSymbol {
  name: string;
  range: Range;
  /** The default as written, e.g. "10%". */
  value: string;
  /** The optimizer range as written, e.g. "5%..20% step 2.5%", or null. */
  domain: string | null;
  /** What the backtest picker may choose; numbers as written, without `%`. */
  input: ParamInput;
}

/**
 * A param's values for the backtest picker, in the unit it is written in (`10` for `10%`):
 * the picker shows and sends them that way, and the server converts them as `--param` does.
 */
export interface ParamInput {
  /** The default, e.g. "10" for `10%`. */
  value: string;
  percent: boolean;
  /** `in MIN..MAX [step S]`. */
  interval: { min: string; max: string; step: string | null } | null;
  /** `in [A, B, C]`. */
  choices: string[] | null;
}

/** A `let` of the file. */
export interface LetSymbol {
  name: string;
  range: Range;
  /** `let name(a, b) = body`, as written. */
  definition: string;
  params: string[];
}

/** What completion, hover and go-to-definition need from the last compile. */
export interface Symbols {
  params: ParamSymbol[];
  lets: LetSymbol[];
  /** Tickers the file mentions or its strategies trade. */
  tickers: string[];
  /** Import aliases. */
  imports: string[];
  /** The imported modules, for go to definition and `alias.` completion (absent: not computed). */
  modules?: ModuleSymbol[];
  /** `use "path"` references, for go to definition on the path. */
  uses?: FileLink[];
}

/** A path string of the file that names another file. */
export interface FileLink {
  /** The path as written. */
  path: string;
  /** The file it resolved to (workspace-relative, or a bundled `stdlib/...`), or null when not found. */
  file: string | null;
  /** Where the path string is written. */
  range: Range;
}

/** `import "path" as alias`: the alias, the path and the module's lets with their ranges in `file`. */
export interface ModuleSymbol extends FileLink {
  alias: string;
  aliasRange: Range;
  /** The module's lets; their ranges are in the module's own text. */
  lets: LetSymbol[];
}

export type WorkerRequest =
  | { id: number; kind: "check"; file: string; text: string }
  | { id: number; kind: "format"; file: string; text: string }
  | { id: number; kind: "convert"; file: string; text: string };

export type WorkerResponse =
  | { id: number; kind: "check"; diagnostics: EditorDiagnostic[]; symbols: Symbols }
  | { id: number; kind: "format" | "convert"; text: string | null; diagnostics: EditorDiagnostic[] }
  | { id: number; kind: "failed"; message: string };
