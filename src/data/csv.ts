/**
 * The CSV provider: a folder of `TICKER.csv` files (share classes as `BRK.B.csv`), one bar per
 * line, as exported by most data vendors and spreadsheets. Every file is validated whole, and
 * every problem is a DataError with the file, line, ticker and date, never a silent NaN.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { BarRequest, BarSet, BarSource, TickerBars } from "../ports/bar-source.js";
import { didYouMean } from "../lang/suggest.js";
import { contentHashAsync } from "./content-hash.js";
import { DataError } from "./errors.js";
import { isIsoDate } from "./nyse-calendar.js";

/** Header spellings, compared lowercased with everything but letters and digits removed. */
const DATE_HEADERS = ["date", "timestamp", "datetime", "time"];
const ADJUSTED_CLOSE_HEADERS = ["adjclose", "adjustedclose", "closeadj", "closeadjusted", "adjcloseprice", "adjustedcloseprice"];
const CLOSE_HEADERS = ["close", "closeprice", "closingprice"];

/** YYYY-MM-DD, YYYY/MM/DD, or an ISO timestamp whose date part is taken as is. */
const DATE_CELL = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const NUMBER_CELL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** One parsed file: the bars and whether they came from an adjusted-close column. */
export interface ParsedCsv {
  bars: TickerBars;
  adjusted: boolean;
}

function normalizeHeader(cell: string): string {
  return cell.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Splits one line on `delimiter`, honouring double quotes ("" inside quotes is a quote). */
function splitLine(line: string, delimiter: string): string[] {
  if (!line.includes('"')) return line.split(delimiter).map((c) => c.trim());
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell.trim());
      cell = "";
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

/**
 * Parses one CSV file's text into validated bars. Columns: a date (Date, Timestamp, …) and a
 * close, preferring an adjusted close (Adj Close, Adj_Close, adjclose, close_adj, …) over a
 * plain Close; other columns are ignored. Rejects with a DataError (file, line, ticker, date)
 * on missing columns, unparsable dates or numbers, non-positive closes, unsorted or duplicate dates.
 */
export function parseBarCsv(text: string, ticker: string, file: string): ParsedCsv {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== "");
  if (headerIndex < 0) throw new DataError("empty file (expected a header line with date and close columns)", { ticker, file, line: 1 });
  const headerLine = lines[headerIndex]!;
  // Comma unless the header clearly uses semicolons or tabs (European spreadsheet exports).
  const delimiter = headerLine.includes(",") ? "," : headerLine.includes(";") ? ";" : headerLine.includes("\t") ? "\t" : ",";
  const header = splitLine(headerLine, delimiter);
  const names = header.map(normalizeHeader);
  const headerAt = { ticker, file, line: headerIndex + 1 };
  const shown = header.join(", ");
  const dateColumn = names.findIndex((n) => DATE_HEADERS.includes(n));
  if (dateColumn < 0) throw new DataError(`no date column (expected Date or Timestamp; the header has: ${shown})`, headerAt);
  let closeColumn = names.findIndex((n) => ADJUSTED_CLOSE_HEADERS.includes(n));
  const adjusted = closeColumn >= 0;
  if (!adjusted) closeColumn = names.findIndex((n) => CLOSE_HEADERS.includes(n));
  if (closeColumn < 0) throw new DataError(`no close column (expected Close or Adj Close; the header has: ${shown})`, headerAt);

  const dates: string[] = [];
  const closes: number[] = [];
  const lineOf = new Map<string, number>();
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === "") continue;
    const line = i + 1;
    const cells = splitLine(raw, delimiter);
    const dateCell = cells[dateColumn] ?? "";
    if (dateCell === "") throw new DataError("missing date", { ticker, file, line });
    const m = DATE_CELL.exec(dateCell);
    const date = m === null ? null : `${m[1]}-${m[2]}-${m[3]}`;
    if (date === null || !isIsoDate(date)) throw new DataError(`unparsable date '${dateCell}' (expected YYYY-MM-DD)`, { ticker, file, line });
    const at = { ticker, file, line, date };
    const closeCell = cells[closeColumn] ?? "";
    if (closeCell === "") throw new DataError(`missing close (column '${header[closeColumn]}')`, at);
    const close = Number(closeCell);
    if (!NUMBER_CELL.test(closeCell) || !Number.isFinite(close)) throw new DataError(`unparsable close '${closeCell}'`, at);
    if (!(close > 0)) throw new DataError(`non-positive close ${closeCell}`, at);
    const previous = dates[dates.length - 1];
    if (previous !== undefined && date <= previous) {
      const earlier = lineOf.get(date);
      if (earlier !== undefined) throw new DataError(`duplicate date (also on line ${earlier})`, at);
      throw new DataError(`dates out of order: ${date} comes after ${previous} (line ${lineOf.get(previous)})`, at);
    }
    dates.push(date);
    closes.push(close);
    lineOf.set(date, line);
  }
  return { bars: { ticker, dates, close: Float64Array.from(closes) }, adjusted };
}

