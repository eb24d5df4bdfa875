/**
 * The abstract syntax tree shared by the `.strat` parser and the Composer reader.
 * Allocation forms and expressions live in one union because a few forms (names, calls,
 * ticker strings) can be either; the binder decides which from context.
 */
import type { Span } from "./source.js";

export interface Ident {
  name: string;
  span: Span;
}

/** A numeric literal; `text` is kept verbatim so printing and percent scaling stay exact. */
export interface NumberLit {
  kind: "number";
  /** Digits as written, without `%` (e.g. "5", "0.25"). A leading "-" only from Composer. */
  text: string;
  value: number;
  percent: boolean;
  span: Span;
}

export interface BoolLit {
  kind: "bool";
  value: boolean;
  span: Span;
}

/** A string: a ticker such as "BRK.B" or the name of a strategy in this file. */
export interface StringLit {
  kind: "string";
  value: string;
  span: Span;
}

/** `SPY`, `risk_off` or `hedges.vix_pop`. */
export interface NameRef {
  kind: "name";
  parts: Ident[];
  span: Span;
}

/** `rsi(SPY, 10)` or a parameterised let `overbought(QQQ)`. */
export interface Call {
  kind: "call";
  callee: NameRef;
  args: Expr[];
  span: Span;
}

export type BinaryOp = "+" | "-" | "*" | "/" | ">" | "<" | ">=" | "<=" | "==" | "!=" | "and" | "or";

export interface Binary {
  kind: "binary";
  op: BinaryOp;
  left: Expr;
  right: Expr;
  opSpan: Span;
  span: Span;
}

export interface Unary {
  kind: "unary";
  op: "-" | "not";
  operand: Expr;
  span: Span;
}

export interface Paren {
  kind: "paren";
  inner: Expr;
  span: Span;
}

export interface EqualNode {
  kind: "equal";
  children: Expr[];
  span: Span;
}

export interface WeightedChild {
  weight: NumberLit;
  node: Expr;
  span: Span;
}

export interface WeightedNode {
  kind: "weighted";
  children: WeightedChild[];
  span: Span;
}

export interface InverseVolatilityNode {
  kind: "inverse_volatility";
  window: Expr;
  children: Expr[];
  span: Span;
}

/** `top N by METRIC { ... }` / `bottom N by METRIC { ... }`. */
export interface FilterNode {
  kind: "filter";
  select: "top" | "bottom";
  count: Expr;
  /** An indicator call without a ticker (`rsi(10)`), or a let naming one. */
  metric: Call | NameRef;
  children: Expr[];
  span: Span;
}

export interface GroupNode {
  kind: "group";
  name: StringLit;
  children: Expr[];
  span: Span;
}

export interface IfBranch {
  cond: Expr;
  body: Expr[];
  span: Span;
}

/** `if C { } else if C { } else { }`; `elseBody` null when there is no else. */
export interface IfNode {
  kind: "if";
  branches: IfBranch[];
  elseBody: Expr[] | null;
  elseSpan: Span | null;
  span: Span;
}

/** `use "path.strat"`: another file's (first) strategy as an allocation node. */
export interface UseNode {
  kind: "use";
  path: StringLit;
  span: Span;
}

export type Expr =
  | NumberLit
  | BoolLit
  | StringLit
  | NameRef
  | Call
  | Binary
  | Unary
  | Paren
  | EqualNode
  | WeightedNode
  | InverseVolatilityNode
  | FilterNode
  | GroupNode
  | IfNode
  | UseNode;

export interface ImportDecl {
  kind: "import";
  path: StringLit;
  alias: Ident;
  span: Span;
}

export type ParamRange =
  | { kind: "interval"; min: NumberLit; max: NumberLit; step: NumberLit | null; span: Span }
  | { kind: "set"; values: NumberLit[]; span: Span };

/** `param fast = 50 in 10..100 step 10`. Literals carry their sign in `value`. */
export interface ParamDecl {
  kind: "param";
  name: Ident;
  value: NumberLit;
  range: ParamRange | null;
  span: Span;
}

export interface LetDecl {
  kind: "let";
  name: Ident;
  params: Ident[] | null;
  body: Expr;
  span: Span;
}

export type Setting =
  | { kind: "rebalance"; mode: Ident; threshold: NumberLit | null; span: Span }
  | { kind: "benchmark"; ticker: Expr; span: Span }
  | { kind: "warmup"; bars: NumberLit; span: Span }
  | { kind: "trade_at"; time: string; timeSpan: Span; span: Span };

export interface StrategyDecl {
  kind: "strategy" | "portfolio";
  name: StringLit;
  settings: Setting[];
  body: Expr[];
  span: Span;
}

export type Decl = ImportDecl | ParamDecl | LetDecl | StrategyDecl;

export interface Comment {
  text: string;
  span: Span;
}

/** A whole file. `comments` are in source order, for the formatter. */
export interface Program {
  kind: "program";
  file: string;
  decls: Decl[];
  comments: Comment[];
  /** Names of declarations too broken to build; uses of them are not reported again. */
  brokenNames?: Set<string>;
  span: Span;
}
