/**
 * Allocation nodes: the tree of SEMANTICS.md §3. Normalises what has no meaning of its own
 * (an `equal` or `weighted` of one child is that child; a branch of several children is an
 * `equal` of them), so a Composer file and its converted `.strat` lower to the same IR.
 */
import type { Expr, StrategyDecl } from "../ast.js";
import { percentTextToFraction } from "../decimal.js";
import { indicatorByName, INDICATOR_NAMES, type IndicatorName } from "../../ir/indicators.js";
import type { IrMetric, IrNode } from "../../ir/types.js";
import { normalizeTicker, TICKER_STRING } from "../module.js";
import { MAX_TREE_DEPTH } from "../limits.js";
import type { Span } from "../source.js";
import { didYouMean } from "../suggest.js";
import type { ElaborationContext, Env } from "./context.js";
import { elabCount, elabExpr } from "./expr.js";
import { expandLet } from "./let-expansion.js";
import { resolveName } from "./names.js";

/**
 * Another strategy as an allocation node (a portfolio's sleeve): a group named after it,
 * holding its tree. Its own settings do not apply; the enclosing strategy's rebalancing does.
 */
function elabStrategyRef(ctx: ElaborationContext, decl: StrategyDecl, env: Env, site: Span): IrNode | null {
  const key = `${env.module.file}\u0000${decl.name.value}`;
  if (ctx.expandingStrategies.has(key)) {
    ctx.report(env, "cycle", site, `"${decl.name.value}" includes itself`);
    return null;
  }
  ctx.expandingStrategies.add(key);
  // A sleeve's warm-up override still holds inside a portfolio: its start date must not move earlier.
  for (const setting of decl.settings) {
    if (setting.kind === "warmup" && Number.isInteger(setting.bars.value) && setting.bars.value > 0) {
      ctx.sleeveWarmup = Math.max(ctx.sleeveWarmup, setting.bars.value);
    }
  }
  try {
    const child = elabChildren(ctx, decl.body, env, decl.span, `${decl.kind} "${decl.name.value}"`);
    if (child === null) return null;
    ctx.countNode(env, site);
    return { kind: "group", id: -1, name: decl.name.value, child, span: ctx.irSpan(env, decl.span) };
  } finally {
    ctx.expandingStrategies.delete(key);
  }
}

/** Elaborates a list of children as one node: one child is itself, several share equally. */
export function elabChildren(ctx: ElaborationContext, children: Expr[], env: Env, blockSpan: Span, what: string): IrNode | null {
  if (children.length === 0) {
    ctx.report(env, "emptyBlock", blockSpan, `${what} has no children`, { hint: "add a ticker or another allocation" });
    return null;
  }
  const nodes = elabList(ctx, children, env);
  if (nodes === null) return null;
  if (nodes.length === 1) return nodes[0]!;
  ctx.countNode(env, blockSpan);
  return { kind: "equal", id: -1, children: nodes, span: ctx.irSpan(env, blockSpan) };
}

function elabList(ctx: ElaborationContext, children: Expr[], env: Env): IrNode[] | null {
  const nodes: IrNode[] = [];
  let failed = false;
  for (const child of children) {
    const node = elabAlloc(ctx, child, env);
    if (node === null) failed = true;
    else nodes.push(node);
  }
  return failed ? null : nodes;
}

/** Elaborates an expression in allocation position. */
export function elabAlloc(ctx: ElaborationContext, expr: Expr, env: Env): IrNode | null {
  if (!ctx.enter(env, expr.span)) return null;
  try {
    return elabAllocInner(ctx, expr, env);
  } finally {
    ctx.leave();
  }
}

