/** Aligning bars to one calendar: late listings are NaN, gaps and early ends are located errors. */
import { describe, expect, it } from "vitest";
import { alignBars } from "../../src/data/align.js";
import { DataError } from "../../src/data/errors.js";
import type { BarSet, TickerBars } from "../../src/ports/bar-source.js";

function bars(ticker: string, rows: [string, number][]): TickerBars {
  return { ticker, dates: rows.map((r) => r[0]), close: Float64Array.from(rows.map((r) => r[1])) };
}

function set(...list: TickerBars[]): BarSet {
  return { bars: new Map(list.map((b) => [b.ticker, b])), provenance: { provider: "test", source: "", adjustment: "all", fetchedAt: "", contentHash: "" } };
}

function failure(run: () => unknown): DataError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error("no error");
}

const SPY = bars("SPY", [["2024-01-02", 1], ["2024-01-03", 2], ["2024-01-04", 3], ["2024-01-05", 4], ["2024-01-08", 5]]);

describe("alignBars", () => {
  it("uses the union of dates and NaN before a late listing", () => {
    const late = bars("NEW", [["2024-01-04", 30], ["2024-01-05", 31], ["2024-01-08", 32]]);
    const market = alignBars(set(SPY, late), ["NEW", "SPY", "NEW"]);
    expect(market.dates).toEqual(["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08"]);
    expect(Array.from(market.close.get("SPY")!)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(market.close.get("NEW")!)).toEqual([NaN, NaN, 30, 31, 32]);
    expect([...market.close.keys()]).toEqual(["NEW", "SPY"]);
  });

  it("aligns only the tickers asked for", () => {
    const other = bars("QQQ", [["2024-01-01", 1], ["2024-01-09", 2]]);
    expect(alignBars(set(SPY, other), ["SPY"]).dates).toEqual(SPY.dates);
  });

  it("rejects a session missing inside a ticker's history, naming the first missing date", () => {
    const gappy = bars("QQQ", [["2024-01-02", 1], ["2024-01-03", 2], ["2024-01-05", 4], ["2024-01-08", 5]]);
    const error = failure(() => alignBars(set(SPY, gappy), ["SPY", "QQQ"]));
    expect(error.message).toBe("QQQ 2024-01-04: no bar on 2024-01-04, a session inside its history (2024-01-02 to 2024-01-08)");
    expect(error.location).toEqual({ ticker: "QQQ", date: "2024-01-04" });
  });

  it("rejects a history that ends before the calendar", () => {
    const ended = bars("TLT", [["2024-01-02", 1], ["2024-01-03", 2], ["2024-01-04", 3]]);
    expect(failure(() => alignBars(set(SPY, ended), ["SPY", "TLT"])).message).toBe("TLT 2024-01-05: no bar on 2024-01-05: its history ends on 2024-01-04, the calendar on 2024-01-08");
  });

  it("rejects a ticker not loaded, one without bars, and bars breaking the port's contract", () => {
    expect(failure(() => alignBars(set(SPY), ["SPY", "XYZ"])).message).toBe("XYZ: no bars loaded for this ticker");
    expect(failure(() => alignBars(set(SPY, bars("XYZ", [])), ["XYZ"])).message).toBe("XYZ: no bars in the requested range");
    expect(failure(() => alignBars(set(bars("XYZ", [["2024-01-02", 1], ["2024-01-03", 0]])), ["XYZ"])).message).toBe("XYZ 2024-01-03: close 0 is not a positive price");
    expect(failure(() => alignBars(set(bars("XYZ", [["2024-01-03", 1], ["2024-01-02", 2]])), ["XYZ"])).message).toBe("XYZ 2024-01-02: dates out of order (after 2024-01-03)");
    expect(failure(() => alignBars(set(bars("XYZ", [["2024-01-02", 1], ["2024-01-02", 2]])), ["XYZ"])).message).toBe("XYZ 2024-01-02: duplicate date");
  });

  it("gives an empty market for no tickers", () => {
    expect(alignBars(set(SPY), [])).toEqual({ dates: [], close: new Map() });
  });
});
