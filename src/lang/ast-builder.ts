/**
 * Turns the Chevrotain CST into the AST. The CST may come from error recovery, so every
 * child can be missing: a node that cannot be built is dropped (the parser has already
 * reported why) and its parent carries on.
 */
import type { CstElement, CstNode, IToken } from "chevrotain";
import type * as A from "./ast.js";
import type { DiagnosticSink } from "./diagnostics.js";
import type { Span } from "./source.js";
import { joinSpans } from "./source.js";
import { unescapeString } from "./strings.js";

type Children = Record<string, CstElement[] | undefined>;

function isToken(element: CstElement | undefined): element is IToken {
  return element !== undefined && (element as IToken).image !== undefined;
}

/** Tokens inserted by error recovery have no position; the AST treats them as missing. */
function isRealToken(element: CstElement | undefined): element is IToken {
  return isToken(element) && !Number.isNaN(element.startOffset);
}

function tokenAt(children: Children, key: string, index = 0): IToken | undefined {
  const element = children[key]?.[index];
  return isRealToken(element) ? element : undefined;
}

function nodeAt(children: Children, key: string, index = 0): CstNode | undefined {
  const element = children[key]?.[index];
  return element !== undefined && !isToken(element) ? element : undefined;
}

function nodesOf(children: Children, key: string): CstNode[] {
  return (children[key] ?? []).filter((e): e is CstNode => !isToken(e));
}

function tokensOf(children: Children, key: string): IToken[] {
  return (children[key] ?? []).filter(isRealToken);
}

/** Span of a token; Chevrotain's end positions are inclusive, ours are exclusive. */
export function tokenSpan(token: IToken): Span {
  return {
    start: token.startOffset,
    end: (token.endOffset ?? token.startOffset) + 1,
    line: token.startLine ?? 1,
    col: token.startColumn ?? 1,
    endLine: token.endLine ?? token.startLine ?? 1,
    endCol: (token.endColumn ?? token.startColumn ?? 1) + 1,
  };
}

function cstSpan(node: CstNode): Span | undefined {
  const loc = node.location;
  if (loc === undefined || Number.isNaN(loc.startOffset) || loc.endOffset === undefined || Number.isNaN(loc.endOffset)) {
    return undefined;
  }
  return {
    start: loc.startOffset,
    end: loc.endOffset + 1,
    line: loc.startLine ?? 1,
    col: loc.startColumn ?? 1,
    endLine: loc.endLine ?? 1,
    endCol: (loc.endColumn ?? 1) + 1,
  };
}

/** Binding strength of binary operators; `not` binds looser than comparisons, tighter than `and`. */
const NOT_PRECEDENCE = 3;
const COMPARISON_PRECEDENCE = 4;
const PRECEDENCE: Record<string, number> = {
  or: 1, and: 2, ">": 4, "<": 4, ">=": 4, "<=": 4, "==": 4, "!=": 4, "+": 5, "-": 5, "*": 6, "/": 6,
};

/** Builds AST nodes from one file's CST, reporting lexical problems found on the way. */
export class AstBuilder {
  constructor(
    private readonly sink: DiagnosticSink,
    private readonly commaOffsets: ReadonlySet<number>,
  ) {}

  program(cst: CstNode, file: string, comments: A.Comment[], whole: Span): A.Program {
    const decls: A.Decl[] = [];
    const brokenNames = new Set<string>();
    for (const declaration of nodesOf(cst.children, "declaration")) {
      const inner = Object.values(declaration.children)[0]?.[0];
      if (inner === undefined || isToken(inner)) continue;
      const decl = this.declaration(inner);
      if (decl !== null) decls.push(decl);
      else {
        const name = tokenAt(inner.children, "name") ?? tokenAt(inner.children, "Identifier");
        if (name !== undefined) brokenNames.add(name.image);
      }
    }
    return { kind: "program", file, decls, comments, brokenNames, span: whole };
  }

