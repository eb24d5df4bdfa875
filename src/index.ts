/**
 * Strat's library API. The CLI is a thin layer over these functions.
 *
 * - `compile(source, { file, host })` → `{ ir, diagnostics, ... }` for `.strat` and Composer `.clj`
 * - `readComposer(text, file)` → the AST of a Composer symphony
 * - `formatStrat(source)`, `convertComposer(source)` → canonical `.strat` text
 * - `renderDiagnostic(d, lines)` / `diagnosticJson(d)` → terminal or JSON form of a diagnostic
 */
export { compile, type CompileOptions, type CompileResult } from "./lang/compile.js";
export type { CompileHost } from "./lang/module.js";
export { readComposer } from "./lang/composer/index.js";
export { parseStrat } from "./lang/parse.js";
export { formatStrat, convertComposer, printStrat, type FormatResult } from "./lang/format/index.js";
export { renderDiagnostic, diagnosticJson } from "./lang/render.js";
export { CATALOGUE, hasErrors, type Diagnostic, type Severity, type FixIt } from "./lang/diagnostics.js";
export { LineIndex, type Span } from "./lang/source.js";
export type * from "./lang/ast.js";
export type * from "./ir/types.js";
export { IR_VERSION } from "./ir/types.js";
export { INDICATORS, INDICATOR_NAMES, indicatorByName, type IndicatorName, type IndicatorSpec, type Unit } from "./ir/indicators.js";
export { canonicalJson, contentHash } from "./ir/canonical-json.js";
export { addStrategies, emptyStats, type IrStats } from "./ir/stats.js";
