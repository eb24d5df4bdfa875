/**
 * The allocation semantics of SEMANTICS.md §3 for one strategy over one market. Decisions are
 * made day by day from precomputed columns: ticker indicator series come from the shared cache;
 * candidates of `top`/`bottom` and `inverse_volatility` that are not tickers are scored on their
 * NAV series, computed once per node over the whole history before the root is evaluated.
 */
import type { IndicatorName } from "../ir/indicators.js";
import type { IrCount, IrExpr, IrNode, IrStrategy } from "../ir/types.js";
import { forEachNode, readsParams } from "../ir/walk.js";
import { EMPTY, isEmpty, mix, single, type Allocation } from "./allocation.js";
import { computeIndicator } from "./indicators/registry.js";
import type { Market } from "./market.js";
import { navSeries } from "./nav.js";
import { resolveCount, type ParamValues } from "./params.js";
import { firstDefined, type SeriesCache } from "./series-cache.js";
import type { Trace } from "./trace.js";

/** The first session on which something is defined, and what it is. */
export interface Bound {
  index: number;
  reason: string;
}

const later = (a: Bound, b: Bound): Bound => (b.index > a.index ? b : a);

/** A value the evaluator met where the semantics need a number: reported with the date. */
export class EvaluationError extends Error {}

export class StrategyEvaluation {
  /** Tickers the strategy holds or reads; allocations index into this. */
  readonly universe: string[];
  readonly closes: Float64Array[];
  private readonly tickerIndex = new Map<string, number>();
  /** Values of the strategy's series table entries on tickers (conditions), by table index. */
  private readonly conditionSeries: (Float64Array | null)[];
  /** Score or volatility series of the candidates of each filter / inverse-volatility node, by node id then child. */
  private readonly candidateSeries = new Map<number, Float64Array[]>();
  /** Allocations of non-ticker candidates for every session from their first defined one. */
  // By node id (dense pre-order indexes): arrays, not Maps, as allocate reads them for every node every day.
  private readonly trackedAllocations: ({ from: number; allocations: Allocation[] } | undefined)[] = [];
  private readonly bounds = new Map<IrNode, Bound>();
  /** Allocations that cannot change from day to day (no if, filter or inverse volatility below). */
  private readonly constants: (Allocation | undefined)[] = [];

  constructor(
    readonly strategy: IrStrategy,
    readonly market: Market,
    readonly params: ParamValues,
    private readonly cache: SeriesCache,
    shareSubtrees = false,
  ) {
    this.universe = [...strategy.tickers];
    this.closes = this.universe.map((ticker, i) => {
      this.tickerIndex.set(ticker, i);
      const close = market.close.get(ticker);
      if (close === undefined) throw new EvaluationError(`no prices for ${ticker}`);
      return close;
    });
    this.conditionSeries = strategy.series.map((s) =>
      "ticker" in s.subject ? cache.tickerSeries(market, s.indicator, s.subject.ticker, this.count(s.window)) : null,
    );
    this.prepareConstants(strategy.root);
    this.prepareCandidates(strategy.root);
    if (shareSubtrees) this.shareParamFree(strategy.root);
  }

  /** The first session on which the whole strategy is defined, and what decided it. */
  start(): Bound {
    return this.bound(this.strategy.root);
  }

  count(count: IrCount): number {
    return resolveCount(count, this.params);
  }

  /** The allocation of `node` decided at the close of session `day`. */
  allocate(node: IrNode, day: number, trace?: Trace): Allocation {
    const constant = this.constants[node.id];
    if (constant !== undefined) {
      if (trace !== undefined) forEachNode(node, (n) => trace.reached(n));
      return constant;
    }
    if (trace === undefined) {
      const tracked = this.trackedAllocations[node.id];
      if (tracked !== undefined) return tracked.allocations[day - tracked.from] ?? EMPTY;
    }
    trace?.reached(node);
    switch (node.kind) {
      case "asset":
        return single(this.tickerIndex.get(node.ticker)!);
      case "group":
        return this.allocate(node.child, day, trace);
      case "equal": {
        const parts = this.nonEmpty(node.children, day, trace);
        return parts.length === 0 ? EMPTY : mix(parts, parts.map(() => 1));
      }
      case "weighted": {
        const parts: Allocation[] = [];
        const shares: number[] = [];
        node.children.forEach((child, i) => {
          const a = this.allocate(child, day, trace);
          if (!isEmpty(a)) {
            parts.push(a);
            shares.push(node.weights[i]!);
          }
        });
        return parts.length === 0 ? EMPTY : mix(parts, shares);
      }
      case "if": {
        const taken = this.condition(node.cond, day);
        trace?.branch(node, taken);
        const branch = taken ? node.then : node.else;
        return branch === null ? EMPTY : this.allocate(branch, day, trace);
      }
      case "filter":
        return this.filter(node, day, trace);
      case "inverse_volatility":
        return this.inverseVolatility(node, day, trace);
    }
  }

