/** The bar cache: hits without the provider, incremental refresh, re-adjusted history, provenance, import. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CachedBarSource, importFolder, listCache } from "../../src/data/cache.js";
import { contentHash } from "../../src/data/content-hash.js";
import { DataError } from "../../src/data/errors.js";
import { SyntheticBarSource } from "../../src/data/synthetic.js";
import type { BarRequest, BarSet, BarSource, TickerBars } from "../../src/ports/bar-source.js";

/** Synthetic bars, counting requests; `scale` multiplies every close (a re-adjustment), `listed` starts tickers late. */
class CountingSource implements BarSource {
  readonly name = "synthetic";
  readonly requests: BarRequest[] = [];
  scale = 1;
  listed = new Map<string, string>();
  private readonly inner = new SyntheticBarSource();

  async load(request: BarRequest): Promise<BarSet> {
    this.requests.push(request);
    const set = await this.inner.load(request);
    for (const [ticker, bars] of set.bars) {
      const start = this.listed.get(ticker);
      const from = start === undefined ? 0 : bars.dates.findIndex((d) => d >= start);
      const kept = from < 0 ? bars.dates.length : from;
      set.bars.set(ticker, { ticker, dates: bars.dates.slice(kept), close: bars.close.slice(kept).map((c) => c * this.scale) });
    }
    return { bars: set.bars, provenance: { ...set.provenance, fetchedAt: `2024-0${this.requests.length}-01T00:00:00.000Z`, contentHash: contentHash(set.bars) } };
  }
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "strat-cache-"));
}

function plain(bars: TickerBars | undefined) {
  return bars === undefined ? undefined : { ticker: bars.ticker, dates: bars.dates, close: Array.from(bars.close) };
}

async function direct(request: BarRequest): Promise<BarSet> {
  return new SyntheticBarSource().load(request);
}

