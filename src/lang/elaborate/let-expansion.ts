/**
 * Expanding a `let` at a use site: arity, self-reference and the kind of value (allocation or
 * expression) are checked at the use, so errors point where the let is misused, not at its body.
 */
import type { Expr, LetDecl } from "../ast.js";
import { indicatorByName } from "../../ir/indicators.js";
import type { Module } from "../module.js";
import type { ElaborationContext, Env } from "./context.js";
import { letEnv } from "./names.js";

const ALLOCATION_KINDS = new Set<Expr["kind"]>(["equal", "weighted", "inverse_volatility", "filter", "group", "if", "use"]);
const VALUE_KINDS = new Set<Expr["kind"]>(["binary", "unary", "number", "bool", "paren"]);

/** Whether an expression is certainly an allocation, certainly a value, or could be either. */
export function exprCategory(expr: Expr): "allocation" | "value" | "either" {
  if (ALLOCATION_KINDS.has(expr.kind)) return "allocation";
  if (VALUE_KINDS.has(expr.kind)) return "value";
  if (expr.kind === "call" && expr.callee.parts.length === 1 && indicatorByName(expr.callee.parts[0]!.name) !== undefined) return "value";
  return "either";
}

/**
 * Elaborates `decl`'s body for the use at `site` with `elaborate` (value or allocation context).
 * Returns null after reporting a misuse.
 */
export function expandLet<T>(
  ctx: ElaborationContext,
  decl: LetDecl,
  module: Module,
  args: Expr[],
  site: Expr,
  env: Env,
  wanted: "allocation" | "value",
  elaborate: (body: Expr, env: Env) => T | null,
): T | null {
  ctx.usedLets.add(decl);
  if (!checkLetArity(ctx, decl, args.length, site, env)) return null;
  const category = exprCategory(decl.body);
  if (category !== "either" && category !== wanted) {
    if (wanted === "value") {
      ctx.report(env, "allocationInExpression", site.span, `'${decl.name.name}' is an allocation and cannot be used inside an expression`);
    } else {
      ctx.report(env, "valueAsAllocation", site.span, `'${decl.name.name}' is a ${category === "value" ? "value or condition" : "value"}, not an allocation`, {
        hint: "allocations are tickers, blocks such as equal { ... }, or lets that name them",
      });
    }
    return null;
  }
  if (ctx.expandingLets.has(decl)) {
    const chain = [...ctx.expandingLets];
    const from = chain.indexOf(decl);
    const names = [...chain.slice(from).map((d) => d.name.name), decl.name.name];
    ctx.report(env, "cycle", site.span, names.length > 2 ? `'${decl.name.name}' refers to itself through ${names.join(" → ")}` : `'${decl.name.name}' refers to itself`);
    return null;
  }
  ctx.expandingLets.add(decl);
  try {
    return elaborate(decl.body, letEnv(decl, module, args, env));
  } finally {
    ctx.expandingLets.delete(decl);
  }
}

/** Reports a let used with the wrong number of arguments. */
export function checkLetArity(ctx: ElaborationContext, decl: LetDecl, given: number, site: Expr, env: Env): boolean {
  const wanted = decl.params?.length ?? 0;
  if (given === wanted && (decl.params === null) === (site.kind !== "call")) return true;
  if (decl.params === null) {
    ctx.report(env, "wrongLetArity", site.span, `'${decl.name.name}' takes no arguments`, { hint: `write ${decl.name.name}` });
  } else {
    const signature = `${decl.name.name}(${decl.params.map((p) => p.name).join(", ")})`;
    ctx.report(env, "wrongLetArity", site.span, `'${decl.name.name}' takes ${wanted} argument${wanted === 1 ? "" : "s"}, given ${given}`, {
      hint: `write ${signature}`,
    });
  }
  return false;
}
