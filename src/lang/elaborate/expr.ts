/**
 * Expressions: conditions and values, with unit checking and constant folding. Returns null
 * after reporting an error, so one mistake does not cascade into many messages.
 */
import type { Call, Expr, NumberLit } from "../ast.js";
import { percentTextToFraction } from "../decimal.js";
import { indicatorByName, INDICATOR_NAMES, type IndicatorName, type IndicatorSpec, type Unit } from "../../ir/indicators.js";
import type { CompareOp, IrCount, IrExpr, IrParam } from "../../ir/types.js";
import { normalizeTicker, TICKER_STRING } from "../module.js";
import { quoteString } from "../strings.js";
import { didYouMean } from "../suggest.js";
import { arithmeticUnit, compareUnits, unitName } from "../units.js";
import type { ElaborationContext, Env } from "./context.js";
import { buildParam } from "./params.js";
import { resolveName } from "./names.js";
import { expandLet } from "./let-expansion.js";

export interface Typed {
  ir: IrExpr;
  unit: Unit;
}


/** The IR param of a declaration, built once per compile. */
const paramCache = new WeakMap<object, IrParam | null>();
export function paramOf(ctx: ElaborationContext, env: Env, decl: Parameters<typeof buildParam>[0]): IrParam | null {
  if (!paramCache.has(decl)) paramCache.set(decl, buildParam(decl, env.module.sink));
  return paramCache.get(decl) ?? null;
}

/** A literal number, unwrapping parentheses and a minus: used for fix-its. */
function bareNumber(expr: Expr): NumberLit | null {
  if (expr.kind === "number") return expr.percent ? null : expr;
  if (expr.kind === "paren") return bareNumber(expr.inner);
  if (expr.kind === "unary" && expr.op === "-") return bareNumber(expr.operand);
  return null;
}

function constValue(typed: Typed): number | null {
  return typed.ir.kind === "const" ? typed.ir.value : null;
}

/** Elaborates an expression in value position. */
export function elabExpr(ctx: ElaborationContext, expr: Expr, env: Env): Typed | null {
  if (!ctx.enter(env, expr.span)) return null;
  try {
    return elabExprInner(ctx, expr, env);
  } finally {
    ctx.leave();
  }
}

function elabExprInner(ctx: ElaborationContext, expr: Expr, env: Env): Typed | null {
  const span = ctx.irSpan(env, expr.span);
  switch (expr.kind) {
    case "number":
      return expr.percent
        ? { ir: { kind: "const", value: percentTextToFraction(expr.text), unit: "percent", span }, unit: "percent" }
        : { ir: { kind: "const", value: expr.value, unit: "number", span }, unit: "number" };
    case "bool":
      return { ir: { kind: "bool", value: expr.value, span }, unit: "bool" };
    case "paren":
      return elabExpr(ctx, expr.inner, env);
    case "string": {
      const numeric = /^-?\d+(?:\.\d+)?%?$/.test(expr.value.trim());
      ctx.report(env, "tickerExpected", expr.span, "a string is not a value here", {
        hint: numeric ? `write ${expr.value.trim()} without quotes` : `tickers go inside an indicator call, e.g. price(${quoteString(expr.value)})`,
      });
      return null;
    }
    case "name": {
      const target = resolveName(ctx, expr, env);
      switch (target.kind) {
        case "letArg":
          return elabExpr(ctx, target.arg, target.env);
        case "let":
          return expandLet(ctx, target.decl, target.module, [], expr, env, "value", (body, e) => elabExpr(ctx, body, e));
        case "param": {
          ctx.mentionedParams.add(target.decl);
          const param = paramOf(ctx, { module: target.module, letArgs: null }, target.decl);
          if (param === null) return null;
          if (!ctx.useParam(env, target.decl, target.module, expr.span)) return null;
          return { ir: { kind: "param", name: param.name, unit: param.unit, span }, unit: param.unit };
        }
        case "ticker":
          ctx.report(env, "tickerExpected", expr.span, `the ticker ${target.symbol} is not a value; write price(${target.symbol}) or another indicator`);
          return null;
        case "unresolved":
          return null;
      }
      break;
    }
    case "call":
      return elabCall(ctx, expr, env);
    case "unary": {
      const operand = elabExpr(ctx, expr.operand, env);
      if (operand === null) return null;
      if (expr.op === "not") {
        if (operand.unit !== "bool") {
          ctx.report(env, "conditionExpected", expr.operand.span, `'not' needs a condition, but this is ${unitName(operand.unit)}`);
          return null;
        }
        if (operand.ir.kind === "bool") return { ir: { kind: "bool", value: !operand.ir.value, span }, unit: "bool" };
        return { ir: { kind: "not", operand: operand.ir, span }, unit: "bool" };
      }
      if (operand.unit === "bool") {
        ctx.report(env, "unitMismatch", expr.operand.span, "a condition cannot be negated with '-'; use 'not'");
        return null;
      }
      const unit = operand.unit;
      const value = constValue(operand);
      if (value !== null) return { ir: { kind: "const", value: -value, unit, span }, unit };
      return { ir: { kind: "neg", operand: operand.ir, unit, span }, unit };
    }
    case "binary":
      return elabBinary(ctx, expr, env);
    default:
      ctx.report(env, "allocationInExpression", expr.span, "an allocation cannot be used inside an expression");
      return null;
  }
}

