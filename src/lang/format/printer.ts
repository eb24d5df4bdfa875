/**
 * The canonical layout of `.strat` files (what `strat fmt` writes and `strat convert` emits):
 * two-space indents, one declaration/setting/child per line, short blocks of plain children
 * on one line (up to 100 columns), `else if` chains, at most one blank line kept where the
 * source had one, and every comment kept.
 */
import type { Decl, Expr, IfNode, Program, Setting, StrategyDecl } from "../ast.js";
import type { Span } from "../source.js";
import { quoteString } from "../strings.js";
import { CommentQueue } from "./comments.js";
import { printExpr } from "./expressions.js";

export const MAX_WIDTH = 100;

export interface PrintOptions {
  /** The text the AST was parsed from; enables keeping blank lines. Omit for ASTs from other sources. */
  source?: string;
}

const PLAIN_KINDS = new Set<Expr["kind"]>(["name", "string", "call", "use"]);

/** Prints a whole program. */
export function printProgram(program: Program, options: PrintOptions = {}): string {
  const printer = new Printer(program, options);
  return printer.print();
}

class Printer {
  private readonly lines: string[] = [];
  private readonly comments: CommentQueue;

  constructor(
    private readonly program: Program,
    private readonly options: PrintOptions,
  ) {
    this.comments = new CommentQueue(options.source === undefined ? [] : program.comments);
  }

  print(): string {
    let previous: Decl | null = null;
    for (const decl of this.program.decls) {
      const separate =
        previous !== null &&
        (decl.kind === "strategy" || decl.kind === "portfolio" || previous.kind === "strategy" || previous.kind === "portfolio" || previous.kind !== decl.kind);
      if (separate) {
        this.lines.push("");
        this.blockStart = true;
      }
      this.item(decl.span, 0, () => this.declaration(decl));
      previous = decl;
    }
    const rest = this.comments.rest();
    for (const c of rest) {
      this.gap(c.span.start);
      this.lines.push(c.text);
      this.lastEnd = c.span.end;
    }
    return `${this.lines.join("\n").replace(/\n{3,}/g, "\n\n")}\n`;
  }

  /** Source offset just after the last item or comment printed. */
  private lastEnd = 0;
  /** True right after an opening brace (and at the top): no blank line is kept there. */
  private blockStart = true;

  /** Keeps one blank line where the source had one between the last thing printed and `nextStart`. */
  private gap(nextStart: number): void {
    const source = this.options.source;
    if (!this.blockStart && source !== undefined && /\n[ \t\r]*\n/.test(source.slice(this.lastEnd, nextStart))) this.lines.push("");
    this.blockStart = false;
  }

  /** Prints one item (declaration, setting, child) with its leading and trailing comments. */
  private item(span: Span, indent: number, print: () => void): void {
    this.leadingComments(span.start, indent);
    this.gap(span.start);
    print();
    this.lastEnd = span.end;
    this.trailingComment(span);
  }

  /** Opens a block: the next item sits right below the opening line. */
  private open(indent: number, line: string, start: number): void {
    this.push(indent, line);
    this.blockStart = true;
    this.lastEnd = Math.max(this.lastEnd, start);
  }

  /** Closes a block, printing the comments left inside it first. */
  private close(indent: number, end: number, line = "}"): void {
    this.leadingComments(end - 1, indent + 1);
    this.push(indent, line);
    this.blockStart = false;
  }

  private leadingComments(offset: number, indent: number): void {
    for (const c of this.comments.takeBefore(offset)) {
      this.gap(c.span.start);
      this.push(indent, c.text);
      this.lastEnd = c.span.end;
    }
  }

  private trailingComment(span: Span): void {
    const c = this.comments.takeTrailing(span.endLine, span.end);
    if (c !== null && this.lines.length > 0) {
      this.lines[this.lines.length - 1] += ` ${c.text}`;
      this.lastEnd = c.span.end;
    }
  }

  private push(indent: number, text: string): void {
    this.lines.push(`${"  ".repeat(indent)}${text}`);
  }