  private declaration(node: CstNode): A.Decl | null {
    switch (node.name) {
      case "importDecl":
        return this.importDecl(node);
      case "paramDecl":
        return this.paramDecl(node);
      case "letDecl":
        return this.letDecl(node);
      case "strategyDecl":
        return this.strategyDecl(node);
      default:
        return null;
    }
  }

  private importDecl(node: CstNode): A.ImportDecl | null {
    const path = tokenAt(node.children, "StringLiteral");
    const alias = tokenAt(node.children, "Identifier");
    const span = cstSpan(node);
    if (path === undefined || alias === undefined || span === undefined) return null;
    return { kind: "import", path: this.stringLit(path), alias: this.ident(alias), span };
  }

  private paramDecl(node: CstNode): A.ParamDecl | null {
    const name = tokenAt(node.children, "Identifier");
    const valueNode = nodeAt(node.children, "signedNumber");
    const span = cstSpan(node);
    if (name === undefined || valueNode === undefined || span === undefined) return null;
    const value = this.signedNumber(valueNode);
    if (value === null) return null;
    const rangeNode = nodeAt(node.children, "paramRange");
    let range: A.ParamRange | null = null;
    if (rangeNode !== undefined) {
      range = this.paramRange(rangeNode);
      if (range === null) return null;
    }
    return { kind: "param", name: this.ident(name), value, range, span };
  }

  private paramRange(node: CstNode): A.ParamRange | null {
    const span = cstSpan(node);
    if (span === undefined) return null;
    if (node.children.LBracket !== undefined) {
      const values = nodesOf(node.children, "values").map((n) => this.signedNumber(n));
      if (values.some((v) => v === null)) return null;
      return { kind: "set", values: values as A.NumberLit[], span };
    }
    const min = nodeAt(node.children, "min");
    const max = nodeAt(node.children, "max");
    const stepNode = nodeAt(node.children, "step");
    if (min === undefined || max === undefined) return null;
    const lo = this.signedNumber(min);
    const hi = this.signedNumber(max);
    const step = stepNode === undefined ? null : this.signedNumber(stepNode);
    if (lo === null || hi === null || (stepNode !== undefined && step === null)) return null;
    return { kind: "interval", min: lo, max: hi, step, span };
  }

  private signedNumber(node: CstNode): A.NumberLit | null {
    const minus = tokenAt(node.children, "Minus");
    const digits = tokenAt(node.children, "NumberLiteral") ?? tokenAt(node.children, "Percent");
    if (digits === undefined) return null;
    const lit = this.numberLit(digits);
    if (minus === undefined) return lit;
    return { ...lit, text: `-${lit.text}`, value: -lit.value, span: joinSpans(tokenSpan(minus), lit.span) };
  }

  private letDecl(node: CstNode): A.LetDecl | null {
    const name = tokenAt(node.children, "name");
    const span = cstSpan(node);
    const bodyNode = nodeAt(node.children, "blockNode") ?? nodeAt(node.children, "expression");
    if (name === undefined || span === undefined || bodyNode === undefined) return null;
    const body = bodyNode.name === "blockNode" ? this.blockNode(bodyNode) : this.expression(bodyNode);
    if (body === null) return null;
    const params = node.children.LParen === undefined ? null : tokensOf(node.children, "params").map((t) => this.ident(t));
    return { kind: "let", name: this.ident(name), params, body, span };
  }

  private strategyDecl(node: CstNode): A.StrategyDecl | null {
    const keyword = tokenAt(node.children, "Strategy") ?? tokenAt(node.children, "Portfolio");
    const name = tokenAt(node.children, "StringLiteral");
    const span = cstSpan(node);
    if (keyword === undefined || name === undefined || span === undefined) return null;
    const settings: A.Setting[] = [];
    for (const s of nodesOf(node.children, "setting")) {
      const setting = this.setting(s);
      if (setting !== null) settings.push(setting);
    }
    const body = this.nodeList(nodesOf(node.children, "node"));
    return {
      kind: keyword.tokenType.name === "Portfolio" ? "portfolio" : "strategy",
      name: this.stringLit(name),
      settings,
      body,
      span,
    };
  }