function elabAllocInner(ctx: ElaborationContext, expr: Expr, env: Env): IrNode | null {
  const span = ctx.irSpan(env, expr.span);
  switch (expr.kind) {
    case "name": {
      const target = resolveName(ctx, expr, env);
      switch (target.kind) {
        case "ticker":
          ctx.countNode(env, expr.span);
          return { kind: "asset", id: -1, ticker: target.symbol, span };
        case "letArg":
          return elabAlloc(ctx, target.arg, target.env);
        case "let":
          return expandLet(ctx, target.decl, target.module, [], expr, env, "allocation", (body, e) => elabAlloc(ctx, body, e));
        case "param":
          ctx.mentionedParams.add(target.decl);
          ctx.report(env, "valueAsAllocation", expr.span, `the param '${target.decl.name.name}' is a number, not an allocation`);
          return null;
        case "unresolved":
          return null;
      }
      break;
    }
    case "call": {
      if (expr.callee.parts.length === 1) {
        const name = expr.callee.parts[0]!.name;
        if (indicatorByName(name) !== undefined && !env.module.lets.has(name) && env.letArgs?.has(name) !== true) {
          ctx.report(env, "valueAsAllocation", expr.span, `${name}(...) is an indicator value, not an allocation`, {
            hint: `use it in a condition: if ${ctx.snippet(env, expr.span)} > ... { ... }`,
          });
          return null;
        }
      }
      const target = resolveName(ctx, expr.callee, env);
      if (target.kind === "let") return expandLet(ctx, target.decl, target.module, expr.args, expr, env, "allocation", (body, e) => elabAlloc(ctx, body, e));
      if (target.kind === "ticker" || target.kind === "param" || target.kind === "letArg") {
        ctx.report(env, "unknownName", expr.callee.span, `'${ctx.snippet(env, expr.callee.span)}' is not a let with parameters${didYouMean(ctx.snippet(env, expr.callee.span), env.module.lets.keys())}`);
      }
      return null;
    }
    case "string":
      return elabStringNode(ctx, expr, env);
    case "equal": {
      if (expr.children.length === 0) return elabChildren(ctx, [], env, expr.span, "equal");
      const nodes = elabList(ctx, expr.children, env);
      if (nodes === null) return null;
      if (nodes.length === 1) return nodes[0]!;
      ctx.countNode(env, expr.span);
      return { kind: "equal", id: -1, children: nodes, span };
    }
    case "weighted":
      return elabWeighted(ctx, expr, env);
    case "inverse_volatility": {
      const window = elabCount(ctx, expr.window, env, "window");
      if (expr.children.length === 0) return elabChildren(ctx, [], env, expr.span, "inverse_volatility");
      const nodes = elabList(ctx, expr.children, env);
      if (window === null || nodes === null) return null;
      ctx.countNode(env, expr.span);
      return { kind: "inverse_volatility", id: -1, window, children: nodes, span };
    }
    case "filter": {
      const count = elabCount(ctx, expr.count, env, "count");
      const metric = elabMetric(ctx, expr.metric, env);
      if (expr.children.length === 0) return elabChildren(ctx, [], env, expr.span, `${expr.select} ${ctx.snippet(env, expr.count.span)}`);
      const nodes = elabList(ctx, expr.children, env);
      if (count === null || metric === null || nodes === null) return null;
      ctx.countNode(env, expr.span);
      return { kind: "filter", id: -1, select: expr.select, count, metric, children: nodes, span };
    }
    case "group": {
      const child = elabChildren(ctx, expr.children, env, expr.span, `group "${expr.name.value}"`);
      if (child === null) return null;
      ctx.countNode(env, expr.span);
      return { kind: "group", id: -1, name: expr.name.value, child, span };
    }
    case "if":
      return elabIf(ctx, expr, env);
    case "use":
      return elabUse(ctx, expr, env);
    default:
      ctx.report(env, "valueAsAllocation", expr.span, `'${ctx.snippet(env, expr.span)}' is a value, not an allocation`, {
        hint: "allocations are tickers, blocks such as equal { ... }, or lets that name them",
      });
      return null;
  }
}

