/** The CSV provider: header spellings, date forms, located errors, provenance. */
import { mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { contentHash } from "../../src/data/content-hash.js";
import { CsvBarSource, parseBarCsv } from "../../src/data/csv.js";
import { DataError } from "../../src/data/errors.js";

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "strat-csv-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function parse(text: string) {
  const { bars, adjusted } = parseBarCsv(text, "SPY", "SPY.csv");
  return { dates: bars.dates, close: Array.from(bars.close), adjusted };
}

function failure(text: string): string {
  try {
    parseBarCsv(text, "SPY", "data/SPY.csv");
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return (error as DataError).message;
  }
  throw new Error("no error");
}

describe("CSV parsing", () => {
  it("reads a plain Date,Close file", () => {
    expect(parse("Date,Close\n2024-01-02,100.5\n2024-01-03,101\n")).toEqual({ dates: ["2024-01-02", "2024-01-03"], close: [100.5, 101], adjusted: false });
  });

  it("prefers the adjusted close under each common spelling", () => {
    for (const header of ["Adj Close", "Adj_Close", "adjclose", "close_adj", "Adjusted Close", "ADJ CLOSE"]) {
      expect(parse(`Date,Open,High,Low,Close,${header},Volume\n2024-01-02,1,2,0.5,99,98.5,1000\n`), header).toEqual({ dates: ["2024-01-02"], close: [98.5], adjusted: true });
    }
  });

  it("accepts Timestamp headers, YYYY/MM/DD, ISO timestamps, quotes, CRLF, a BOM, blank lines and semicolons", () => {
    expect(parse('\uFEFF"timestamp","close"\r\n"2024/01/02","1.5"\r\n\r\n2024-01-03T05:00:00Z,2\r\n2024-01-04 00:00:00-05:00,3\r\n')).toEqual({
      dates: ["2024-01-02", "2024-01-03", "2024-01-04"],
      close: [1.5, 2, 3],
      adjusted: false,
    });
    expect(parse("DATE;CLOSE\n2024-01-02;7.25\n")).toEqual({ dates: ["2024-01-02"], close: [7.25], adjusted: false });
  });

  it("reports every problem with file, line, ticker and date", () => {
    expect(failure("")).toBe("data/SPY.csv:1: SPY: empty file (expected a header line with date and close columns)");
    expect(failure("Day,Close\n2024-01-02,1\n")).toBe("data/SPY.csv:1: SPY: no date column (expected Date or Timestamp; the header has: Day, Close)");
    expect(failure("Date,Open,Volume\n2024-01-02,1,2\n")).toBe("data/SPY.csv:1: SPY: no close column (expected Close or Adj Close; the header has: Date, Open, Volume)");
    expect(failure("Date,Close\n01/02/2024,1\n")).toBe("data/SPY.csv:2: SPY: unparsable date '01/02/2024' (expected YYYY-MM-DD)");
    expect(failure("Date,Close\n2024-02-30,1\n")).toBe("data/SPY.csv:2: SPY: unparsable date '2024-02-30' (expected YYYY-MM-DD)");
    expect(failure("Date,Close\n2024-01-02,1\n2024-01-03,abc\n")).toBe("data/SPY.csv:3: SPY 2024-01-03: unparsable close 'abc'");
    expect(failure("Date,Close\n2024-01-02,null\n")).toBe("data/SPY.csv:2: SPY 2024-01-02: unparsable close 'null'");
    expect(failure("Date,Close\n2024-01-02,1\n2024-01-03,\n")).toBe("data/SPY.csv:3: SPY 2024-01-03: missing close (column 'Close')");
    expect(failure("Date,Close\n2024-01-02,0\n")).toBe("data/SPY.csv:2: SPY 2024-01-02: non-positive close 0");
    expect(failure("Date,Close\n2024-01-02,-1.5\n")).toBe("data/SPY.csv:2: SPY 2024-01-02: non-positive close -1.5");
    expect(failure("Date,Close\n2024-01-02,1\n2024-01-04,2\n2024-01-03,3\n")).toBe("data/SPY.csv:4: SPY 2024-01-03: dates out of order: 2024-01-03 comes after 2024-01-04 (line 3)");
    expect(failure("Date,Close\n2024-01-02,1\n2024-01-03,2\n2024-01-03,3\n")).toBe("data/SPY.csv:4: SPY 2024-01-03: duplicate date (also on line 3)");
  });

  it("locates errors for callers through DataError.location", () => {
    try {
      parseBarCsv("Date,Close\n2024-01-02,0\n", "SPY", "x/SPY.csv");
      expect.unreachable();
    } catch (error) {
      expect((error as DataError).location).toEqual({ ticker: "SPY", file: "x/SPY.csv", line: 2, date: "2024-01-02" });
    }
  });
});