  private setting(node: CstNode): A.Setting | null {
    const span = cstSpan(node);
    if (span === undefined) return null;
    const c = node.children;
    if (c.Rebalance !== undefined) {
      const mode = tokenAt(c, "mode");
      if (mode === undefined) return null;
      const width = tokenAt(c, "width");
      return { kind: "rebalance", mode: this.ident(mode), threshold: width === undefined ? null : this.numberLit(width), span };
    }
    if (c.Benchmark !== undefined) {
      const ticker = tokenAt(c, "ticker");
      const str = tokenAt(c, "StringLiteral");
      if (ticker !== undefined) return { kind: "benchmark", ticker: this.nameRef([ticker]), span };
      if (str !== undefined) return { kind: "benchmark", ticker: this.stringLit(str), span };
      return null;
    }
    if (c.Warmup !== undefined) {
      const bars = tokenAt(c, "NumberLiteral");
      return bars === undefined ? null : { kind: "warmup", bars: this.numberLit(bars), span };
    }
    const at = tokenAt(c, "at");
    const time = tokenAt(c, "Time");
    if (at === undefined || time === undefined) return null;
    if (at.image !== "at") {
      this.sink.add("unexpectedToken", tokenSpan(at), `expected 'at' after 'trade' but found '${at.image}'`, {
        hint: "write: trade at 15:50",
      });
      return null;
    }
    return { kind: "trade_at", time: time.image, timeSpan: tokenSpan(time), span };
  }

  /** Nodes of a block, checking that two children on one line are separated by a comma. */
  private nodeList(nodes: CstNode[]): A.Expr[] {
    const out: A.Expr[] = [];
    for (const n of nodes) {
      const built = this.node(n);
      if (built === null) continue;
      this.checkSeparator(out[out.length - 1]?.span, built.span);
      out.push(built);
    }
    return out;
  }

  /** Reports two children on one line without a comma between them. */
  private checkSeparator(previous: Span | undefined, next: Span): void {
    if (previous === undefined || previous.endLine !== next.line || this.hasCommaBetween(previous.end, next.start)) return;
    this.sink.add("missingSeparator", next, "children on one line must be separated by a comma", {
      hint: "add a comma, or put each child on its own line",
      fix: { span: { ...previous, start: previous.end, end: previous.end, line: previous.endLine, col: previous.endCol }, text: ",", title: "insert ','" },
    });
  }

  private hasCommaBetween(from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (this.commaOffsets.has(i)) return true;
    return false;
  }

  private childrenOf(node: CstNode | undefined): A.Expr[] | null {
    if (node === undefined) return null;
    return this.nodeList(nodesOf(node.children, "node"));
  }

  private node(node: CstNode): A.Expr | null {
    const block = nodeAt(node.children, "blockNode");
    if (block !== undefined) return this.blockNode(block);
    const ref = nodeAt(node.children, "reference");
    if (ref !== undefined) return this.reference(ref);
    const str = tokenAt(node.children, "StringLiteral");
    return str === undefined ? null : this.stringLit(str);
  }

