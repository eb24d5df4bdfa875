/**
 * The bar cache's files: `DIR/bars/TICKER.json` (columnar: `{ticker, dates, close}`) and
 * `DIR/manifest.json` (per ticker: provenance, first/last date, bar count, covered range).
 * Every write goes to a temporary file that is then renamed over the old one, so a crash or a
 * concurrent reader never sees half a file; a ticker file that disagrees with its manifest
 * entry is reported as corrupt rather than trusted.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TickerBars } from "../ports/bar-source.js";
import { DataError } from "./errors.js";

/** Default cache folder, relative to the working directory. */
export const DEFAULT_CACHE_DIR = ".strat/data";

const MANIFEST_FORMAT = 1;

/** What the manifest records for one cached ticker. */
export interface CacheEntry {
  ticker: string;
  /** Provider the bars came from ("alpaca", "synthetic", "csv", …). */
  provider: string;
  /** Feed, seed or folder, as that provider's provenance said. */
  source: string;
  adjustment: string;
  /** ISO timestamp of the most recent fetch that changed these bars. */
  fetchedAt: string;
  /** Content hash (see content-hash.ts) of this ticker's cached bars alone. */
  contentHash: string;
  /** First and last cached session, YYYY-MM-DD. */
  first: string;
  last: string;
  bars: number;
  /**
   * Earliest date the provider was asked for (null: from its very beginning). Kept apart from
   * `first` so a ticker listed after the requested start is not re-fetched on every load.
   */
  coveredFrom: string | null;
}

interface Manifest {
  format: number;
  tickers: Record<string, CacheEntry>;
}

let temporaryCounter = 0;

/** Writes `text` to `file` atomically (temporary file in the same folder, then rename). */
async function writeAtomic(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${++temporaryCounter}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

/** The cache folder's files. Every method may reject with a DataError naming the file. */
export class CacheStore {
  constructor(readonly dir: string = DEFAULT_CACHE_DIR) {}

  /** The file holding `ticker`'s bars; `/` and other unsafe characters are percent-encoded. */
  barsFile(ticker: string): string {
    return join(this.dir, "bars", `${encodeURIComponent(ticker)}.json`);
  }

  private get manifestFile(): string {
    return join(this.dir, "manifest.json");
  }

  /** Every manifest entry by ticker; empty when the cache does not exist yet. */
  async entries(): Promise<Map<string, CacheEntry>> {
    let text: string;
    try {
      text = await readFile(this.manifestFile, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
      throw new DataError(`cannot read the cache manifest: ${(error as Error).message}`, { file: this.manifestFile });
    }
    let manifest: Manifest;
    try {
      manifest = JSON.parse(text) as Manifest;
    } catch {
      throw new DataError("the cache manifest is not valid JSON; delete the cache folder and fetch again", { file: this.manifestFile });
    }
    if (manifest.format !== MANIFEST_FORMAT || typeof manifest.tickers !== "object" || manifest.tickers === null) {
      throw new DataError(`unknown cache manifest format ${String(manifest.format)}; delete the cache folder and fetch again`, { file: this.manifestFile });
    }
    return new Map(Object.entries(manifest.tickers));
  }

  /**
   * Reads `entry.ticker`'s bars and checks them against the entry (count, first and last date,
   * order, positive closes); returns the bars, or the reason (text) when the file is missing or corrupt.
   */
  async read(entry: CacheEntry): Promise<TickerBars | string> {
    let parsed: { ticker?: unknown; dates?: unknown; close?: unknown };
    try {
      parsed = JSON.parse(await readFile(this.barsFile(entry.ticker), "utf8")) as typeof parsed;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "ENOENT" ? "the file is missing" : "the file is not valid JSON";
    }
    const { dates, close } = parsed;
    if (parsed.ticker !== entry.ticker || !Array.isArray(dates) || !Array.isArray(close) || dates.length !== close.length) return "the file does not hold this ticker's bars";
    if (dates.length !== entry.bars || dates[0] !== entry.first || dates[dates.length - 1] !== entry.last) return "the file does not match the manifest";
    for (let i = 0; i < dates.length; i++) {
      if (typeof dates[i] !== "string" || (i > 0 && dates[i] <= dates[i - 1])) return "the file's dates are not sorted";
      const value = close[i] as unknown;
      if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) return "the file has a non-positive close";
    }
    return { ticker: entry.ticker, dates: dates as string[], close: Float64Array.from(close as number[]) };
  }

  /**
   * Stores bars and their entries: ticker files first, then the manifest, re-read just before
   * writing so entries another process stored meanwhile are kept.
   */
  async write(updates: readonly { entry: CacheEntry; bars: TickerBars }[]): Promise<void> {
    if (updates.length === 0) return;
    await mkdir(join(this.dir, "bars"), { recursive: true });
    for (const { entry, bars } of updates) {
      // JSON numbers round-trip doubles exactly, so the cache never changes a close.
      await writeAtomic(this.barsFile(entry.ticker), JSON.stringify({ ticker: entry.ticker, dates: bars.dates, close: Array.from(bars.close) }));
    }
    const entries = await this.entries();
    for (const { entry } of updates) entries.set(entry.ticker, entry);
    const sorted = Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const manifest: Manifest = { format: MANIFEST_FORMAT, tickers: sorted };
    await writeAtomic(this.manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  }
}
