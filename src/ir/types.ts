/**
 * The typed intermediate representation: what the evaluator executes. JSON-serialisable,
 * a closed union of node kinds (switch on `kind` exhaustively), versioned by `IR_VERSION`.
 * Spans are carried for reports and the editor but are not part of the content hash.
 */
import type { IndicatorName, Unit } from "./indicators.js";

export const IR_VERSION = 1;

/** Where a node came from; 1-based lines and columns. */
export interface IrSpan {
  file: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

/** A whole number, or a reference to an optimizable param (resolved at evaluation). */
export type IrCount = number | { param: string };

/** A value decided per bar. Percents are fractions (5% is 0.05). */
export type IrExpr =
  | { kind: "const"; value: number; unit: Exclude<Unit, "bool">; span?: IrSpan }
  | { kind: "bool"; value: boolean; span?: IrSpan }
  | { kind: "param"; name: string; unit: "number" | "percent"; span?: IrSpan }
  | {
      kind: "indicator";
      indicator: IndicatorName;
      ticker: string;
      window: IrCount;
      unit: Exclude<Unit, "bool">;
      /** Index into the strategy's `series` table. */
      series: number;
      span?: IrSpan;
    }
  | { kind: "compare"; op: CompareOp; left: IrExpr; right: IrExpr; span?: IrSpan }
  | { kind: "logic"; op: "and" | "or"; left: IrExpr; right: IrExpr; span?: IrSpan }
  | { kind: "not"; operand: IrExpr; span?: IrSpan }
  | { kind: "arith"; op: "+" | "-" | "*" | "/"; left: IrExpr; right: IrExpr; unit: Exclude<Unit, "bool">; span?: IrSpan }
  | { kind: "neg"; operand: IrExpr; unit: Exclude<Unit, "bool">; span?: IrSpan };

export type CompareOp = ">" | "<" | ">=" | "<=" | "==" | "!=";

/** The metric of a filter, applied to each candidate. */
export interface IrMetric {
  indicator: IndicatorName;
  window: IrCount;
}

/**
 * An allocation node. `id` is the pre-order index within its strategy: stable for a given
 * tree shape, used by explain, branch coverage and NAV caching.
 */
export type IrNode =
  | { kind: "asset"; id: number; ticker: string; span?: IrSpan }
  | { kind: "equal"; id: number; children: IrNode[]; span?: IrSpan }
  | { kind: "weighted"; id: number; weights: number[]; children: IrNode[]; span?: IrSpan }
  | { kind: "inverse_volatility"; id: number; window: IrCount; children: IrNode[]; span?: IrSpan }
  | {
      kind: "filter";
      id: number;
      select: "top" | "bottom";
      count: IrCount;
      metric: IrMetric;
      children: IrNode[];
      span?: IrSpan;
    }
  | { kind: "group"; id: number; name: string; child: IrNode; span?: IrSpan }
  | { kind: "if"; id: number; cond: IrExpr; then: IrNode; else: IrNode | null; span?: IrSpan };

export type IrNodeKind = IrNode["kind"];

export type Rebalance =
  | { mode: "daily" | "weekly" | "monthly" | "quarterly" | "yearly" | "none" }
  | { mode: "threshold"; threshold: number };

/** A concrete indicator series: on a ticker's prices, or on a node's NAV series. */
export interface IrSeries {
  indicator: IndicatorName;
  subject: { ticker: string } | { node: number };
  window: IrCount;
}

export interface IrParam {
  name: string;
  default: number;
  /** The values the optimizer may try, in ascending order (percents as fractions). */
  values: number[];
  integer: boolean;
  unit: "number" | "percent";
  span?: IrSpan;
}

export interface IrStrategy {
  kind: "strategy" | "portfolio";
  name: string;
  rebalance: Rebalance;
  benchmark: string | null;
  /** Wall-clock time (HH:MM, New York) of the live run; null for the default. */
  tradeAt: string | null;
  /** Bars of history needed before the first decision (override or computed, max over param ranges). */
  warmupBars: number;
  /** The look-back the compiler computed, whatever the override. */
  computedWarmupBars: number;
  /** Tickers held or read by the tree, sorted. */
  tickers: string[];
  /** Distinct indicator series, deduplicated; indicator expressions point into it. */
  series: IrSeries[];
  /** Names of the params this strategy reads. */
  params: string[];
  root: IrNode;
  /** sha256 of this strategy's canonical JSON (without spans) and the params it reads. */
  hash: string;
  span?: IrSpan;
}

export interface IrProgram {
  irVersion: typeof IR_VERSION;
  params: IrParam[];
  strategies: IrStrategy[];
  /** sha256 of the canonical JSON of `{ irVersion, params, strategies: [each strategy's hash] }`. */
  hash: string;
}