function elabBinary(ctx: ElaborationContext, expr: Extract<Expr, { kind: "binary" }>, env: Env): Typed | null {
  const left = elabExpr(ctx, expr.left, env);
  const right = elabExpr(ctx, expr.right, env);
  if (left === null || right === null) return null;
  const span = ctx.irSpan(env, expr.span);
  const op = expr.op;
  if (op === "and" || op === "or") {
    for (const [side, typed] of [[expr.left, left], [expr.right, right]] as const) {
      if (typed.unit !== "bool") {
        ctx.report(env, "conditionExpected", side.span, `'${op}' needs conditions on both sides, but '${ctx.snippet(env, side.span)}' is ${unitName(typed.unit)}`);
        return null;
      }
    }
    if (left.ir.kind === "bool" && right.ir.kind === "bool") {
      const value = op === "and" ? left.ir.value && right.ir.value : left.ir.value || right.ir.value;
      return { ir: { kind: "bool", value, span }, unit: "bool" };
    }
    return { ir: { kind: "logic", op, left: left.ir, right: right.ir, span }, unit: "bool" };
  }
  const isCompare = op === ">" || op === "<" || op === ">=" || op === "<=" || op === "==" || op === "!=";
  const check = isCompare ? compareUnits(left.unit, right.unit) : arithmeticUnit(op, left.unit, right.unit);
  if (!check.ok) {
    reportUnits(ctx, env, expr, left.unit, right.unit, check.reason, isCompare);
    return null;
  }
  const a = constValue(left);
  const b = constValue(right);
  if (isCompare) {
    if (a !== null && b !== null) return { ir: { kind: "bool", value: compareConst(op, a, b), span }, unit: "bool" };
    return { ir: { kind: "compare", op, left: left.ir, right: right.ir, span }, unit: "bool" };
  }
  const unit = check.unit as Exclude<Unit, "bool">;
  if (op === "/" && b === 0) {
    ctx.report(env, "divisionByZero", expr.right.span, "division by zero");
    return null;
  }
  if (a !== null && b !== null) {
    const value = op === "+" ? a + b : op === "-" ? a - b : op === "*" ? a * b : a / b;
    return { ir: { kind: "const", value, unit, span }, unit };
  }
  return { ir: { kind: "arith", op, left: left.ir, right: right.ir, unit, span }, unit };
}

function compareConst(op: CompareOp, a: number, b: number): boolean {
  switch (op) {
    case ">":
      return a > b;
    case "<":
      return a < b;
    case ">=":
      return a >= b;
    case "<=":
      return a <= b;
    case "==":
      return a === b;
    case "!=":
      return a !== b;
  }
}