describe("CachedBarSource", () => {
  it("serves a repeated or narrower request without calling the provider, with the same bars and content hash", async () => {
    const dir = tempDir();
    const inner = new CountingSource();
    const cache = new CachedBarSource(inner, { dir });
    const request = { tickers: ["SPY", "TQQQ"], from: "2024-01-02", to: "2024-03-28" };
    const first = await cache.load(request);
    expect(inner.requests).toEqual([request]);
    const second = await new CachedBarSource(inner, { dir }).load(request);
    expect(inner.requests).toHaveLength(1);
    const expected = await direct(request);
    expect(plain(second.bars.get("TQQQ"))).toEqual(plain(expected.bars.get("TQQQ")));
    expect(second.provenance).toEqual({ provider: "cache", source: "synthetic:seed=42", adjustment: "all", fetchedAt: "2024-01-01T00:00:00.000Z", contentHash: expected.provenance.contentHash });
    expect(first.provenance).toEqual(second.provenance);
    const narrower = await cache.load({ tickers: ["TQQQ"], from: "2024-02-01", to: "2024-02-29" });
    expect(inner.requests).toHaveLength(1);
    expect(plain(narrower.bars.get("TQQQ"))).toEqual(plain((await direct({ tickers: ["TQQQ"], from: "2024-02-01", to: "2024-02-29" })).bars.get("TQQQ")));
  });

  it("records provenance, range and hash per ticker in the manifest", async () => {
    const dir = tempDir();
    await new CachedBarSource(new CountingSource(), { dir }).load({ tickers: ["SPY"], from: "2024-01-01", to: "2024-01-31" });
    const spy = (await direct({ tickers: ["SPY"], from: "2024-01-01", to: "2024-01-31" })).bars.get("SPY")!;
    expect(await listCache(dir)).toEqual([
      {
        ticker: "SPY",
        provider: "synthetic",
        source: "seed=42",
        adjustment: "all",
        fetchedAt: "2024-01-01T00:00:00.000Z",
        contentHash: contentHash([spy]),
        first: "2024-01-02",
        last: "2024-01-31",
        bars: 21,
        coveredFrom: "2024-01-01",
      },
    ]);
    const file = JSON.parse(readFileSync(join(dir, "bars", "SPY.json"), "utf8")) as { dates: string[]; close: number[] };
    expect(file.close).toEqual(Array.from(spy.close));
  });

  it("fetches only the missing range (plus the bar it joins on) and merges it", async () => {
    const dir = tempDir();
    const inner = new CountingSource();
    const cache = new CachedBarSource(inner, { dir });
    await cache.load({ tickers: ["SPY", "QQQ"], from: "2024-01-02", to: "2024-03-28" });
    const later = await cache.load({ tickers: ["SPY", "QQQ"], from: "2024-01-02", to: "2024-06-28" });
    expect(inner.requests[1]).toEqual({ tickers: ["SPY", "QQQ"], from: "2024-03-28", to: "2024-06-28" });
    const earlier = await cache.load({ tickers: ["SPY"], from: "2023-10-02", to: "2024-06-28" });
    expect(inner.requests[2]).toEqual({ tickers: ["SPY"], from: "2023-10-02", to: "2024-01-02" });
    expect(inner.requests).toHaveLength(3);
    expect(later.provenance.contentHash).toBe((await direct({ tickers: ["SPY", "QQQ"], from: "2024-01-02", to: "2024-06-28" })).provenance.contentHash);
    expect(earlier.provenance.contentHash).toBe((await direct({ tickers: ["SPY"], from: "2023-10-02", to: "2024-06-28" })).provenance.contentHash);
    expect(earlier.provenance.fetchedAt).toBe("2024-03-01T00:00:00.000Z");
    const [spy] = await listCache(dir);
    expect(spy).toMatchObject({ ticker: "QQQ", first: "2024-01-02", last: "2024-06-28", coveredFrom: "2024-01-02" });
    expect((await listCache(dir))[1]).toMatchObject({ ticker: "SPY", first: "2023-10-02", last: "2024-06-28", coveredFrom: "2023-10-02" });
  });

  it("does not ask for ranges without sessions (weekends, holidays) nor before a late listing already covered", async () => {
    const dir = tempDir();
    const inner = new CountingSource();
    inner.listed.set("NEW", "2024-02-01");
    const cache = new CachedBarSource(inner, { dir });
    const first = await cache.load({ tickers: ["NEW"], from: "2024-01-02", to: "2024-03-28" });
    expect(first.bars.get("NEW")!.dates[0]).toBe("2024-02-01");
    await cache.load({ tickers: ["NEW"], from: "2024-01-02", to: "2024-03-31" }); // Good Friday and a weekend
    await cache.load({ tickers: ["NEW"], from: "2023-12-30", to: "2024-03-29" }); // New Year's weekend and holiday
    expect(inner.requests).toHaveLength(1);
  });

  it("re-fetches the whole range when the provider re-adjusted the history", async () => {
    const dir = tempDir();
    const inner = new CountingSource();
    const cache = new CachedBarSource(inner, { dir });
    await cache.load({ tickers: ["SPY"], from: "2024-01-02", to: "2024-03-28" });
    inner.scale = 0.99; // a dividend: every past adjusted close moves
    const after = await cache.load({ tickers: ["SPY"], from: "2024-02-01", to: "2024-06-28" });
    expect(inner.requests.slice(1)).toEqual([
      { tickers: ["SPY"], from: "2024-03-28", to: "2024-06-28" },
      { tickers: ["SPY"], from: "2024-01-02", to: "2024-06-28" },
    ]);
    const fresh = (await direct({ tickers: ["SPY"], from: "2024-02-01", to: "2024-06-28" })).bars.get("SPY")!;
    expect(Array.from(after.bars.get("SPY")!.close)).toEqual(Array.from(fresh.close).map((c) => c * 0.99));
    expect((await listCache(dir))[0]).toMatchObject({ first: "2024-01-02", last: "2024-06-28", fetchedAt: "2024-03-01T00:00:00.000Z" });
  });

  it("replaces bars cached from another provider or source", async () => {
    const dir = tempDir();
    const inner = new CountingSource();
    await new CachedBarSource(inner, { dir }).load({ tickers: ["SPY"], from: "2024-01-02", to: "2024-01-31" });
    await new CachedBarSource(inner, { dir, source: "seed=7" }).load({ tickers: ["SPY"], from: "2024-01-02", to: "2024-01-31" });
    expect(inner.requests).toHaveLength(2);
    await new CachedBarSource(inner, { dir, provider: "alpaca" }).load({ tickers: ["SPY"], from: "2024-01-02", to: "2024-01-31" });
    expect(inner.requests).toHaveLength(3);
  });

  it("re-fetches a corrupt file when it has a provider", async () => {
    const dir = tempDir();
    const inner = new CountingSource();
    const cache = new CachedBarSource(inner, { dir });
    await cache.load({ tickers: ["SPY"], from: "2024-01-02", to: "2024-01-31" });
    writeFileSync(join(dir, "bars", "SPY.json"), "{not json");
    const again = await cache.load({ tickers: ["SPY"], from: "2024-01-02", to: "2024-01-31" });
    expect(inner.requests).toHaveLength(2);
    expect(again.bars.get("SPY")!.dates).toHaveLength(21);
  });
});

