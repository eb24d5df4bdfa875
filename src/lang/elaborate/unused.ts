/**
 * Declarations no strategy reads. Their bodies are still checked (a typo in a let should not
 * wait for its first use), and in a file with strategies they are warned about; a file without
 * strategies is a module whose lets are meant for importers.
 */
import type { Expr, LetDecl } from "../ast.js";
import type { Module } from "../module.js";
import type { ModuleLoader } from "../module-loader.js";
import { elabAlloc } from "./alloc.js";
import { ElaborationContext, ExpansionAborted, type Env } from "./context.js";
import { elabExpr, paramOf } from "./expr.js";
import { indicatorByName } from "../../ir/indicators.js";

const VALUE_KINDS = new Set<Expr["kind"]>(["binary", "unary", "number", "bool", "paren"]);

/** Checks and warns about unused lets and params of the root module. */
export function checkUnusedDeclarations(loader: ModuleLoader, root: Module, usedLets: Set<LetDecl>, usedParams: Set<string>): void {
  const warn = root.strategies.size > 0;
  const env: Env = { module: root, letArgs: null };
  for (const decl of root.lets.values()) {
    if (usedLets.has(decl)) continue;
    if (decl.params === null) checkLetBody(loader, decl, env);
    if (warn) root.sink.add("unusedName", decl.name.span, `the let '${decl.name.name}' is never used`);
  }
  for (const decl of root.params.values()) {
    const ctx = new ElaborationContext(loader);
    paramOf(ctx, env, decl);
    if (warn && !usedParams.has(decl.name.name)) root.sink.add("unusedName", decl.name.span, `the param '${decl.name.name}' is never used`);
  }
}

function checkLetBody(loader: ModuleLoader, decl: LetDecl, env: Env): void {
  const ctx = new ElaborationContext(loader);
  ctx.expandingLets.add(decl);
  try {
    if (VALUE_KINDS.has(decl.body.kind) || isIndicatorCall(decl.body)) elabExpr(ctx, decl.body, env);
    else elabAlloc(ctx, decl.body, env);
  } catch (error) {
    if (!(error instanceof ExpansionAborted)) throw error;
  }
}

/** An indicator call such as `rsi(SPY, 10)` is a value, not an allocation. */
function isIndicatorCall(expr: Expr): boolean {
  return expr.kind === "call" && expr.callee.parts.length === 1 && indicatorByName(expr.callee.parts[0]!.name) !== undefined;
}
