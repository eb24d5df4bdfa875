/**
 * A tiny, safe arithmetic language over metric names, for `--objective EXPR` and
 * `--constraint EXPR`: numbers (`0.5`, `10%`), metric names, `+ - * /`, unary minus,
 * parentheses, and (constraints only) one comparison `< <= > >=`. Parsed by hand — never eval.
 */

/** A parsed arithmetic expression; `names` are the metric names it reads. */
export interface MetricExpression {
  readonly text: string;
  readonly names: readonly string[];
  /** The value, or null when a metric it reads is null/missing or the result is not finite. */
  evaluate(values: Readonly<Record<string, number | null>>): number | null;
}

/** A parsed comparison `EXPR OP EXPR`. */
export interface MetricConstraint {
  readonly text: string;
  /** True when satisfied; false when violated or not computable (a null metric). */
  test(values: Readonly<Record<string, number | null>>): boolean;
}

export class ExpressionError extends Error {}

type Node = { kind: "num"; value: number } | { kind: "name"; name: string } | { kind: "neg"; arg: Node } | { kind: "bin"; op: "+" | "-" | "*" | "/"; left: Node; right: Node };

const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?%?)|([A-Za-z_][A-Za-z0-9_.]*)|(<=|>=|[-+*/()<>]))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (m === null) throw new ExpressionError(`unexpected '${text.slice(at).trim()[0]}' in '${text}'`);
    tokens.push(m[1] ?? m[2] ?? m[3]!);
    at = TOKEN.lastIndex;
  }
  return tokens;
}

class Parser {
  private at = 0;
  constructor(
    private readonly tokens: string[],
    private readonly text: string,
    private readonly known: ReadonlySet<string>,
  ) {}

  peek(): string | undefined {
    return this.tokens[this.at];
  }

  next(): string | undefined {
    return this.tokens[this.at++];
  }

  done(): boolean {
    return this.at >= this.tokens.length;
  }

  sum(): Node {
    let left = this.product();
    while (this.peek() === "+" || this.peek() === "-") {
      const op = this.next() as "+" | "-";
      left = { kind: "bin", op, left, right: this.product() };
    }
    return left;
  }

  product(): Node {
    let left = this.unary();
    while (this.peek() === "*" || this.peek() === "/") {
      const op = this.next() as "*" | "/";
      left = { kind: "bin", op, left, right: this.unary() };
    }
    return left;
  }

  unary(): Node {
    if (this.peek() === "-") {
      this.next();
      return { kind: "neg", arg: this.unary() };
    }
    if (this.peek() === "+") this.next();
    return this.atom();
  }

  atom(): Node {
    const token = this.next();
    if (token === undefined) throw new ExpressionError(`'${this.text}' ends too early`);
    if (token === "(") {
      const inner = this.sum();
      if (this.next() !== ")") throw new ExpressionError(`missing ')' in '${this.text}'`);
      return inner;
    }
    if (/^\d/.test(token)) return { kind: "num", value: token.endsWith("%") ? Number(token.slice(0, -1)) / 100 : Number(token) };
    if (/^[A-Za-z_]/.test(token)) {
      if (!this.known.has(token)) throw new ExpressionError(`unknown metric '${token}' in '${this.text}'; known: ${[...this.known].join(", ")}`);
      return { kind: "name", name: token };
    }
    throw new ExpressionError(`unexpected '${token}' in '${this.text}'`);
  }
}

function namesOf(node: Node, into: Set<string>): Set<string> {
  if (node.kind === "name") into.add(node.name);
  else if (node.kind === "neg") namesOf(node.arg, into);
  else if (node.kind === "bin") {
    namesOf(node.left, into);
    namesOf(node.right, into);
  }
  return into;
}

function run(node: Node, values: Readonly<Record<string, number | null>>): number | null {
  switch (node.kind) {
    case "num":
      return node.value;
    case "name": {
      const v = values[node.name];
      return v === undefined || v === null ? null : v;
    }
    case "neg": {
      const v = run(node.arg, values);
      return v === null ? null : -v;
    }
    case "bin": {
      const a = run(node.left, values);
      const b = run(node.right, values);
      if (a === null || b === null) return null;
      const r = node.op === "+" ? a + b : node.op === "-" ? a - b : node.op === "*" ? a * b : a / b;
      return Number.isFinite(r) ? r : null;
    }
  }
}

function compile(text: string, node: Node): MetricExpression {
  return { text, names: [...namesOf(node, new Set())], evaluate: (values) => run(node, values) };
}

/** Parses an arithmetic expression over `known` metric names; ExpressionError on bad input. */
export function parseExpression(text: string, known: ReadonlySet<string>): MetricExpression {
  const parser = new Parser(tokenize(text), text, known);
  if (parser.done()) throw new ExpressionError("empty expression");
  const node = parser.sum();
  if (!parser.done()) throw new ExpressionError(`unexpected '${parser.peek()}' in '${text}'`);
  return compile(text, node);
}

/** Parses `EXPR OP EXPR` with OP one of `< <= > >=`; ExpressionError on bad input. */
export function parseConstraint(text: string, known: ReadonlySet<string>): MetricConstraint {
  const parser = new Parser(tokenize(text), text, known);
  const left = parser.sum();
  const op = parser.next();
  if (op !== "<" && op !== "<=" && op !== ">" && op !== ">=") throw new ExpressionError(`a constraint compares two expressions with < <= > >= (e.g. 'maxDrawdown < 0.25'), not '${text}'`);
  const right = parser.sum();
  if (!parser.done()) throw new ExpressionError(`unexpected '${parser.peek()}' in '${text}'`);
  return {
    text,
    test(values) {
      const a = run(left, values);
      const b = run(right, values);
      if (a === null || b === null) return false;
      return op === "<" ? a < b : op === "<=" ? a <= b : op === ">" ? a > b : a >= b;
    },
  };
}
