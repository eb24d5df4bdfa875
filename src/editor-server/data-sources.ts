/**
 * The data the editor's backtests may run on: the synthetic market (always there) and the local
 * bar cache (when it holds bars). Sources are built by the CLI's own `--data` parser, so a run
 * from the editor reads exactly what `strat backtest --data synthetic|cache` reads.
 */
import { CacheStore } from "../data/cache-store.js";
import { SYNTHETIC_DEFAULT_FROM, SYNTHETIC_DEFAULT_SEED, SYNTHETIC_DEFAULT_TO } from "../data/synthetic.js";
import type { BarSource } from "../ports/bar-source.js";
import { HttpError } from "./http.js";
import { asUserError, type RunInputs } from "./run-inputs.js";

/** The ids the picker offers; each is also the `--data` spec it stands for. */
export const DATA_SOURCE_IDS = ["synthetic", "cache"] as const;
export type DataSourceId = (typeof DATA_SOURCE_IDS)[number];

/** A source as GET /api/data lists it. */
export interface DataSourceInfo {
  id: DataSourceId;
  label: string;
  /** First and last session it holds (the cache: over all its tickers); null when unknown. */
  first: string | null;
  last: string | null;
}

/** GET /api/data: synthetic first (the default), then the cache in `cacheDir` when it has bars. */
export async function listDataSources(cacheDir: string): Promise<{ sources: DataSourceInfo[] }> {
  const sources: DataSourceInfo[] = [{ id: "synthetic", label: `Synthetic (seed ${SYNTHETIC_DEFAULT_SEED})`, first: SYNTHETIC_DEFAULT_FROM, last: SYNTHETIC_DEFAULT_TO }];
  let entries: Awaited<ReturnType<CacheStore["entries"]>>;
  try {
    entries = await new CacheStore(cacheDir).entries();
  } catch {
    // An unreadable manifest: offering the cache would only fail on every run.
    return { sources };
  }
  if (entries.size > 0) {
    const all = [...entries.values()];
    const first = all.reduce((d, e) => (e.first < d ? e.first : d), all[0]!.first);
    const last = all.reduce((d, e) => (e.last > d ? e.last : d), all[0]!.last);
    sources.push({ id: "cache", label: `Local cache (${entries.size} ticker${entries.size === 1 ? "" : "s"})`, first, last });
  }
  return { sources };
}

/** The bar source of `id`, as `--data id` builds it (the cache read alone, offline). */
export async function barSourceFor(id: DataSourceId, cacheDir: string, inputs: RunInputs): Promise<BarSource> {
  if (id === "cache" && (await listDataSources(cacheDir)).sources.every((s) => s.id !== "cache")) {
    throw new HttpError(422, `there is no local bar cache in ${cacheDir}; fill it with: strat data fetch FILE_OR_TICKERS --cache-dir ${cacheDir}`);
  }
  return asUserError(() => inputs.barSource(id, cacheDir), (message) => new HttpError(422, message));
}
