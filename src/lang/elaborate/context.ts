/**
 * State shared by one elaboration (AST → IR) of one strategy: the environment chain for let
 * parameters, recursion guards (depth, let and strategy cycles, expansion size) and the params
 * the strategy reads.
 */
import type { Expr, LetDecl, ParamDecl } from "../ast.js";
import type { DiagnosticKind, FixIt } from "../diagnostics.js";
import { MAX_IR_NODES, MAX_TREE_DEPTH } from "../limits.js";
import type { Module } from "../module.js";
import type { ModuleLoader } from "../module-loader.js";
import type { Span } from "../source.js";
import type { IrSpan } from "../../ir/types.js";

/** Where names are looked up: a module, plus the arguments of the let being expanded. */
export interface Env {
  module: Module;
  letArgs: Map<string, { arg: Expr; env: Env }> | null;
}

/** Raised to unwind a strategy whose expansion exceeds the limits; caught by the compiler. */
export class ExpansionAborted extends Error {}

export class ElaborationContext {
  depth = 0;
  nodes = 0;
  /** The largest warm-up override of a strategy included as a sleeve. */
  sleeveWarmup = 0;
  private depthReported = false;
  readonly expandingLets = new Set<LetDecl>();
  readonly expandingStrategies = new Set<string>();
  /** Params read, keyed by name; the module tells apart same-named params of different files. */
  readonly usedParams = new Map<string, { decl: ParamDecl; module: Module }>();
  readonly usedLets = new Set<LetDecl>();
  /** Params named anywhere, even where the use was an error: they are not "unused". */
  readonly mentionedParams = new Set<ParamDecl>();
  /** Where an expansion past the size limit is reported: the strategy's name. */
  strategySite: { env: Env; span: Span } | null = null;

  constructor(readonly loader: ModuleLoader) {}

  /** Records a param read; two different params of one name (from different files) are an error. */
  useParam(env: Env, decl: ParamDecl, module: Module, site: Span): boolean {
    const known = this.usedParams.get(decl.name.name);
    if (known !== undefined && known.decl !== decl) {
      this.report(env, "duplicateName", site, `two different params are named '${decl.name.name}' (in ${known.module.file} and ${module.file})`, {
        hint: "rename one of them; params are global to the optimizer",
      });
      return false;
    }
    this.usedParams.set(decl.name.name, { decl, module });
    return true;
  }

  report(env: Env, kind: DiagnosticKind, span: Span, message: string, extra: { hint?: string; fix?: FixIt } = {}): void {
    env.module.sink.add(kind, span, message, extra);
  }

  irSpan(env: Env, span: Span): IrSpan {
    return { file: env.module.file, line: span.line, col: span.col, endLine: span.endLine, endCol: span.endCol };
  }

  /** The source text of a span, shortened for messages. */
  snippet(env: Env, span: Span): string {
    const text = env.module.text.slice(span.start, span.end).replace(/\s+/g, " ");
    return text.length > 40 ? `${text.slice(0, 37)}...` : text;
  }

  /** Enters one level of the tree; false (reported once) past the depth limit. */
  enter(env: Env, span: Span): boolean {
    if (this.depth >= MAX_TREE_DEPTH) {
      if (!this.depthReported) {
        this.report(env, "nestingTooDeep", span, `the strategy tree is deeper than ${MAX_TREE_DEPTH} levels`, {
          hint: "shorten else-if chains or long expressions",
        });
        this.depthReported = true;
      }
      return false;
    }
    this.depth++;
    return true;
  }

  leave(): void {
    this.depth--;
  }

  /** Counts one IR node; aborts the strategy when lets expand past the limit. */
  countNode(env: Env, span: Span): void {
    this.nodes++;
    if (this.nodes > MAX_IR_NODES) {
      const site = this.strategySite ?? { env, span };
      this.report(site.env, "expansionTooLarge", site.span, `this strategy expands to more than ${MAX_IR_NODES} nodes`, {
        hint: "lets are copied at each use; use fewer nested lets",
      });
      throw new ExpansionAborted();
    }
  }
}
