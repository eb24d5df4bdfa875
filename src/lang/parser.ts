/**
 * The `.strat` grammar as a Chevrotain CST parser with error recovery on. The grammar is
 * documented in grammar/strat.ebnf; rule names here match it. The CST is turned into the AST
 * by ast-builder.ts.
 */
import type { CstNode } from "chevrotain";
import { CstParser } from "./chevrotain.js";
import * as T from "./tokens.js";
import { parseErrorMessages } from "./parse-errors.js";

class StratParser extends CstParser {
  constructor() {
    super(T.ALL_TOKENS, { recoveryEnabled: true, maxLookahead: 3, nodeLocationTracking: "full", errorMessageProvider: parseErrorMessages });
    this.performSelfAnalysis();
  }

  program = this.RULE("program", () => {
    this.MANY(() => this.SUBRULE(this.declaration));
  });

  declaration = this.RULE("declaration", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.importDecl) },
      { ALT: () => this.SUBRULE(this.paramDecl) },
      { ALT: () => this.SUBRULE(this.letDecl) },
      { ALT: () => this.SUBRULE(this.strategyDecl) },
    ]);
  });

  importDecl = this.RULE("importDecl", () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.As);
    this.CONSUME(T.Identifier);
  });

  paramDecl = this.RULE("paramDecl", () => {
    this.CONSUME(T.Param);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Assign);
    this.SUBRULE(this.signedNumber);
    this.OPTION(() => {
      this.CONSUME(T.In);
      this.SUBRULE(this.paramRange);
    });
  });

  paramRange = this.RULE("paramRange", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LBracket);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.signedNumber, { LABEL: "values" }) });
          this.CONSUME(T.RBracket);
        },
      },
      {
        ALT: () => {
          this.SUBRULE2(this.signedNumber, { LABEL: "min" });
          this.CONSUME(T.DotDot);
          this.SUBRULE3(this.signedNumber, { LABEL: "max" });
          this.OPTION(() => {
            this.CONSUME(T.Step);
            this.SUBRULE4(this.signedNumber, { LABEL: "step" });
          });
        },
      },
    ]);
  });

  signedNumber = this.RULE("signedNumber", () => {
    this.OPTION(() => this.CONSUME(T.Minus));
    this.OR([{ ALT: () => this.CONSUME(T.NumberLiteral) }, { ALT: () => this.CONSUME(T.Percent) }]);
  });

  letDecl = this.RULE("letDecl", () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.CONSUME2(T.Identifier, { LABEL: "params" }) });
      this.CONSUME(T.RParen);
    });
    this.CONSUME(T.Assign);
    this.OR([
      { ALT: () => this.SUBRULE(this.blockNode) },
      { ALT: () => this.SUBRULE(this.expression) },
    ]);
  });

  strategyDecl = this.RULE("strategyDecl", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Strategy) }, { ALT: () => this.CONSUME(T.Portfolio) }]);
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR2([
        { ALT: () => this.SUBRULE(this.setting) },
        {
          ALT: () => {
            this.SUBRULE(this.node);
            this.OPTION(() => this.CONSUME(T.Comma));
          },
        },
      ]);
    });
    this.CONSUME(T.RCurly);
  });

  setting = this.RULE("setting", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Rebalance);
          this.CONSUME(T.Identifier, { LABEL: "mode" });
          this.OPTION(() => {
            this.OR3([
              { ALT: () => this.CONSUME(T.Percent, { LABEL: "width" }) },
              { ALT: () => this.CONSUME2(T.NumberLiteral, { LABEL: "width" }) },
            ]);
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Benchmark);
          this.OR2([{ ALT: () => this.CONSUME2(T.Identifier, { LABEL: "ticker" }) }, { ALT: () => this.CONSUME(T.StringLiteral) }]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Warmup);
          this.CONSUME(T.NumberLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Trade);
          this.CONSUME3(T.Identifier, { LABEL: "at" });
          this.CONSUME(T.Time);
        },
      },
    ]);
  });

  /** A list of allocation nodes inside braces, separated by commas or newlines. */
  children = this.RULE("children", () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.node);
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RCurly);
  });

  node = this.RULE("node", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.blockNode) },
      { ALT: () => this.SUBRULE(this.reference) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
    ]);
  });

  /** Allocation forms introduced by a keyword. */
  blockNode = this.RULE("blockNode", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.equalNode) },
      { ALT: () => this.SUBRULE(this.weightedNode) },
      { ALT: () => this.SUBRULE(this.inverseVolatilityNode) },
      { ALT: () => this.SUBRULE(this.filterNode) },
      { ALT: () => this.SUBRULE(this.groupNode) },
      { ALT: () => this.SUBRULE(this.ifNode) },
      { ALT: () => this.SUBRULE(this.useNode) },
    ]);
  });

  equalNode = this.RULE("equalNode", () => {
    this.CONSUME(T.Equal);
    this.SUBRULE(this.children);
  });

  weightedNode = this.RULE("weightedNode", () => {
    this.CONSUME(T.Weighted);
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.weightedChild);
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RCurly);
  });

  weightedChild = this.RULE("weightedChild", () => {
    this.CONSUME(T.Percent);
    this.SUBRULE(this.node);
  });

  inverseVolatilityNode = this.RULE("inverseVolatilityNode", () => {
    this.CONSUME(T.InverseVolatility);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
    this.SUBRULE(this.children);
  });

  filterNode = this.RULE("filterNode", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Top) }, { ALT: () => this.CONSUME(T.Bottom) }]);
    this.OR2([{ ALT: () => this.CONSUME(T.NumberLiteral) }, { ALT: () => this.CONSUME(T.Identifier) }]);
    this.CONSUME(T.By);
    this.SUBRULE(this.reference);
    this.SUBRULE(this.children);
  });

  groupNode = this.RULE("groupNode", () => {
    this.CONSUME(T.Group);
    this.CONSUME(T.StringLiteral);
    this.SUBRULE(this.children);
  });

  ifNode = this.RULE("ifNode", () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expression, { LABEL: "conditions" });
    this.SUBRULE(this.children, { LABEL: "bodies" });
    this.MANY(() => {
      this.CONSUME(T.Else, { LABEL: "elseIf" });
      this.CONSUME2(T.If);
      this.SUBRULE2(this.expression, { LABEL: "conditions" });
      this.SUBRULE2(this.children, { LABEL: "bodies" });
    });
    this.OPTION(() => {
      this.CONSUME2(T.Else, { LABEL: "else" });
      this.SUBRULE3(this.children, { LABEL: "elseBody" });
    });
  });

  useNode = this.RULE("useNode", () => {
    this.CONSUME(T.Use);
    this.CONSUME(T.StringLiteral);
  });

  /** `name`, `ns.name`, `name(args)`. */
  reference = this.RULE("reference", () => {
    this.CONSUME(T.Identifier, { LABEL: "parts" });
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.Identifier, { LABEL: "parts" });
    });
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: "args" }) });
      this.CONSUME(T.RParen);
    });
  });

  /**
   * A flat chain `operand (op operand)*`; precedence and associativity are applied by the AST
   * builder. One rule instead of a rule per precedence level keeps the CST small and fast.
   */
  expression = this.RULE("expression", () => {
    this.SUBRULE(this.prefixed, { LABEL: "operands" });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Or, { LABEL: "ops" }) },
        { ALT: () => this.CONSUME(T.And, { LABEL: "ops" }) },
        { ALT: () => this.CONSUME(T.Gt, { LABEL: "ops" }) },
        { ALT: () => this.CONSUME(T.Lt, { LABEL: "ops" }) },
        { ALT: () => this.CONSUME(T.GtEq, { LABEL: "ops" }) },
        { ALT: () => this.CONSUME(T.LtEq, { LABEL: "ops" }) },
        { ALT: () => this.CONSUME(T.EqEq, { LABEL: "ops" }) },
        { ALT: () => this.CONSUME(T.NotEq, { LABEL: "ops" }) },
        { ALT: () => this.CONSUME(T.Plus, { LABEL: "ops" }) },
        { ALT: () => this.CONSUME(T.Minus, { LABEL: "ops" }) },
        { ALT: () => this.CONSUME(T.Star, { LABEL: "ops" }) },
        { ALT: () => this.CONSUME(T.Slash, { LABEL: "ops" }) },
      ]);
      this.SUBRULE2(this.prefixed, { LABEL: "operands" });
    });
  });

  /** An operand with its prefix operators: `not`, `-`. */
  prefixed = this.RULE("prefixed", () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Not, { LABEL: "prefixes" }) },
        { ALT: () => this.CONSUME(T.Minus, { LABEL: "prefixes" }) },
      ]);
    });
    this.SUBRULE(this.primary);
  });

  primary = this.RULE("primary", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.Percent) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.reference) },
    ]);
  });
}

let shared: StratParser | null = null;

/**
 * The shared parser instance, built on first use: self-analysis costs tens of milliseconds,
 * which a run that reads only Composer files need not pay.
 */
export function stratParser(): StratParser {
  shared ??= new StratParser();
  return shared;
}

export type { CstNode };