  /** The candidates of a filter node in selection order on `day`, with their scores (undefined scores left out). */
  ranking(node: Extract<IrNode, { kind: "filter" }>, day: number): { child: number; score: number }[] {
    const scored: { child: number; score: number }[] = [];
    const series = this.candidateSeries.get(node.id)!;
    for (let i = 0; i < series.length; i++) {
      const score = series[i]![day]!;
      if (!Number.isNaN(score)) scored.push({ child: i, score });
    }
    // Array.prototype.sort is stable: ties keep source order.
    scored.sort(node.select === "top" ? (a, b) => b.score - a.score : (a, b) => a.score - b.score);
    return scored;
  }

  /** Volatility (stdev of daily returns) of each inverse-volatility child on `day`; NaN when undefined. */
  volatility(node: Extract<IrNode, { kind: "inverse_volatility" }>, child: number, day: number): number {
    return this.candidateSeries.get(node.id)![child]![day]!;
  }

  /** A condition's truth on `day`. */
  condition(expr: IrExpr, day: number): boolean {
    return this.value(expr, day) !== 0;
  }

  /** A numeric value on `day` (booleans as 1/0; percents as fractions). */
  value(expr: IrExpr, day: number): number {
    switch (expr.kind) {
      case "const":
        return expr.value;
      case "bool":
        return expr.value ? 1 : 0;
      case "param":
        return this.params.get(expr.name)!;
      case "indicator": {
        const v = this.conditionSeries[expr.series]![day]!;
        if (Number.isNaN(v)) {
          throw new EvaluationError(`${expr.indicator}(${expr.ticker}, ${this.count(expr.window)}) is undefined on ${this.market.dates[day]}`);
        }
        return v;
      }
      case "compare": {
        const a = this.value(expr.left, day);
        const b = this.value(expr.right, day);
        switch (expr.op) {
          case ">":
            return a > b ? 1 : 0;
          case "<":
            return a < b ? 1 : 0;
          case ">=":
            return a >= b ? 1 : 0;
          case "<=":
            return a <= b ? 1 : 0;
          case "==":
            return a === b ? 1 : 0;
          case "!=":
            return a !== b ? 1 : 0;
        }
        break;
      }
      case "logic":
        // Both sides are evaluated: a condition never depends on short-circuit order.
        return expr.op === "and"
          ? this.value(expr.left, day) !== 0 && this.value(expr.right, day) !== 0 ? 1 : 0
          : this.value(expr.left, day) !== 0 || this.value(expr.right, day) !== 0 ? 1 : 0;
      case "not":
        return this.value(expr.operand, day) === 0 ? 1 : 0;
      case "neg":
        return -this.value(expr.operand, day);
      case "arith": {
        const a = this.value(expr.left, day);
        const b = this.value(expr.right, day);
        if (expr.op === "/" && b === 0) throw new EvaluationError(`division by zero on ${this.market.dates[day]}`);
        return expr.op === "+" ? a + b : expr.op === "-" ? a - b : expr.op === "*" ? a * b : a / b;
      }
    }
  }

  /** The first session on which `node`'s allocation is defined on every later session. */
  bound(node: IrNode): Bound {
    const known = this.bounds.get(node);
    if (known !== undefined) return known;
    let b: Bound = { index: 0, reason: "the first session" };
    switch (node.kind) {
      case "asset": {
        const close = this.closes[this.tickerIndex.get(node.ticker)!]!;
        b = { index: firstDefined(close), reason: `the first price of ${node.ticker}` };
        break;
      }
      case "if":
        b = this.exprBound(node.cond);
        break;
      case "filter":
      case "inverse_volatility":
        node.children.forEach((child, i) => {
          const series = this.candidateSeries.get(node.id)![i]!;
          const what = node.kind === "filter" ? `${node.metric.indicator}(${this.count(node.metric.window)})` : `stdev_return(${this.count(node.window)})`;
          b = later(b, { index: firstDefined(series), reason: `${what} of ${describe(child)}` });
        });
        break;
      default:
        break;
    }
    for (const child of childrenOf(node)) b = later(b, this.bound(child));
    this.bounds.set(node, b);
    return b;
  }

  private exprBound(expr: IrExpr): Bound {
    let b: Bound = { index: 0, reason: "the first session" };
    const visit = (e: IrExpr): void => {
      if (e.kind === "indicator") {
        const series = this.conditionSeries[e.series]!;
        b = later(b, { index: firstDefined(series), reason: `${e.indicator}(${e.ticker}, ${this.count(e.window)})` });
      } else if (e.kind === "compare" || e.kind === "logic" || e.kind === "arith") {
        visit(e.left);
        visit(e.right);
      } else if (e.kind === "not" || e.kind === "neg") {
        visit(e.operand);
      }
    };
    visit(expr);
    return b;
  }

  private nonEmpty(children: IrNode[], day: number, trace: Trace | undefined): Allocation[] {
    const parts: Allocation[] = [];
    for (const child of children) {
      const a = this.allocate(child, day, trace);
      if (!isEmpty(a)) parts.push(a);
    }
    return parts;
  }

