/**
 * `strat data fetch|import|ls`: fill and inspect the local bar cache. Data problems (a bad CSV
 * line, a ticker the provider lacks) print their located message and exit 1; usage mistakes
 * exit 2 through UsageError.
 */
import { existsSync, statSync } from "node:fs";
import type { Command } from "commander";
import { DEFAULT_CACHE_DIR, importFolder, listCache, type CacheEntry } from "../../data/cache.js";
import { DataError } from "../../data/errors.js";
import { isIsoDate } from "../../data/nyse-calendar.js";
import { TICKER_STRING } from "../../lang/module.js";
import { fetchSourceFromOption } from "../bar-sources.js";
import { compileFile, renderAll } from "../compile-file.js";
import { err, out, plural, table } from "../output.js";
import { EXIT, UsageError } from "../usage-error.js";

/** The benchmark a backtest uses when a strategy names none (fetched with a strategy file's universe). */
const DEFAULT_BENCHMARK = "SPY";

interface FetchOptions {
  from?: string;
  to?: string;
  data: string;
  feed?: string;
  cacheDir: string;
}

/** Adds `strat data fetch|import|ls` to the program. */
export function registerData(program: Command): void {
  const data = program.command("data").description("fetch, import and list the local bar cache");
  data
    .command("fetch")
    .description("download daily bars into the cache: comma-separated TICKERS, or a .strat/.clj FILE's tickers and benchmarks")
    .argument("<tickers-or-file>", "e.g. SPY,QQQ,TLT or strategies/holy_grail.strat")
    .option("--from <date>", "first date, YYYY-MM-DD (default: as early as the provider has)")
    .option("--to <date>", "last date, YYYY-MM-DD (default: the latest the provider has)")
    .option("--data <provider>", "alpaca, synthetic or synthetic:SEED", "alpaca")
    .option("--feed <feed>", "Alpaca feed: iex or sip (default APCA_DATA_FEED, else iex)")
    .option("--cache-dir <dir>", "cache folder", DEFAULT_CACHE_DIR)
    .action(async (what: string, options: FetchOptions) => {
      process.exitCode = await reportingDataErrors(() => runFetch(what, options));
    });
  data
    .command("import")
    .description("validate a folder of TICKER.csv files and copy them into the cache")
    .argument("<dir>", "folder of TICKER.csv files (date and close columns)")
    .option("--cache-dir <dir>", "cache folder", DEFAULT_CACHE_DIR)
    .action(async (dir: string, options: { cacheDir: string }) => {
      process.exitCode = await reportingDataErrors(() => runImport(dir, options.cacheDir));
    });
  data
    .command("ls")
    .description("list cached tickers: first and last date, bars, provider, fetch time")
    .option("--json", "print the manifest entries as JSON")
    .option("--cache-dir <dir>", "cache folder", DEFAULT_CACHE_DIR)
    .action(async (options: { json?: boolean; cacheDir: string }) => {
      process.exitCode = await reportingDataErrors(() => runList(options.cacheDir, options.json === true));
    });
}

/** Runs a command body; a DataError or a failed Alpaca request becomes its message and exit 1. */
async function reportingDataErrors(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DataError || isBrokerRequestError(error)) {
      err(`strat: ${error.message}`);
      return EXIT.failed;
    }
    throw error;
  }
}

function checkDate(flag: string, value: string | undefined): void {
  if (value !== undefined && !isIsoDate(value)) throw new UsageError(`${flag} ${value}: not a date (expected YYYY-MM-DD)`);
}

/** Tickers from a comma list (upper-cased) or from a strategy file; null when the file does not compile. */
function universe(what: string): string[] | null {
  if (/\.(strat|clj)$/i.test(what)) {
    if (!existsSync(what) || !statSync(what).isFile()) throw new UsageError(`no such file: ${what}`);
    const compilation = compileFile(what);
    const ir = compilation.result?.ir ?? null;
    if (ir === null) {
      for (const line of renderAll(compilation)) err(line);
      err(`${compilation.path}: does not compile; nothing fetched`);
      return null;
    }
    if (ir.strategies.length === 0) throw new UsageError(`${compilation.path} is a module without strategies: no tickers to fetch`);
    const tickers = new Set<string>();
    for (const strategy of ir.strategies) {
      for (const ticker of strategy.tickers) tickers.add(ticker);
      tickers.add(strategy.benchmark ?? DEFAULT_BENCHMARK);
    }
    return [...tickers].sort();
  }
  const tickers = what
    .split(",")
    .map((t) => t.trim().toUpperCase())
    .filter((t) => t !== "");
  if (tickers.length === 0) throw new UsageError("no tickers given (e.g. SPY,QQQ,TLT or a .strat file)");
  for (const ticker of tickers) if (!TICKER_STRING.test(ticker)) throw new UsageError(`'${ticker}' is not a ticker`);
  return [...new Set(tickers)];
}