function reportUnits(
  ctx: ElaborationContext,
  env: Env,
  expr: Extract<Expr, { kind: "binary" }>,
  left: Unit,
  right: Unit,
  reason: "percent-vs-number" | "mismatch",
  isCompare: boolean,
): void {
  const verb = isCompare ? "compares" : "combines";
  const l = ctx.snippet(env, expr.left.span);
  const r = ctx.snippet(env, expr.right.span);
  if (reason === "percent-vs-number") {
    const numberSide = left === "number" ? expr.left : expr.right;
    const lit = bareNumber(numberSide);
    const shown = ctx.snippet(env, numberSide.span);
    if (lit !== null) {
      // Insert the % right after the digits, as the fix-it does: "(-6)" becomes "(-6%)".
      const cut = lit.span.end - numberSide.span.start;
      const fixed = `${shown.slice(0, cut)}%${shown.slice(cut)}`;
      ctx.report(env, "percentVsNumber", numberSide.span, `'${expr.op}' ${verb} a percent with the bare number ${shown}`, {
        hint: `write ${fixed}`,
        fix: { span: { ...lit.span, start: lit.span.end, col: lit.span.endCol, line: lit.span.endLine }, text: "%", title: `write ${fixed}` },
      });
    } else {
      const hint =
        numberSide.kind === "name"
          ? `if '${shown}' is a percent, declare it with a % (e.g. param ${shown} = 5%)`
          : "compare with a percent such as 2%, or compare the number with points(...) of the percent";
      ctx.report(env, "percentVsNumber", numberSide.span, `'${expr.op}' ${verb} a percent with a bare number ('${shown}')`, { hint });
    }
    return;
  }
  const percentExpr = left === "percent" ? expr.left : right === "percent" ? expr.right : null;
  const percentText = percentExpr === null ? null : ctx.snippet(env, percentExpr.span);
  const literal = percentExpr?.kind === "number" ? percentExpr.text : null;
  const scoreVsPercent = (left === "score" && right === "percent") || (left === "percent" && right === "score");
  const hint = scoreVsPercent
    ? literal !== null
      ? `RSI is a 0–100 score: write ${literal} without %`
      : `RSI is a 0–100 score; to compare it with a percent's number of points, write points(${percentText})`
    : percentText !== null && (left === "price" || right === "price")
      ? `a price and a percent do not compare; to compare with the percent's number of points, as Composer does, write points(${percentText})`
      : undefined;
  ctx.report(env, "unitMismatch", expr.opSpan, `'${expr.op}' ${verb} ${unitName(left)} ('${l}') with ${unitName(right)} ('${r}')`, hint === undefined ? {} : { hint });
}

function elabCall(ctx: ElaborationContext, call: Call, env: Env): Typed | null {
  const callee = call.callee;
  if (callee.parts.length === 1) {
    const name = callee.parts[0]!.name;
    if (env.letArgs?.has(name) !== true && !env.module.lets.has(name)) {
      if (name === POINTS) return elabPoints(ctx, call, env);
      const spec = indicatorByName(name);
      if (spec !== undefined) return elabIndicator(ctx, call, spec, env);
      if (!env.module.params.has(name)) {
        ctx.report(env, "unknownIndicator", callee.span, `unknown indicator '${name}'${didYouMean(name, [...INDICATOR_NAMES, ...env.module.lets.keys()])}`, {
          hint: `indicators: ${INDICATOR_NAMES.join(", ")}`,
        });
        return null;
      }
    }
  }
  const target = resolveName(ctx, callee, env);
  if (target.kind === "let") return expandLet(ctx, target.decl, target.module, call.args, call, env, "value", (body, e) => elabExpr(ctx, body, e));
  if (target.kind !== "unresolved") {
    ctx.report(env, "wrongLetArity", call.span, `'${ctx.snippet(env, callee.span)}' cannot be called`);
  }
  return null;
}

/** The unit cast `points(PERCENT)`: the bare number of percent points (5% → 5). */
export const POINTS = "points";

/**
 * `points(x)` lets a percent meet a price or a score, as Composer compares raw numbers
 * (its percents are percent points). Lowers to `x * 100` with unit number.
 */
function elabPoints(ctx: ElaborationContext, call: Call, env: Env): Typed | null {
  if (call.args.length !== 1) {
    ctx.report(env, "wrongArity", call.span, `points takes 1 argument, given ${call.args.length}`, { hint: "write points(ma_return(SPY, 5))" });
    return null;
  }
  const operand = elabExpr(ctx, call.args[0]!, env);
  if (operand === null) return null;
  if (operand.unit !== "percent") {
    ctx.report(env, "unitMismatch", call.args[0]!.span, `points(...) takes a percent, but this is ${unitName(operand.unit)}`);
    return null;
  }
  const span = ctx.irSpan(env, call.span);
  const hundred: IrExpr = { kind: "const", value: 100, unit: "number", span };
  const value = constValue(operand);
  if (value !== null) return { ir: { kind: "const", value: value * 100, unit: "number", span }, unit: "number" };
  return { ir: { kind: "arith", op: "*", left: operand.ir, right: hundred, unit: "number", span }, unit: "number" };
}