describe("CSV folder source", () => {
  it("loads tickers (share classes as BRK.B.csv), slices the range and records provenance", async () => {
    const dir = folder({
      "SPY.csv": "Date,Close,Adj Close\n2024-01-02,100,99\n2024-01-03,101,100\n2024-01-04,102,101\n",
      "BRK.B.csv": "date,adjclose\n2024-01-02,350\n2024-01-03,351\n",
    });
    utimesSync(join(dir, "SPY.csv"), new Date("2024-02-01T10:00:00Z"), new Date("2024-02-01T10:00:00Z"));
    utimesSync(join(dir, "BRK.B.csv"), new Date("2024-03-05T12:30:00Z"), new Date("2024-03-05T12:30:00Z"));
    const source = new CsvBarSource(dir);
    expect(await source.tickers()).toEqual(["BRK.B", "SPY"]);
    const set = await source.load({ tickers: ["SPY", "BRK/B"], from: "2024-01-03" });
    expect(set.bars.get("SPY")).toEqual({ ticker: "SPY", dates: ["2024-01-03", "2024-01-04"], close: Float64Array.from([100, 101]) });
    expect(set.bars.get("BRK/B")).toEqual({ ticker: "BRK/B", dates: ["2024-01-03"], close: Float64Array.from([351]) });
    expect(set.provenance).toEqual({ provider: "csv", source: dir, adjustment: "all", fetchedAt: "2024-03-05T12:30:00.000Z", contentHash: contentHash(set.bars) });
  });

  it("says 'unknown' adjustment when a file has only a plain close", async () => {
    const dir = folder({ "SPY.csv": "Date,Close\n2024-01-02,100\n" });
    expect((await new CsvBarSource(dir).load({ tickers: ["SPY"] })).provenance.adjustment).toBe("unknown");
  });

  it("names a missing ticker's file, lists the folder and suggests the closest ticker", async () => {
    const dir = folder({ "SPY.csv": "Date,Close\n2024-01-02,1\n", "QQQ.csv": "Date,Close\n2024-01-02,1\n" });
    await expect(new CsvBarSource(dir).load({ tickers: ["SPY", "QQQQ"] })).rejects.toThrow(
      new DataError("no such file (the folder has: QQQ, SPY); did you mean 'QQQ'?", { ticker: "QQQQ", file: join(dir, "QQQQ.csv") }),
    );
    await expect(new CsvBarSource(dir).load({ tickers: ["SPY", "QQQQ"] })).rejects.toThrow(`${join(dir, "QQQQ.csv")}: QQQQ: no such file (the folder has: QQQ, SPY); did you mean 'QQQ'?`);
    const empty = folder({});
    await expect(new CsvBarSource(empty).load({ tickers: ["SPY"] })).rejects.toThrow(`${join(empty, "SPY.csv")}: SPY: no such file (the folder has no .csv files)`);
    await expect(new CsvBarSource(join(empty, "nope")).load({ tickers: ["SPY"] })).rejects.toThrow(`${join(empty, "nope")}: no such folder`);
  });

  it("reports a bad line with the file path it read", async () => {
    const dir = folder({ "TLT.csv": "Date,Close\n2024-01-02,90\n2024-01-02,91\n" });
    await expect(new CsvBarSource(dir).load({ tickers: ["TLT"] })).rejects.toThrow(`${join(dir, "TLT.csv")}:3: TLT 2024-01-02: duplicate date (also on line 2)`);
  });
});