/** A one-line progress bar on stderr, drawn only when stderr is a terminal. */
function progress(total: number): { step(index: number, ticker: string): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  const width = 20;
  return {
    step(index, ticker) {
      if (!tty) return;
      const filled = Math.round((index / total) * width);
      process.stderr.write(`\r\x1b[K[${"#".repeat(filled)}${".".repeat(width - filled)}] ${index + 1}/${total} ${ticker}`);
    },
    done() {
      if (tty) process.stderr.write("\r\x1b[K");
    },
  };
}

async function runFetch(what: string, options: FetchOptions): Promise<number> {
  checkDate("--from", options.from);
  checkDate("--to", options.to);
  if (options.from !== undefined && options.to !== undefined && options.from > options.to) throw new UsageError(`--from ${options.from} is after --to ${options.to}`);
  const tickers = universe(what);
  if (tickers === null) return EXIT.failed;
  const source = fetchSourceFromOption(options.data, { cacheDir: options.cacheDir, ...(options.feed === undefined ? {} : { feed: options.feed }) });
  const bar = progress(tickers.length);
  const rows: (string | number)[][] = [];
  const origins = new Set<string>();
  try {
    // One ticker per request so the progress bar moves; the cache makes repeats cheap anyway.
    for (const [i, ticker] of tickers.entries()) {
      bar.step(i, ticker);
      const set = await source.load({ tickers: [ticker], ...(options.from === undefined ? {} : { from: options.from }), ...(options.to === undefined ? {} : { to: options.to }) });
      const bars = set.bars.get(ticker)!;
      if (bars.dates.length === 0) throw new DataError(`no bars${options.from !== undefined || options.to !== undefined ? " in the requested range" : ""}`, { ticker });
      rows.push([ticker, bars.dates[0]!, bars.dates[bars.dates.length - 1]!, bars.dates.length]);
      origins.add(set.provenance.source);
    }
  } finally {
    bar.done();
  }
  for (const line of table(["ticker", "first", "last", "bars"], rows)) out(line);
  out(`${plural(tickers.length, "ticker")} cached in ${options.cacheDir} (${[...origins].sort().join(", ")})`);
  return EXIT.ok;
}

async function runImport(dir: string, cacheDir: string): Promise<number> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`no such folder: ${dir}`);
  const entries = await importFolder(dir, { cacheDir });
  for (const line of table(["ticker", "first", "last", "bars"], entries.map((e) => [e.ticker, e.first, e.last, e.bars]))) out(line);
  out(`${plural(entries.length, "ticker")} imported from ${dir} into ${cacheDir}`);
  return EXIT.ok;
}

function entryJson(entry: CacheEntry): Record<string, unknown> {
  const { ticker, first, last, bars, provider, source, adjustment, fetchedAt, contentHash, coveredFrom } = entry;
  return { ticker, first, last, bars, provider, source, adjustment, fetchedAt, contentHash, coveredFrom };
}

async function runList(cacheDir: string, json: boolean): Promise<number> {
  const entries = await listCache(cacheDir);
  if (json) {
    out(JSON.stringify({ dir: cacheDir, tickers: entries.map(entryJson) }, null, 2));
    return EXIT.ok;
  }
  if (entries.length === 0) {
    out(`no cached bars in ${cacheDir}`);
    return EXIT.ok;
  }
  const rows = entries.map((e) => [e.ticker, e.first, e.last, e.bars, `${e.provider}:${e.source}`, e.fetchedAt]);
  for (const line of table(["ticker", "first", "last", "bars", "provider", "fetched"], rows)) out(line);
  out(`${plural(entries.length, "ticker")} in ${cacheDir}`);
  return EXIT.ok;
}

/** An Alpaca request that failed (checked by name: the SDK adapter is loaded only when used). */
export function isBrokerRequestError(error: unknown): error is Error {
  return error instanceof Error && error.name === "AlpacaRequestError";
}