/** A string in allocation position: a strategy of this file by name, else a ticker such as "BRK.B". */
function elabStringNode(ctx: ElaborationContext, expr: Extract<Expr, { kind: "string" }>, env: Env): IrNode | null {
  const strategy = env.module.strategies.get(expr.value);
  if (strategy !== undefined) return elabStrategyRef(ctx, strategy, env, expr.span);
  const symbol = normalizeTicker(expr.value);
  if (TICKER_STRING.test(symbol)) {
    ctx.countNode(env, expr.span);
    return { kind: "asset", id: -1, ticker: symbol, span: ctx.irSpan(env, expr.span) };
  }
  const known = [...env.module.strategies.keys()];
  ctx.report(env, "unknownStrategy", expr.span, `no strategy named "${expr.value}" in this file${didYouMean(expr.value, known)}`, {
    hint: "a string names a strategy of this file or a ticker such as \"BRK.B\"",
  });
  return null;
}

function elabWeighted(ctx: ElaborationContext, expr: Extract<Expr, { kind: "weighted" }>, env: Env): IrNode | null {
  if (expr.children.length === 0) return elabChildren(ctx, [], env, expr.span, "weighted");
  const weights: number[] = [];
  const nodes: IrNode[] = [];
  let failed = false;
  let totalPoints = 0;
  for (const child of expr.children) {
    const fraction = percentTextToFraction(child.weight.text);
    if (!(fraction > 0)) {
      ctx.report(env, "badWeight", child.weight.span, `a weight must be greater than 0%, not ${child.weight.text}%`);
      failed = true;
    }
    totalPoints += child.weight.value;
    weights.push(fraction);
    const node = elabAlloc(ctx, child.node, env);
    if (node === null) failed = true;
    else nodes.push(node);
  }
  if (Math.abs(totalPoints - 100) > 1e-9) {
    const shown = Number(totalPoints.toPrecision(12));
    ctx.report(env, "weightsSum", expr.span, `the weights sum to ${shown}%, not 100%`, {
      hint: `${shown > 100 ? "remove" : "add"} ${Number(Math.abs(100 - totalPoints).toPrecision(12))}%`,
    });
    failed = true;
  }
  if (failed) return null;
  if (nodes.length === 1) return nodes[0]!;
  ctx.countNode(env, expr.span);
  return { kind: "weighted", id: -1, weights, children: nodes, span: ctx.irSpan(env, expr.span) };
}

/** The metric of top/bottom: an indicator written without a ticker (`rsi(10)`), or a let naming one. */
function elabMetric(ctx: ElaborationContext, metric: Extract<Expr, { kind: "call" | "name" }>, env: Env): IrMetric | null {
  if (metric.kind === "name") {
    const target = resolveName(ctx, metric, env);
    if (target.kind === "let" && target.decl.params === null && target.decl.body.kind === "call") {
      ctx.usedLets.add(target.decl);
      return elabMetric(ctx, target.decl.body, { module: target.module, letArgs: null });
    }
    if (target.kind !== "unresolved") {
      ctx.report(env, "wrongArity", metric.span, `the metric must be an indicator call such as rsi(10), not '${ctx.snippet(env, metric.span)}'`, {
        hint: "write e.g. top 1 by rsi(10) { ... }",
      });
    }
    return null;
  }
  const call = metric;
  const name = call.callee.parts.map((p) => p.name).join(".");
  const spec = call.callee.parts.length === 1 ? indicatorByName(name) : undefined;
  if (spec === undefined) {
    ctx.report(env, "unknownIndicator", call.callee.span, `unknown indicator '${name}'${didYouMean(name, INDICATOR_NAMES)}`, {
      hint: `indicators: ${INDICATOR_NAMES.join(", ")}`,
    });
    return null;
  }
  const wanted = spec.windowed ? 1 : 0;
  if (call.args.length !== wanted) {
    const example = spec.windowed ? `${spec.name}(10)` : `${spec.name}()`;
    ctx.report(env, "wrongArity", call.span, `the metric ${spec.name} takes ${wanted === 1 ? "only a window" : "no arguments"} here: each candidate is scored`, {
      hint: `write ${example}`,
    });
    return null;
  }
  const window = spec.windowed ? elabCount(ctx, call.args[0]!, env, "window") : 1;
  if (window === null) return null;
  return { indicator: spec.name as IndicatorName, window };
}