  private filter(node: Extract<IrNode, { kind: "filter" }>, day: number, trace: Trace | undefined): Allocation {
    const keep = this.count(node.count);
    const selected = this.ranking(node, day).slice(0, keep);
    trace?.selected(node, selected.map((s) => s.child));
    const parts: Allocation[] = [];
    for (const s of selected) {
      const a = this.allocate(node.children[s.child]!, day, trace);
      if (!isEmpty(a)) parts.push(a);
    }
    return parts.length === 0 ? EMPTY : mix(parts, parts.map(() => 1));
  }

  /**
   * Weight ∝ 1/σ. Children whose σ is undefined, or that are empty, are left out. A child with
   * σ = 0 (a constant series) would take everything: such children share the weight equally.
   */
  private inverseVolatility(node: Extract<IrNode, { kind: "inverse_volatility" }>, day: number, trace: Trace | undefined): Allocation {
    const parts: Allocation[] = [];
    const sigmas: number[] = [];
    const series = this.candidateSeries.get(node.id)!;
    let flat = false;
    for (let i = 0; i < series.length; i++) {
      const sigma = series[i]![day]!;
      if (Number.isNaN(sigma)) continue;
      const a = this.allocate(node.children[i]!, day, trace);
      if (isEmpty(a)) continue;
      parts.push(a);
      sigmas.push(sigma);
      if (sigma === 0) flat = true;
    }
    if (parts.length === 0) return EMPTY;
    if (flat) {
      const still = parts.filter((_, i) => sigmas[i] === 0);
      return mix(still, still.map(() => 1));
    }
    for (let i = 0; i < sigmas.length; i++) sigmas[i] = 1 / sigmas[i]!;
    return mix(parts, sigmas);
  }

  /** Marks subtrees whose allocation is the same every day, so they are computed once. */
  private prepareConstants(node: IrNode): boolean {
    const children = childrenOf(node);
    let constant = node.kind !== "if" && node.kind !== "filter" && node.kind !== "inverse_volatility";
    for (const child of children) constant = this.prepareConstants(child) && constant;
    if (constant) this.constants[node.id] = this.allocate(node, 0);
    return constant;
  }

  /**
   * Candidate series of filters and inverse-volatility nodes. Non-ticker candidates are processed
   * in post-order (inner ones first), since a candidate's own allocation may rank other groups.
   */
  private prepareCandidates(node: IrNode): void {
    for (const child of childrenOf(node)) this.prepareCandidates(child);
    if (node.kind !== "filter" && node.kind !== "inverse_volatility") return;
    const indicator: IndicatorName = node.kind === "filter" ? node.metric.indicator : "stdev_return";
    const window = this.count(node.kind === "filter" ? node.metric.window : node.window);
    this.candidateSeries.set(
      node.id,
      node.children.map((child) => (child.kind === "asset" ? this.cache.tickerSeries(this.market, indicator, child.ticker, window) : computeIndicator(indicator, this.nav(child), window))),
    );
  }

  /** The NAV series of a non-ticker node (SEMANTICS.md §3), computed once. */
  private nav(node: IrNode): Float64Array {
    const tracked = this.tracked(node);
    return navSeries(tracked.from, tracked.allocations, this.closes, this.market.dates.length);
  }

  /** The allocations of `node` on every session from its bound to the end of the market, computed once. */
  private tracked(node: IrNode): { from: number; allocations: Allocation[] } {
    let tracked = this.trackedAllocations[node.id];
    if (tracked === undefined) {
      const from = this.bound(node).index;
      const allocations: Allocation[] = [];
      for (let day = from; day < this.market.dates.length; day++) allocations.push(this.allocate(node, day));
      tracked = { from, allocations };
      this.trackedAllocations[node.id] = tracked;
    }
    return tracked;
  }

  /**
   * Takes the allocations of the largest subtrees that read no param from the shared cache (the
   * first trial computes them over the whole market), so optimizer trials decide only what their
   * params change. A subtree that cannot be computed over the whole market (a division by zero
   * on some day) is left to be decided day by day, as without sharing.
   */
  private shareParamFree(node: IrNode): void {
    if (this.constants[node.id] !== undefined) return;
    if (!readsParams(node)) {
      const shared = this.cache.nodeValue(this.market, node, () => {
        try {
          return this.tracked(node);
        } catch (error) {
          if (error instanceof EvaluationError) return null;
          throw error;
        }
      });
      if (shared !== null) {
        this.trackedAllocations[node.id] = shared;
        return;
      }
    }
    for (const child of childrenOf(node)) this.shareParamFree(child);
  }
}

function childrenOf(node: IrNode): IrNode[] {
  switch (node.kind) {
    case "asset":
      return [];
    case "group":
      return [node.child];
    case "if":
      return node.else === null ? [node.then] : [node.then, node.else];
    default:
      return node.children;
  }
}

/** How a node is named in messages: its group name, ticker or kind. */
export function describe(node: IrNode): string {
  switch (node.kind) {
    case "asset":
      return node.ticker;
    case "group":
      return `group "${node.name}"`;
    default:
      return `the ${node.kind} node #${node.id}`;
  }
}