/** `rsi(SPY, 10)`: ticker and window checked, unit from the registry. */
function elabIndicator(ctx: ElaborationContext, call: Call, spec: IndicatorSpec, env: Env): Typed | null {
  const wanted = spec.windowed ? 2 : 1;
  const looksTickerless = call.args.length === wanted - 1 && (call.args.length === 0 || call.args[0]?.kind === "number");
  if (looksTickerless) {
    ctx.report(env, "tickerlessIndicator", call.span, `${spec.name} needs a ticker here: write ${spec.signature}`, {
      hint: "only the metric of top/bottom is written without a ticker",
    });
    return null;
  }
  if (call.args.length !== wanted) {
    ctx.report(env, "wrongArity", call.span, `${spec.name} takes ${wanted} argument${wanted === 1 ? "" : "s"}, given ${call.args.length}`, {
      hint: `write ${spec.signature}`,
    });
    return null;
  }
  const ticker = elabTicker(ctx, call.args[0]!, env);
  const window = spec.windowed ? elabCount(ctx, call.args[1]!, env, "window") : 1;
  if (ticker === null || window === null) return null;
  const unit = spec.unit;
  return {
    ir: { kind: "indicator", indicator: spec.name as IndicatorName, ticker, window, unit, series: -1, span: ctx.irSpan(env, call.span) },
    unit,
  };
}

/** A ticker argument: `SPY`, `"BRK.B"`, or a let parameter bound to one. */
export function elabTicker(ctx: ElaborationContext, expr: Expr, env: Env): string | null {
  if (expr.kind === "string") {
    const symbol = normalizeTicker(expr.value);
    if (!TICKER_STRING.test(symbol)) {
      ctx.report(env, "badTicker", expr.span, `"${expr.value}" is not a ticker symbol`, {
        hint: "tickers are upper-case letters and digits, with an optional class such as BRK.B",
      });
      return null;
    }
    return symbol;
  }
  if (expr.kind === "name") {
    const target = resolveName(ctx, expr, env);
    switch (target.kind) {
      case "ticker":
        return target.symbol;
      case "letArg":
        return elabTicker(ctx, target.arg, target.env);
      case "let":
        if (target.decl.params === null && (target.decl.body.kind === "name" || target.decl.body.kind === "string")) {
          return elabTicker(ctx, target.decl.body, { module: target.module, letArgs: null });
        }
        break;
      case "unresolved":
        return null;
      default:
        break;
    }
  }
  ctx.report(env, "tickerExpected", expr.span, `expected a ticker but found '${ctx.snippet(env, expr.span)}'`, {
    hint: 'write a ticker such as SPY, or a string such as "BRK.B"',
  });
  return null;
}

/** A whole positive number, or an integer param: windows and top/bottom counts. */
export function elabCount(ctx: ElaborationContext, expr: Expr, env: Env, what: "window" | "count"): IrCount | null {
  const kind = what === "window" ? "badWindow" : "badCount";
  const typed = elabExpr(ctx, expr, env);
  if (typed === null) return null;
  if (typed.ir.kind === "const" && typed.unit === "number") {
    const value = typed.ir.value;
    if (Number.isInteger(value) && value > 0) return value;
    ctx.report(env, kind, expr.span, `the ${what} must be a whole number of at least 1, not ${ctx.snippet(env, expr.span)}`);
    return null;
  }
  if (typed.ir.kind === "param") {
    const used = ctx.usedParams.get(typed.ir.name);
    const param = used === undefined ? null : paramOf(ctx, { module: used.module, letArgs: null }, used.decl);
    if (param !== null && param.integer && param.unit === "number" && (param.values[0] ?? 0) >= 1) return { param: param.name };
    ctx.report(env, kind, expr.span, `the ${what} param '${typed.ir.name}' must range over whole numbers of at least 1`);
    return null;
  }
  ctx.report(env, kind, expr.span, `the ${what} must be a whole number or a param, not ${unitName(typed.unit)}`);
  return null;
}