/** The file a ticker is read from: `/` in share classes becomes `.` (BRK/B → BRK.B.csv). */
export function csvFileName(ticker: string): string {
  return `${ticker.replaceAll("/", ".")}.csv`;
}

/** Bars of `bars` with dates in [from, to] (either bound optional). */
export function sliceBars(bars: TickerBars, from: string | undefined, to: string | undefined): TickerBars {
  let lo = 0;
  let hi = bars.dates.length;
  if (from !== undefined) while (lo < hi && bars.dates[lo]! < from) lo++;
  if (to !== undefined) while (hi > lo && bars.dates[hi - 1]! > to) hi--;
  if (lo === 0 && hi === bars.dates.length) return bars;
  return { ticker: bars.ticker, dates: bars.dates.slice(lo, hi), close: bars.close.slice(lo, hi) };
}

/** A `BarSource` over a folder of `TICKER.csv` files. */
export class CsvBarSource implements BarSource {
  readonly name = "csv";

  /** `dir`: the folder, as the user wrote it (it is recorded as the provenance source). */
  constructor(readonly dir: string) {}

  /** The tickers the folder has a file for, sorted (file names without `.csv`). */
  async tickers(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      throw new DataError("no such folder", { file: this.dir });
    }
    return names
      .filter((n) => /\.csv$/i.test(n) && !n.startsWith("."))
      .map((n) => n.slice(0, -4))
      .sort();
  }

  /**
   * Reads and validates each requested ticker's whole file, then keeps the bars in [from, to].
   * Provenance: provider "csv", source the folder, adjustment "all" when every file had an
   * adjusted-close column (else "unknown"), fetchedAt the newest file's modification time.
   */
  async load(request: BarRequest): Promise<BarSet> {
    const available = await this.tickers();
    const byUpper = new Map(available.map((t) => [t.toUpperCase(), t]));
    const bars = new Map<string, TickerBars>();
    let allAdjusted = true;
    let newest = 0;
    for (const ticker of request.tickers) {
      if (bars.has(ticker)) continue;
      const stem = byUpper.get(csvFileName(ticker).slice(0, -4).toUpperCase());
      if (stem === undefined) {
        const listed = available.length === 0 ? "the folder has no .csv files" : `the folder has: ${available.slice(0, 30).join(", ")}${available.length > 30 ? ", …" : ""}`;
        throw new DataError(`no such file (${listed})${didYouMean(ticker, available)}`, { ticker, file: join(this.dir, csvFileName(ticker)) });
      }
      const file = join(this.dir, `${stem}.csv`);
      const [text, info] = await Promise.all([readFile(file, "utf8"), stat(file)]);
      newest = Math.max(newest, info.mtimeMs);
      const parsed = parseBarCsv(text, ticker, file);
      allAdjusted &&= parsed.adjusted;
      bars.set(ticker, sliceBars(parsed.bars, request.from, request.to));
    }
    return {
      bars,
      provenance: {
        provider: "csv",
        source: this.dir,
        adjustment: allAdjusted ? "all" : "unknown",
        fetchedAt: new Date(Math.floor(newest)).toISOString(),
        contentHash: await contentHashAsync(bars),
      },
    };
  }
}

/** A CSV provider over `dir`. */
export function createCsvBarSource(dir: string): CsvBarSource {
  return new CsvBarSource(dir);
}