function elabIf(ctx: ElaborationContext, expr: Extract<Expr, { kind: "if" }>, env: Env): IrNode | null {
  // Each else-if nests one level deeper in the IR.
  const room = MAX_TREE_DEPTH - ctx.depth;
  if (expr.branches.length > room) {
    ctx.report(env, "nestingTooDeep", expr.branches[Math.max(0, room)]!.span, `this else-if chain nests deeper than ${MAX_TREE_DEPTH} levels`, {
      hint: "split the chain with groups or lets",
    });
    return null;
  }
  let failed = false;
  const branches: { cond: Extract<IrNode, { kind: "if" }>["cond"]; body: IrNode; span: Span }[] = [];
  for (const branch of expr.branches) {
    const cond = elabCondition(ctx, branch.cond, env);
    const body = elabChildren(ctx, branch.body, env, branch.span, "this branch");
    if (cond === null || body === null) failed = true;
    else branches.push({ cond, body, span: branch.span });
  }
  let otherwise: IrNode | null = null;
  if (expr.elseBody !== null) {
    otherwise = elabChildren(ctx, expr.elseBody, env, expr.elseSpan ?? expr.span, "else");
    if (otherwise === null) failed = true;
  }
  if (failed) return null;
  // else-if chains nest: `if a {A} else if b {B} else {C}` is `if a {A} else {if b {B} else {C}}`.
  let node: IrNode | null = otherwise;
  for (let i = branches.length - 1; i >= 0; i--) {
    const b = branches[i]!;
    const span = i === 0 ? expr.span : { ...b.span, end: expr.span.end, endLine: expr.span.endLine, endCol: expr.span.endCol };
    ctx.countNode(env, span);
    node = { kind: "if", id: -1, cond: b.cond, then: b.body, else: node, span: ctx.irSpan(env, span) };
  }
  return node;
}

/** A condition: must be boolean; a constant one is allowed but warned about. */
function elabCondition(ctx: ElaborationContext, cond: Expr, env: Env): Extract<IrNode, { kind: "if" }>["cond"] | null {
  const allocationKinds = new Set(["equal", "weighted", "inverse_volatility", "filter", "group", "if", "use"]);
  if (allocationKinds.has(cond.kind)) {
    ctx.report(env, "allocationAsCondition", cond.span, "an allocation cannot be a condition", {
      hint: "compare indicator values, e.g. price(SPY) > sma(SPY, 200)",
    });
    return null;
  }
  if (cond.kind === "name") {
    const target = resolveName(ctx, cond, env);
    if (target.kind === "ticker") {
      ctx.report(env, "allocationAsCondition", cond.span, `the ticker ${target.symbol} is an allocation, not a condition`, {
        hint: `compare one of its indicators, e.g. price(${target.symbol}) > sma(${target.symbol}, 200)`,
      });
      return null;
    }
    if (target.kind === "let" && target.decl.params === null && allocationKinds.has(target.decl.body.kind)) {
      ctx.report(env, "allocationAsCondition", cond.span, `'${target.decl.name.name}' is an allocation, not a condition`);
      return null;
    }
  }
  const typed = elabExpr(ctx, cond, env);
  if (typed === null) return null;
  if (typed.unit !== "bool") {
    ctx.report(env, "conditionExpected", cond.span, `a condition is needed here, but '${ctx.snippet(env, cond.span)}' is ${typed.unit === "number" ? "a bare number" : `a ${typed.unit}`}`, {
      hint: "compare it with something, e.g. ... > 0",
    });
    return null;
  }
  if (typed.ir.kind === "bool") {
    ctx.report(env, "constantCondition", cond.span, `this condition is always ${typed.ir.value}`);
  }
  return typed.ir;
}

function elabUse(ctx: ElaborationContext, expr: Extract<Expr, { kind: "use" }>, env: Env): IrNode | null {
  const module = ctx.loader.load(expr.path.value, env.module, expr.path.span, env.module.sink);
  if (module === null) return null;
  const first = module.strategies.values().next();
  if (first.done === true) {
    ctx.report(env, "unknownStrategy", expr.path.span, `'${expr.path.value}' has no strategy to use`);
    return null;
  }
  return elabStrategyRef(ctx, first.value, { module, letArgs: null }, expr.span);
}