describe("cache only (--data cache)", () => {
  it("serves cached bars and names tickers it does not have", async () => {
    const dir = tempDir();
    await new CachedBarSource(new CountingSource(), { dir }).load({ tickers: ["SPY", "QQQ"], from: "2024-01-02", to: "2024-01-31" });
    const offline = new CachedBarSource(null, { dir });
    const set = await offline.load({ tickers: ["QQQ"], from: "2024-01-10" });
    expect(set.bars.get("QQQ")!.dates[0]).toBe("2024-01-10");
    expect(set.provenance.provider).toBe("cache");
    await expect(offline.load({ tickers: ["SPY", "SPX"] })).rejects.toThrow(new DataError(`not in the cache ${dir}; did you mean 'SPY'? (fetch it with: strat data fetch SPX)`, { ticker: "SPX" }));
    await expect(offline.load({ tickers: ["TLT"] })).rejects.toThrow(`TLT: not in the cache ${dir} (fetch it with: strat data fetch TLT)`);
  });

  it("reports a corrupt file instead of trusting it", async () => {
    const dir = tempDir();
    await new CachedBarSource(new CountingSource(), { dir }).load({ tickers: ["SPY"], from: "2024-01-02", to: "2024-01-31" });
    const file = join(dir, "bars", "SPY.json");
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace(/"close":\[[0-9.e+-]+/, '"close":[-1'));
    await expect(new CachedBarSource(null, { dir }).load({ tickers: ["SPY"] })).rejects.toThrow(`${file}: SPY: the cache file is corrupt (the file has a non-positive close); fetch the ticker again`);
  });
});

describe("importFolder and listCache", () => {
  it("imports a validated CSV folder and lists it", async () => {
    const csv = tempDir();
    writeFileSync(join(csv, "spy.csv"), "Date,Adj Close\n2024-01-02,470.5\n2024-01-03,468.25\n");
    writeFileSync(join(csv, "BRK.B.csv"), "Date,Close\n2024-01-02,360\n");
    const dir = tempDir();
    const entries = await importFolder(csv, { cacheDir: dir });
    expect(entries.map((e) => [e.ticker, e.provider, e.source, e.adjustment, e.first, e.last, e.bars, e.coveredFrom])).toEqual([
      ["BRK.B", "csv", csv, "unknown", "2024-01-02", "2024-01-02", 1, null],
      ["SPY", "csv", csv, "all", "2024-01-02", "2024-01-03", 2, null],
    ]);
    expect(await listCache(dir)).toEqual(entries);
    const set = await new CachedBarSource(null, { dir }).load({ tickers: ["SPY"] });
    expect(Array.from(set.bars.get("SPY")!.close)).toEqual([470.5, 468.25]);
  });

  it("writes nothing when one file is bad", async () => {
    const csv = tempDir();
    writeFileSync(join(csv, "AAA.csv"), "Date,Close\n2024-01-02,1\n");
    writeFileSync(join(csv, "BBB.csv"), "Date,Close\n2024-01-02,0\n");
    const dir = tempDir();
    await expect(importFolder(csv, { cacheDir: dir })).rejects.toThrow(`${join(csv, "BBB.csv")}:2: BBB 2024-01-02: non-positive close 0`);
    expect(await listCache(dir)).toEqual([]);
  });

  it("lists nothing for a missing cache folder", async () => {
    expect(await listCache(join(tempDir(), "none"))).toEqual([]);
  });
});
