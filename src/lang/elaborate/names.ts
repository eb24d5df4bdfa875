/**
 * Name lookup: let arguments, then the module's lets and params, then imports (`ns.name`);
 * an unresolved bare upper-case identifier is a ticker.
 */
import type { Expr, LetDecl, NameRef, ParamDecl } from "../ast.js";
import { INDICATOR_NAMES } from "../../ir/indicators.js";
import { TICKER_IDENTIFIER, type Module } from "../module.js";
import { didYouMean } from "../suggest.js";
import type { ElaborationContext, Env } from "./context.js";

/** Setting keywords, suggested when a misspelt one parses as a name ("rebalnce daily"). */
const SETTING_WORDS = ["rebalance", "benchmark", "warmup", "trade"];

export type Resolved =
  | { kind: "letArg"; arg: Expr; env: Env }
  | { kind: "let"; decl: LetDecl; module: Module }
  | { kind: "param"; decl: ParamDecl; module: Module }
  | { kind: "ticker"; symbol: string }
  | { kind: "unresolved" };

/** Names visible in `env`, for suggestions. */
export function visibleNames(env: Env): string[] {
  const names = [...env.module.lets.keys(), ...env.module.params.keys(), ...env.module.imports.keys()];
  if (env.letArgs !== null) names.push(...env.letArgs.keys());
  return names;
}

/** Resolves a (possibly qualified) name, reporting unknown ones. */
export function resolveName(ctx: ElaborationContext, ref: NameRef, env: Env): Resolved {
  const [first, ...rest] = ref.parts;
  if (first === undefined) return { kind: "unresolved" };
  if (rest.length === 0) {
    const arg = env.letArgs?.get(first.name);
    if (arg !== undefined) return { kind: "letArg", arg: arg.arg, env: arg.env };
    const decl = env.module.lets.get(first.name);
    if (decl !== undefined) return { kind: "let", decl, module: env.module };
    const param = env.module.params.get(first.name);
    if (param !== undefined) return { kind: "param", decl: param, module: env.module };
    if (env.module.imports.has(first.name)) {
      ctx.report(env, "unknownName", ref.span, `'${first.name}' is a module; name one of its lets, e.g. ${first.name}.something`);
      return { kind: "unresolved" };
    }
    if (TICKER_IDENTIFIER.test(first.name)) return { kind: "ticker", symbol: first.name };
    if (env.module.program.brokenNames?.has(first.name) === true) return { kind: "unresolved" };
    ctx.report(env, "unknownName", ref.span, `unknown name '${first.name}'${didYouMean(first.name, [...visibleNames(env), ...INDICATOR_NAMES, ...SETTING_WORDS])}`);
    return { kind: "unresolved" };
  }
  const binding = env.module.imports.get(first.name);
  if (binding === undefined) {
    ctx.report(env, "unknownName", first.span, `unknown module '${first.name}'${didYouMean(first.name, env.module.imports.keys())}`);
    return { kind: "unresolved" };
  }
  binding.used = true;
  if (binding.module === null) return { kind: "unresolved" };
  const member = rest[0]!;
  if (rest.length > 1) {
    ctx.report(env, "unknownMember", rest[1]!.span, `modules are one level deep: '${first.name}.${member.name}' has no members`);
    return { kind: "unresolved" };
  }
  const decl = binding.module.lets.get(member.name);
  if (decl !== undefined) return { kind: "let", decl, module: binding.module };
  ctx.report(
    env,
    "unknownMember",
    member.span,
    `'${binding.decl.path.value}' has no let named '${member.name}'${didYouMean(member.name, binding.module.lets.keys())}`,
  );
  return { kind: "unresolved" };
}

/** The environment for a let's body: its module, with its parameters bound to the call's arguments. */
export function letEnv(decl: LetDecl, module: Module, args: Expr[], callerEnv: Env): Env {
  const letArgs = new Map<string, { arg: Expr; env: Env }>();
  (decl.params ?? []).forEach((p, i) => {
    const arg = args[i];
    if (arg !== undefined) letArgs.set(p.name, { arg, env: callerEnv });
  });
  return { module, letArgs };
}
