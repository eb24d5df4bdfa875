/** The dense account book: holding order follows first purchase, as a Map's insertion order did. */
import { describe, expect, it } from "vitest";
import { Book } from "../../src/trading/book.js";

const held = (book: Book): string[] => Array.from(book.heldOrder.subarray(0, book.heldCount), (i) => book.symbols[i]!);

describe("Book", () => {
  it("orders symbols by name and holdings by first purchase; a sold-out symbol bought again goes last", () => {
    const book = new Book(["TLT", "SPY", "BIL"]);
    expect(Array.from(book.symbolOrder, (i) => book.symbols[i])).toEqual(["BIL", "SPY", "TLT"]);
    book.setHolding(0, 5);
    book.setHolding(1, 2);
    book.setHolding(2, 1);
    book.setHolding(0, 7);
    expect(held(book)).toEqual(["TLT", "SPY", "BIL"]);
    book.removeHolding(0);
    expect(held(book)).toEqual(["SPY", "BIL"]);
    expect(book.held[0]).toBe(0);
    book.setHolding(0, 3);
    expect(held(book)).toEqual(["SPY", "BIL", "TLT"]);
  });

  it("replaces targets, keeping the first place of a repeated symbol and clearing the old ones", () => {
    const book = new Book(["A", "B", "C"]);
    book.setTargets([2, 0], [0.7, 0.3]);
    book.setTargets([1, 1], [0.4, 0.6]);
    expect(Array.from(book.targetOrder.subarray(0, book.targetCount))).toEqual([1]);
    expect(Array.from(book.target)).toEqual([0, 0.6, 0]);
    expect(Array.from(book.isTarget)).toEqual([0, 1, 0]);
  });

  it("builds from Maps with unknown prices as NaN", () => {
    const book = Book.fromMaps(new Map([["SPY", 2]]), new Map([["QQQ", 1]]), new Map([["SPY", 500]]), new Set(["QQQ"]));
    expect(book.symbols).toEqual(["SPY", "QQQ"]);
    expect(Array.from(book.price)).toEqual([500, Number.NaN]);
    expect(Array.from(book.whole)).toEqual([0, 1]);
  });
});
