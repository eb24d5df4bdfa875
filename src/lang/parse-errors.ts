/**
 * Human wording for Chevrotain's parse errors: "expected '}' but found 'foo'" instead of
 * token type names, and a phrase per grammar rule for "no viable alternative" errors.
 */
import type { IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";

const RULE_PHRASES: Record<string, string> = {
  declaration: "a declaration (strategy, portfolio, let, param or import)",
  node: "an allocation (a ticker, equal, weighted, top, bottom, group, if, use or a name)",
  blockNode: "an allocation block",
  primary: "a value (a number, percent, name or indicator call)",
  prefixed: "a value",
  setting: "a setting (rebalance, benchmark, warmup or trade at)",
  signedNumber: "a number",
  paramRange: "a range such as 10..100 step 10 or [1, 2, 3]",
  strategyDecl: "a setting or an allocation",
  filterNode: "a count",
};

/** How a token type is named in messages. */
export function describeTokenType(type: TokenType): string {
  switch (type.name) {
    case "Identifier":
      return "a name";
    case "StringLiteral":
      return "a string";
    case "NumberLiteral":
      return "a number";
    case "Percent":
      return "a percent such as 5%";
    case "Time":
      return "a time such as 15:50";
    case "EOF":
      return "the end of the file";
    default: {
      if (type.LABEL !== undefined) return type.LABEL;
      const pattern = type.PATTERN;
      return pattern instanceof RegExp ? `'${pattern.source}'` : type.name;
    }
  }
}

/** How the token actually found is named in messages. */
export function describeToken(token: IToken): string {
  if (token.tokenType.name === "EOF") return "the end of the file";
  const image = token.image.length > 30 ? `${token.image.slice(0, 27)}...` : token.image;
  return `'${image}'`;
}

function firstTokens(paths: TokenType[][][]): string[] {
  const seen = new Set<string>();
  for (const alternative of paths) {
    for (const path of alternative) {
      const first = path[0];
      if (first !== undefined) seen.add(describeTokenType(first));
    }
  }
  return [...seen];
}

function expectedPhrase(ruleName: string, paths: TokenType[][][]): string {
  const phrase = RULE_PHRASES[ruleName];
  if (phrase !== undefined) return phrase;
  const tokens = firstTokens(paths);
  return tokens.length <= 4 ? tokens.join(" or ") : `${tokens.slice(0, 4).join(", ")} or ...`;
}

export const parseErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${describeTokenType(expected)} but found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describeToken(firstRedundant)}: expected a declaration (strategy, portfolio, let, param or import)`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const found = actual[0];
    return `expected ${expectedPhrase(ruleName, expectedPathsPerAlt)} but found ${found === undefined ? "nothing" : describeToken(found)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const found = actual[0];
    return `expected ${expectedPhrase(ruleName, [expectedIterationPaths])} but found ${found === undefined ? "nothing" : describeToken(found)}`;
  },
};
