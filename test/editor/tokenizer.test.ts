/** The editor's line tokenizer reads block comments as the lexer does. */
import { describe, expect, it } from "vitest";
import { TokenizerState, tokenizeLine } from "../../editor/src/tokenizer.js";

const scopes = (line: string, inComment = false): [number, string][] => tokenizeLine(line, new TokenizerState(inComment)).tokens.map((t) => [t.startIndex, t.scopes]);

describe("tokenizeLine", () => {
  it("ends a block comment closed on its line, and highlights what follows", () => {
    expect(scopes("/* a */ SPY")).toEqual([
      [0, "comment.strat"],
      [7, "white.strat"],
      [8, "identifier.strat"],
    ]);
    expect(tokenizeLine("/* a */ SPY", new TokenizerState(false)).endState.inComment).toBe(false);
  });

  it("carries an unclosed block comment to the next line, and ends it there", () => {
    expect(tokenizeLine("SPY /* open", new TokenizerState(false)).endState.inComment).toBe(true);
    expect(scopes("still */ QQQ", true)).toEqual([
      [0, "comment.strat"],
      [8, "white.strat"],
      [9, "identifier.strat"],
    ]);
  });
});