  private blockNode(node: CstNode): A.Expr | null {
    const inner = Object.values(node.children)[0]?.[0];
    if (inner === undefined || isToken(inner)) return null;
    const span = cstSpan(inner);
    if (span === undefined) return null;
    const c = inner.children;
    switch (inner.name) {
      case "equalNode": {
        const children = this.childrenOf(nodeAt(c, "children"));
        return children === null ? null : { kind: "equal", children, span };
      }
      case "weightedNode": {
        const children: A.WeightedChild[] = [];
        for (const wc of nodesOf(c, "weightedChild")) {
          const pct = tokenAt(wc.children, "Percent");
          const child = nodeAt(wc.children, "node");
          const wspan = cstSpan(wc);
          if (pct === undefined || child === undefined || wspan === undefined) continue;
          const built = this.node(child);
          if (built === null) continue;
          this.checkSeparator(children[children.length - 1]?.span, wspan);
          children.push({ weight: this.numberLit(pct), node: built, span: wspan });
        }
        return { kind: "weighted", children, span };
      }
      case "inverseVolatilityNode": {
        const windowNode = nodeAt(c, "expression");
        const window = windowNode === undefined ? null : this.expression(windowNode);
        const children = this.childrenOf(nodeAt(c, "children"));
        return window === null || children === null ? null : { kind: "inverse_volatility", window, children, span };
      }
      case "filterNode": {
        const select = tokenAt(c, "Top") !== undefined ? "top" : "bottom";
        const countToken = tokenAt(c, "NumberLiteral") ?? tokenAt(c, "Identifier");
        const metricNode = nodeAt(c, "reference");
        const children = this.childrenOf(nodeAt(c, "children"));
        if (countToken === undefined || metricNode === undefined || children === null) return null;
        const count: A.Expr =
          countToken.tokenType.name === "NumberLiteral" ? this.numberLit(countToken) : this.nameRef([countToken]);
        const metric = this.reference(metricNode);
        if (metric === null) return null;
        return { kind: "filter", select, count, metric, children, span };
      }
      case "groupNode": {
        const name = tokenAt(c, "StringLiteral");
        const children = this.childrenOf(nodeAt(c, "children"));
        return name === undefined || children === null ? null : { kind: "group", name: this.stringLit(name), children, span };
      }
      case "ifNode":
        return this.ifNode(inner, span);
      case "useNode": {
        const path = tokenAt(c, "StringLiteral");
        return path === undefined ? null : { kind: "use", path: this.stringLit(path), span };
      }
      default:
        return null;
    }
  }

  private ifNode(node: CstNode, span: Span): A.IfNode | null {
    const conditions = nodesOf(node.children, "conditions");
    const bodies = nodesOf(node.children, "bodies");
    const branches: A.IfBranch[] = [];
    for (let i = 0; i < conditions.length && i < bodies.length; i++) {
      const condNode = conditions[i];
      const bodyNode = bodies[i];
      if (condNode === undefined || bodyNode === undefined) continue;
      const cond = this.expression(condNode);
      const body = this.childrenOf(bodyNode);
      const bodySpan = cstSpan(bodyNode);
      if (cond === null || body === null || bodySpan === undefined) return null;
      branches.push({ cond, body, span: joinSpans(cond.span, bodySpan) });
    }
    if (branches.length === 0) return null;
    const elseNode = nodeAt(node.children, "elseBody");
    const elseBody = elseNode === undefined ? null : this.childrenOf(elseNode);
    const elseSpan = elseNode === undefined ? null : (cstSpan(elseNode) ?? null);
    return { kind: "if", branches, elseBody, elseSpan, span };
  }

  private reference(node: CstNode): A.NameRef | A.Call | null {
    const parts = tokensOf(node.children, "parts");
    if (parts.length === 0) return null;
    const ref = this.nameRef(parts);
    if (node.children.LParen === undefined) return ref;
    const span = cstSpan(node);
    if (span === undefined) return null;
    const args: A.Expr[] = [];
    for (const a of nodesOf(node.children, "args")) {
      const arg = this.expression(a);
      if (arg === null) return null;
      args.push(arg);
    }
    return { kind: "call", callee: ref, args, span };
  }

