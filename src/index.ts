/**
 * Strat's library API. The CLI is a thin layer over these functions.
 *
 * - `compile(source, { file, host })` → `{ ir, diagnostics, ... }` for `.strat` and Composer `.clj`
 * - `readComposer(text, file)` → the AST of a Composer symphony
 * - `formatStrat(source)`, `convertComposer(source)` → canonical `.strat` text
 * - `renderDiagnostic(d, lines)` / `diagnosticJson(d)` → terminal or JSON form of a diagnostic
 * - `evaluate(strategy, market, { params })` → the target allocation of every session
 * - `backtest(ir, barSource, options)` → metrics, coverage, equity, fills (what `strat backtest` prints)
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

// Evaluation and backtesting (the same evaluator serves backtest, optimizer and live trading).
export { evaluate, weightsOf, type Evaluation, type EvaluateOptions, EvaluationError } from "./engine/evaluate.js";
export { explain, renderExplanation, type Explanation } from "./engine/explain.js";
export { resolveParams, ParamError } from "./engine/params.js";
export { SeriesCache } from "./engine/series-cache.js";
export { computeIndicator } from "./engine/indicators/registry.js";
export type { Market } from "./engine/market.js";
export { backtest, backtestOnBars, pickStrategy, BacktestError, type BacktestOptions, type BacktestResult } from "./backtest/run.js";
export { resultJson } from "./backtest/report/json.js";
export { htmlReport } from "./backtest/report/html.js";
export { planOrders, type PlanInput, type Plan, type PlannedOrder } from "./trading/order-planner.js";
// Market data.
export type { BarSource, BarSet, BarRequest, TickerBars, Provenance } from "./ports/bar-source.js";
export { SyntheticBarSource } from "./data/synthetic.js";
export { CsvBarSource } from "./data/csv.js";
export { CachedBarSource } from "./data/cache.js";
export { alignBars } from "./data/align.js";
export { DataError } from "./data/errors.js";
