/** One `strategy`/`portfolio` declaration → its IR, with the passes of DESIGN.md §2 applied. */
import type { StrategyDecl } from "../ast.js";
import { contentHash } from "../../ir/canonical-json.js";
import { assignIds } from "../../ir/passes/assign-ids.js";
import { collectSeries } from "../../ir/passes/series.js";
import { tickerUniverse } from "../../ir/passes/universe.js";
import { warmupBars } from "../../ir/passes/warmup.js";
import { IR_VERSION, type IrParam, type IrStrategy } from "../../ir/types.js";
import type { Module } from "../module.js";
import type { ModuleLoader } from "../module-loader.js";
import { elabChildren } from "./alloc.js";
import { ElaborationContext, ExpansionAborted, type Env } from "./context.js";
import { paramOf } from "./expr.js";
import { elabSettings } from "./settings.js";

export interface ElaboratedStrategy {
  strategy: IrStrategy | null;
  params: IrParam[];
  context: ElaborationContext;
}

export interface ElaborateOptions {
  /** Compute `strategy.hash` (default true). The editor's checks need no hash and skip its cost. */
  hash?: boolean;
}

/** Elaborates one strategy of `module`; null strategy after errors (reported to the module sinks). */
export function elaborateStrategy(loader: ModuleLoader, module: Module, decl: StrategyDecl, options: ElaborateOptions = {}): ElaboratedStrategy {
  const ctx = new ElaborationContext(loader);
  const env: Env = { module, letArgs: null };
  const settings = elabSettings(ctx, decl.settings, env);
  ctx.expandingStrategies.add(`${module.file}\u0000${decl.name.value}`);
  ctx.strategySite = { env, span: decl.name.span };
  let root;
  try {
    root = elabChildren(ctx, decl.body, env, decl.span, `${decl.kind} "${decl.name.value}"`);
  } catch (error) {
    if (!(error instanceof ExpansionAborted)) throw error;
    root = null;
  }
  const params: IrParam[] = [];
  for (const { decl: paramDecl, module: paramModule } of ctx.usedParams.values()) {
    const param = paramOf(ctx, { module: paramModule, letArgs: null }, paramDecl);
    if (param !== null) params.push({ ...param, span: ctx.irSpan({ module: paramModule, letArgs: null }, paramDecl.span) });
  }
  params.sort((a, b) => a.name.localeCompare(b.name));
  if (root === null) return { strategy: null, params, context: ctx };

  assignIds(root);
  const series = collectSeries(root);
  const paramMap = new Map(params.map((p) => [p.name, p]));
  const computed = Math.max(warmupBars(root, paramMap), ctx.sleeveWarmup);
  if (settings.warmup !== null && settings.warmup.bars < computed) {
    ctx.report(env, "warmupTooShort", settings.warmup.span, `warmup ${settings.warmup.bars} is shorter than the ${computed} bars the indicators need`, {
      hint: "decisions before then would read undefined indicators; remove the override or raise it",
    });
  }
  const strategy: IrStrategy = {
    kind: decl.kind,
    name: decl.name.value,
    rebalance: settings.rebalance,
    benchmark: settings.benchmark,
    tradeAt: settings.tradeAt,
    warmupBars: settings.warmup === null ? computed : Math.max(settings.warmup.bars, computed),
    computedWarmupBars: computed,
    tickers: tickerUniverse(root),
    series,
    params: params.map((p) => p.name),
    root,
    hash: "",
    span: ctx.irSpan(env, decl.span),
  };
  if (options.hash !== false) strategy.hash = contentHash({ irVersion: IR_VERSION, strategy, params });
  return { strategy, params, context: ctx };
}
