/**
 * Declarations no strategy reads. Their bodies are still checked (a typo in a let should not
 * wait for its first use), and in a file with strategies they are warned about; a file without
 * strategies is a module whose lets are meant for importers.
 */
import type { Expr, LetDecl, ParamDecl } from "../ast.js";
import type { Module } from "../module.js";
import { DiagnosticSink } from "../diagnostics.js";
import type { ModuleLoader } from "../module-loader.js";
import { elabAlloc } from "./alloc.js";
import { ElaborationContext, ExpansionAborted, type Env } from "./context.js";
import { elabExpr, paramOf } from "./expr.js";
import { exprCategory } from "./let-expansion.js";

/** Checks and warns about unused lets and params of the root module. */
export function checkUnusedDeclarations(loader: ModuleLoader, root: Module, usedLets: Set<LetDecl>, usedParams: Set<ParamDecl>): void {
  const warn = root.strategies.size > 0;
  const env: Env = { module: root, letArgs: null };
  for (const decl of root.lets.values()) {
    if (usedLets.has(decl)) continue;
    if (decl.params === null) checkLetBody(loader, decl, env);
    else checkParameterisedLetBody(loader, decl, root);
    if (warn) root.sink.add("unusedName", decl.name.span, `the let '${decl.name.name}' is never used`);
  }
  for (const binding of root.imports.values()) {
    if (warn && !binding.used) root.sink.add("unusedName", binding.decl.alias.span, `the import '${binding.decl.alias.name}' is never used`);
  }
  for (const decl of root.params.values()) {
    const ctx = new ElaborationContext(loader);
    paramOf(ctx, env, decl);
    if (warn && !usedParams.has(decl)) root.sink.add("unusedName", decl.name.span, `the param '${decl.name.name}' is never used`);
  }
}

/**
 * A let with parameters is checked with each parameter bound to a placeholder ticker located at
 * the parameter's own name; findings at those locations say only that the placeholder did not
 * fit (the parameter is used as a number, say), so they are dropped.
 */
function checkParameterisedLetBody(loader: ModuleLoader, decl: LetDecl, root: Module): void {
  const scratch = new DiagnosticSink(root.file);
  const shadow: Module = { ...root, sink: scratch };
  const placeholderSpans = new Set<number>();
  const letArgs = new Map<string, { arg: Expr; env: Env }>();
  const outer: Env = { module: shadow, letArgs: null };
  for (const p of decl.params ?? []) {
    placeholderSpans.add(p.span.start);
    letArgs.set(p.name, { arg: { kind: "name", parts: [{ name: "X", span: p.span }], span: p.span }, env: outer });
  }
  checkLetBody(loader, decl, { module: shadow, letArgs });
  for (const d of scratch.items) {
    if (!placeholderSpans.has(d.span.start)) root.sink.push({ ...d, file: root.file });
  }
}

function checkLetBody(loader: ModuleLoader, decl: LetDecl, env: Env): void {
  const ctx = new ElaborationContext(loader);
  ctx.expandingLets.add(decl);
  try {
    if (exprCategory(decl.body) === "value") elabExpr(ctx, decl.body, env);
    else elabAlloc(ctx, decl.body, env);
  } catch (error) {
    if (!(error instanceof ExpansionAborted)) throw error;
  }
}