  private declaration(decl: Decl): void {
    switch (decl.kind) {
      case "import":
        this.push(0, `import ${quoteString(decl.path.value)} as ${decl.alias.name}`);
        return;
      case "param": {
        let text = `param ${decl.name.name} = ${printExpr(decl.value)}`;
        const range = decl.range;
        if (range !== null) {
          text +=
            range.kind === "set"
              ? ` in [${range.values.map(printExpr).join(", ")}]`
              : ` in ${printExpr(range.min)}..${printExpr(range.max)}${range.step === null ? "" : ` step ${printExpr(range.step)}`}`;
        }
        this.push(0, text);
        return;
      }
      case "let": {
        const head = `let ${decl.name.name}${decl.params === null ? "" : `(${decl.params.map((p) => p.name).join(", ")})`} = `;
        this.node(decl.body, 0, head);
        return;
      }
      case "strategy":
      case "portfolio":
        this.strategy(decl);
        return;
    }
  }

  private strategy(decl: StrategyDecl): void {
    this.open(0, `${decl.kind} ${quoteString(decl.name.value)} {`, decl.name.span.end);
    this.items([...decl.settings, ...decl.body], 1);
    this.close(0, decl.span.end);
  }

  /** Settings and children, one per line. */
  private items(items: (Setting | Expr)[], indent: number): void {
    for (const entry of items) {
      this.item(entry.span, indent, () => {
        if (isSetting(entry)) this.push(indent, settingText(entry));
        else this.node(entry, indent, "");
      });
    }
  }

  /** Prints an allocation or value at `indent`, the first line prefixed by `head`. */
  private node(expr: Expr, indent: number, head: string): void {
    const oneLine = this.inline(expr);
    if (oneLine !== null && indentWidth(indent) + head.length + oneLine.length <= MAX_WIDTH) {
      this.push(indent, head + oneLine);
      return;
    }
    switch (expr.kind) {
      case "equal":
        this.block(indent, `${head}equal`, expr.children, expr.span);
        return;
      case "weighted":
        this.open(indent, `${head}weighted {`, expr.span.start);
        for (const child of expr.children) this.item(child.span, indent + 1, () => this.node(child.node, indent + 1, `${printExpr(child.weight)} `));
        this.close(indent, expr.span.end);
        return;
      case "inverse_volatility":
        this.block(indent, `${head}inverse_volatility(${printExpr(expr.window)})`, expr.children, expr.span);
        return;
      case "filter":
        this.block(indent, `${head}${expr.select} ${printExpr(expr.count)} by ${printExpr(expr.metric)}`, expr.children, expr.span);
        return;
      case "group":
        this.block(indent, `${head}group ${quoteString(expr.name.value)}`, expr.children, expr.span);
        return;
      case "if":
        this.ifNode(expr, indent, head);
        return;
      case "use":
        this.push(indent, `${head}use ${quoteString(expr.path.value)}`);
        return;
      default:
        this.push(indent, head + printExpr(expr));
        return;
    }
  }

  private block(indent: number, opener: string, children: Expr[], span: Span): void {
    this.open(indent, `${opener} {`, span.start);
    if (children.length > 1 && children.every((c) => c.kind === "name" || c.kind === "string") && !this.comments.anyWithin(span.start, span.end)) {
      this.fill(children.map(printExpr), indent + 1);
      this.lastEnd = children[children.length - 1]!.span.end;
    } else {
      this.items(children, indent + 1);
    }
    this.close(indent, span.end);
  }

  /** A long list of tickers: as many per line as fit, comma-separated. */
  private fill(words: string[], indent: number): void {
    let line = "";
    words.forEach((word, i) => {
      const piece = i < words.length - 1 ? `${word},` : word;
      if (line !== "" && indentWidth(indent) + line.length + 1 + piece.length > MAX_WIDTH) {
        this.push(indent, line);
        line = piece;
      } else {
        line = line === "" ? piece : `${line} ${piece}`;
      }
    });
    if (line !== "") this.push(indent, line);
  }