  /**
   * An expression from the parser's flat `operand (op operand)*` chain, by precedence climbing:
   * or < and < not < comparisons < + - < * / < unary minus. Comparisons do not chain.
   */
  expression(node: CstNode): A.Expr | null {
    const operands = nodesOf(node.children, "operands").map((o) => ({
      prefixes: tokensOf(o.children, "prefixes").sort((a, b) => a.startOffset - b.startOffset),
      primary: nodeAt(o.children, "primary"),
    }));
    const ops = tokensOf(node.children, "ops");
    if (operands.length === 0 || ops.length !== operands.length - 1) return null;
    let next = 0;
    const operand = (prefixStart: number): A.Expr | null => {
      const item = operands[next];
      if (item === undefined) return null;
      const prefix = item.prefixes[prefixStart];
      if (prefix !== undefined) {
        const inner = prefix.image === "not" ? climb(NOT_PRECEDENCE, prefixStart + 1) : operand(prefixStart + 1);
        if (inner === null) return null;
        return { kind: "unary", op: prefix.image === "not" ? "not" : "-", operand: inner, span: joinSpans(tokenSpan(prefix), inner.span) };
      }
      next++;
      return item.primary === undefined ? null : this.primary(item.primary);
    };
    const climb = (minPrecedence: number, prefixStart: number): A.Expr | null => {
      let left = operand(prefixStart);
      while (left !== null && next - 1 < ops.length) {
        const op = ops[next - 1]!;
        const precedence = PRECEDENCE[op.image] ?? 0;
        if (precedence < minPrecedence) break;
        if (precedence === COMPARISON_PRECEDENCE && left.kind === "binary" && PRECEDENCE[left.op] === precedence) {
          this.sink.add("unexpectedToken", tokenSpan(op), `comparisons do not chain: '${op.image}' follows another comparison`, {
            hint: "write a > b and b > c",
          });
          return null;
        }
        const right = climb(precedence + 1, 0);
        if (right === null) return null;
        left = { kind: "binary", op: op.image as A.BinaryOp, left, right, opSpan: tokenSpan(op), span: joinSpans(left.span, right.span) };
      }
      return left;
    };
    return climb(0, 0);
  }

  private primary(node: CstNode): A.Expr | null {
    const c = node.children;
    const num = tokenAt(c, "NumberLiteral") ?? tokenAt(c, "Percent");
    if (num !== undefined) return this.numberLit(num);
    const t = tokenAt(c, "True") ?? tokenAt(c, "False");
    if (t !== undefined) return { kind: "bool", value: t.image === "true", span: tokenSpan(t) };
    const str = tokenAt(c, "StringLiteral");
    if (str !== undefined) return this.stringLit(str);
    const inner = nodeAt(c, "expression");
    if (inner !== undefined) {
      const built = this.expression(inner);
      const span = cstSpan(node);
      return built === null || span === undefined ? null : { kind: "paren", inner: built, span };
    }
    const ref = nodeAt(c, "reference");
    return ref === undefined ? null : this.reference(ref);
  }

  private ident(token: IToken): A.Ident {
    return { name: token.image, span: tokenSpan(token) };
  }

  private nameRef(tokens: IToken[]): A.NameRef {
    const parts = tokens.map((t) => this.ident(t));
    const first = parts[0]!.span;
    const last = parts[parts.length - 1]!.span;
    return { kind: "name", parts, span: joinSpans(first, last) };
  }

  private numberLit(token: IToken): A.NumberLit {
    const percent = token.image.endsWith("%");
    const text = percent ? token.image.slice(0, -1) : token.image;
    return { kind: "number", text, value: Number(text), percent, span: tokenSpan(token) };
  }

  private stringLit(token: IToken): A.StringLit {
    const span = tokenSpan(token);
    const { value, badEscapeAt } = unescapeString(token.image.slice(1, -1));
    if (badEscapeAt !== null) {
      const at = span.start + 1 + badEscapeAt;
      this.sink.add(
        "badEscape",
        { start: at, end: at + 2, line: span.line, col: span.col + 1 + badEscapeAt, endLine: span.line, endCol: span.col + 3 + badEscapeAt },
        `unknown escape '${token.image.slice(1 + badEscapeAt, 3 + badEscapeAt)}' in string`,
        { hint: 'strings know \\" \\\\ \\n and \\t' },
      );
    }
    return { kind: "string", value, span };
  }
}
