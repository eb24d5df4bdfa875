/**
 * `--data SPEC` → a BarSource: the one place the CLI picks a data provider. Alpaca is always
 * behind the local cache (repeated backtests never re-download); synthetic and CSV are read
 * directly (they are local and fast); `cache` serves the cache alone, offline.
 */
import { statSync } from "node:fs";
import { CachedBarSource, DEFAULT_CACHE_DIR } from "../data/cache.js";
import { CsvBarSource } from "../data/csv.js";
import { SYNTHETIC_DEFAULT_SEED, SyntheticBarSource } from "../data/synthetic.js";
import type { BarRequest, BarSet, BarSource } from "../ports/bar-source.js";
import { UsageError } from "./usage-error.js";

/** The forms `--data` accepts, for help texts and errors. */
export const DATA_SPEC_FORMS = "synthetic, synthetic:SEED, csv:DIR, alpaca, cache";

/** Where provider settings come from besides the spec. */
export interface BarSourceOptions {
  /** Cache folder (default `.strat/data`). */
  cacheDir?: string;
  /** Alpaca feed from `--feed`; wins over APCA_DATA_FEED; default "iex". */
  feed?: string;
  /** Environment for Alpaca keys and settings (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A parsed `--data` spec. */
export type DataSpec = { kind: "synthetic"; seed: number } | { kind: "csv"; dir: string } | { kind: "alpaca" } | { kind: "cache" };

/** Parses `--data`; a UsageError listing the valid forms for anything else. */
export function parseDataSpec(spec: string): DataSpec {
  if (spec === "synthetic") return { kind: "synthetic", seed: SYNTHETIC_DEFAULT_SEED };
  if (spec.startsWith("synthetic:")) {
    const text = spec.slice("synthetic:".length);
    if (!/^\d{1,15}$/.test(text)) throw new UsageError(`--data ${spec}: the seed must be a non-negative integer (e.g. synthetic:7)`);
    return { kind: "synthetic", seed: Number(text) };
  }
  if (spec.startsWith("csv:")) {
    const dir = spec.slice("csv:".length);
    if (dir === "") throw new UsageError("--data csv:DIR needs a folder (e.g. csv:data/prices)");
    return { kind: "csv", dir };
  }
  if (spec === "alpaca" || spec === "cache") return { kind: spec };
  throw new UsageError(`unknown --data '${spec}'; expected one of: ${DATA_SPEC_FORMS}`);
}

function alpacaSource(options: BarSourceOptions): { source: BarSource; feed: "iex" | "sip" } {
  const env = options.env ?? process.env;
  const keyId = env.APCA_API_KEY_ID;
  const secretKey = env.APCA_API_SECRET_KEY;
  if (keyId === undefined || keyId === "" || secretKey === undefined || secretKey === "") {
    throw new UsageError("--data alpaca needs Alpaca API keys in APCA_API_KEY_ID and APCA_API_SECRET_KEY (paper-account keys can read market data)");
  }
  const feed = options.feed ?? env.APCA_DATA_FEED ?? "iex";
  if (feed !== "iex" && feed !== "sip") throw new UsageError(`unknown Alpaca feed '${feed}'; expected iex or sip`);
  const dataUrl = env.APCA_API_DATA_URL;
  const settings = { keyId, secretKey, feed, env, ...(dataUrl === undefined || dataUrl === "" ? {} : { dataUrl }) } as const;
  return { source: new LazyAlpacaBarSource(settings), feed };
}

/**
 * Loads the Alpaca SDK only when bars are actually fetched: it is large, and most runs
 * (synthetic, CSV, a warm cache) never need it, so the CLI starts faster without it.
 */
class LazyAlpacaBarSource implements BarSource {
  readonly name = "alpaca";
  private inner: BarSource | null = null;

  constructor(private readonly settings: Parameters<typeof import("../adapters/alpaca/bar-source.js").createAlpacaBarSource>[0]) {}

  async load(request: BarRequest): Promise<BarSet> {
    if (this.inner === null) {
      const { createAlpacaBarSource } = await import("../adapters/alpaca/bar-source.js");
      this.inner = createAlpacaBarSource(this.settings);
    }
    return this.inner.load(request);
  }
}

/**
 * The BarSource for `--data SPEC`: synthetic[:SEED] and csv:DIR directly, alpaca through the
 * cache (`options.cacheDir`), cache alone for "cache". UsageError for an unknown spec, a
 * missing CSV folder, missing Alpaca keys or an unknown feed.
 */
export function barSourceFromOption(spec: string, options: BarSourceOptions = {}): BarSource {
  const parsed = parseDataSpec(spec);
  const dir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  switch (parsed.kind) {
    case "synthetic":
      return new SyntheticBarSource({ seed: parsed.seed });
    case "csv": {
      let isFolder = false;
      try {
        isFolder = statSync(parsed.dir).isDirectory();
      } catch {
        // reported below
      }
      if (!isFolder) throw new UsageError(`--data csv:${parsed.dir}: no such folder`);
      return new CsvBarSource(parsed.dir);
    }
    case "alpaca": {
      const { source, feed } = alpacaSource(options);
      return new CachedBarSource(source, { dir, provider: "alpaca", source: feed });
    }
    case "cache":
      return new CachedBarSource(null, { dir });
  }
}

/**
 * The source `strat data fetch` fills the cache from: alpaca or synthetic[:SEED], always
 * wrapped in the cache so every load is stored. UsageError for the other specs.
 */
export function fetchSourceFromOption(spec: string, options: BarSourceOptions = {}): CachedBarSource {
  const parsed = parseDataSpec(spec);
  const dir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  if (parsed.kind === "synthetic") return new CachedBarSource(new SyntheticBarSource({ seed: parsed.seed }), { dir, provider: "synthetic", source: `seed=${parsed.seed}` });
  if (parsed.kind === "alpaca") {
    const { source, feed } = alpacaSource(options);
    return new CachedBarSource(source, { dir, provider: "alpaca", source: feed });
  }
  throw new UsageError(`strat data fetch reads from alpaca or synthetic[:SEED], not '${spec}'${parsed.kind === "csv" ? " (use: strat data import DIR)" : ""}`);
}