  private ifNode(node: IfNode, indent: number, head: string): void {
    node.branches.forEach((branch, i) => {
      this.open(indent, `${i === 0 ? head : "} else "}if ${printExpr(branch.cond)} {`, branch.cond.span.end);
      this.items(branch.body, indent + 1);
      // Comments after a branch's last child stay in that branch.
      const next = node.branches[i + 1]?.span.start ?? node.elseSpan?.start ?? node.span.end;
      this.leadingComments(next - 1, indent + 1);
    });
    if (node.elseBody !== null) {
      this.open(indent, "} else {", node.elseSpan?.start ?? node.span.start);
      this.items(node.elseBody, indent + 1);
    }
    this.close(indent, node.span.end);
  }

  /** The one-line form of a node, or null when it must be broken (if-ladders, nested blocks, comments). */
  private inline(expr: Expr): string | null {
    if (this.comments.anyWithin(expr.span.start, expr.span.end)) return null;
    const plain = (children: Expr[]): string | null =>
      children.every((c) => PLAIN_KINDS.has(c.kind) || isSmallBlock(c)) ? children.map((c) => this.inline(c) ?? "").join(", ") : null;
    switch (expr.kind) {
      case "equal": {
        const inner = plain(expr.children);
        return inner === null ? null : `equal { ${inner} }`;
      }
      case "weighted": {
        if (!expr.children.every((c) => PLAIN_KINDS.has(c.node.kind) || isSmallBlock(c.node))) return null;
        return `weighted { ${expr.children.map((c) => `${printExpr(c.weight)} ${this.inline(c.node) ?? ""}`).join(", ")} }`;
      }
      case "inverse_volatility": {
        const inner = plain(expr.children);
        return inner === null ? null : `inverse_volatility(${printExpr(expr.window)}) { ${inner} }`;
      }
      case "filter": {
        const inner = plain(expr.children);
        return inner === null ? null : `${expr.select} ${printExpr(expr.count)} by ${printExpr(expr.metric)} { ${inner} }`;
      }
      case "group": {
        const inner = plain(expr.children);
        return inner === null ? null : `group ${quoteString(expr.name.value)} { ${inner} }`;
      }
      case "if": {
        if (expr.branches.length !== 1) return null;
        const branch = expr.branches[0]!;
        const simple = (body: Expr[]): boolean => body.length === 1 && PLAIN_KINDS.has(body[0]!.kind);
        if (!simple(branch.body) || (expr.elseBody !== null && !simple(expr.elseBody))) return null;
        const elsePart = expr.elseBody === null ? "" : ` else { ${printExpr(expr.elseBody[0]!)} }`;
        return `if ${printExpr(branch.cond)} { ${printExpr(branch.body[0]!)} }${elsePart}`;
      }
      case "use":
        return `use ${quoteString(expr.path.value)}`;
      default:
        return printExpr(expr);
    }
  }
}

/** A block whose children are all plain: may sit inline inside another inline block. */
function isSmallBlock(expr: Expr): boolean {
  switch (expr.kind) {
    case "equal":
    case "inverse_volatility":
    case "filter":
    case "group":
      return expr.children.every((c) => PLAIN_KINDS.has(c.kind));
    case "weighted":
      return expr.children.every((c) => PLAIN_KINDS.has(c.node.kind));
    default:
      return false;
  }
}

function isSetting(item: Setting | Expr): item is Setting {
  return item.kind === "rebalance" || item.kind === "benchmark" || item.kind === "warmup" || item.kind === "trade_at";
}

function settingText(setting: Setting): string {
  switch (setting.kind) {
    case "rebalance":
      return `rebalance ${setting.mode.name}${setting.threshold === null ? "" : ` ${printExpr(setting.threshold)}`}`;
    case "benchmark":
      return `benchmark ${printExpr(setting.ticker)}`;
    case "warmup":
      return `warmup ${setting.bars.text}`;
    case "trade_at":
      return `trade at ${setting.time}`;
  }
}

function indentWidth(indent: number): number {
  return indent * 2;
}
