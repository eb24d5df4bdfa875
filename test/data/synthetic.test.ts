/** The synthetic provider: determinism, independence of request shape, ETF mechanics, plausibility. */
import { describe, expect, it } from "vitest";
import { contentHash } from "../../src/data/content-hash.js";
import { isSession, sessionsBetween } from "../../src/data/nyse-calendar.js";
import {
  LEVERAGED_DAILY_FEE,
  LEVERAGED_MIN_FACTOR,
  SYNTHETIC_EPOCH,
  SyntheticBarSource,
  createSyntheticBarSource,
} from "../../src/data/synthetic.js";
import { leveragedProducts } from "../../src/data/synthetic-tickers.js";
import type { BarSet, TickerBars } from "../../src/ports/bar-source.js";

const UNIVERSE = ["SPY", "QQQ", "TQQQ", "SQQQ", "UPRO", "SPXU", "TLT", "TMF", "TMV", "BIL", "SHY", "GLD", "DBC", "UVXY", "VIXY", "SOXL", "SOXS", "XLK", "TECL", "XLF", "FAS", "XBI", "LABU", "IWM", "XLE", "XLP", "AAPL", "MSFT", "ZZZZ", "BRK.B"];

function bytes(set: BarSet): string {
  return JSON.stringify([...set.bars.values()].map((b) => ({ ticker: b.ticker, dates: b.dates, close: Array.from(b.close) })));
}

function get(set: BarSet, ticker: string): TickerBars {
  const bars = set.bars.get(ticker);
  if (bars === undefined) throw new Error(`no ${ticker}`);
  return bars;
}

function returns(close: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 1; i < close.length; i++) out.push(close[i]! / close[i - 1]! - 1);
  return out;
}

function correlation(a: number[], b: number[]): number {
  const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const ma = mean(a);
  const mb = mean(b);
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < a.length; i++) {
    cov += (a[i]! - ma) * (b[i]! - mb);
    va += (a[i]! - ma) ** 2;
    vb += (b[i]! - mb) ** 2;
  }
  return cov / Math.sqrt(va * vb);
}

describe("synthetic bars", () => {
  it("gives identical bytes and content hash for the same request, and fixed provenance", async () => {
    const request = { tickers: ["SPY", "TQQQ", "BIL"], from: "2015-01-02", to: "2016-12-30" };
    const a = await createSyntheticBarSource().load(request);
    const b = await createSyntheticBarSource().load(request);
    expect(bytes(a)).toBe(bytes(b));
    expect(a.provenance).toEqual(b.provenance);
    expect(a.provenance).toEqual({ provider: "synthetic", source: "seed=42", adjustment: "all", fetchedAt: "1970-01-01T00:00:00.000Z", contentHash: contentHash(a.bars) });
  });

  it("gives a ticker the same closes whatever else or whatever range is requested", async () => {
    const source = new SyntheticBarSource();
    const alone = get(await source.load({ tickers: ["MSFT"], from: "2018-01-02", to: "2018-12-31" }), "MSFT");
    const crowded = get(await source.load({ tickers: ["TQQQ", "UVXY", "AAPL", "MSFT", "TLT"], from: "2012-05-01", to: "2024-06-28" }), "MSFT");
    const start = crowded.dates.indexOf("2018-01-02");
    expect(crowded.dates.slice(start, start + alone.dates.length)).toEqual(alone.dates);
    expect(Array.from(crowded.close.slice(start, start + alone.dates.length))).toEqual(Array.from(alone.close));
    const beyondAnchor = get(await source.load({ tickers: ["MSFT"], from: "2018-01-02", to: "2027-03-31" }), "MSFT");
    expect(Array.from(beyondAnchor.close.slice(0, alone.dates.length))).toEqual(Array.from(alone.close));
  });

  it("differs between seeds", async () => {
    const request = { tickers: ["SPY"], from: "2020-01-02", to: "2020-12-31" };
    const a = await new SyntheticBarSource({ seed: 1 }).load(request);
    const b = await new SyntheticBarSource({ seed: 2 }).load(request);
    expect(a.provenance.source).toBe("seed=1");
    expect(a.provenance.contentHash).not.toBe(b.provenance.contentHash);
  });

  it("serves every NYSE session of 2010-01-04..2025-12-31 by default and starts no earlier than the epoch", async () => {
    const source = new SyntheticBarSource();
    const spy = get(await source.load({ tickers: ["SPY"] }), "SPY");
    expect(spy.dates).toEqual(sessionsBetween("2010-01-04", "2025-12-31"));
    const early = get(await source.load({ tickers: ["SPY"], from: "1990-01-01", to: "2000-01-10" }), "SPY");
    expect(early.dates).toEqual(["2000-01-03", "2000-01-04", "2000-01-05", "2000-01-06", "2000-01-07", "2000-01-10"]);
    expect(early.dates[0]).toBe(SYNTHETIC_EPOCH);
    expect(get(await source.load({ tickers: ["SPY"], from: "1990-01-01", to: "1999-12-31" }), "SPY").dates).toEqual([]);
    expect(spy.dates.every(isSession)).toBe(true);
  });

  it("keeps every close positive and finite, for known ETFs and any other ticker", async () => {
    const set = await new SyntheticBarSource().load({ tickers: UNIVERSE, from: SYNTHETIC_EPOCH, to: "2025-12-31" });
    for (const bars of set.bars.values()) {
      expect(bars.close.length).toBe(bars.dates.length);
      expect(bars.close.every((c) => c > 0 && Number.isFinite(c)), bars.ticker).toBe(true);
    }
  });

  it("compounds leveraged and inverse ETFs from the base's daily return, minus the daily fee, exactly", async () => {
    const products = leveragedProducts();
    const tickers = ["TQQQ", "SQQQ", "UPRO", "SPXU", "TECL", "SOXL", "SOXS", "TMF", "TMV", "FAS", "LABU", "UVXY"];
    const set = await new SyntheticBarSource().load({ tickers: [...tickers, ...tickers.map((t) => products.get(t)!.base)], from: "2008-01-02" });
    expect(LEVERAGED_DAILY_FEE).toBe(0.0095 / 252);
    for (const ticker of tickers) {
      const { base, leverage } = products.get(ticker)!;
      const lev = get(set, ticker).close;
      const b = get(set, base).close;
      const mismatches: string[] = [];
      for (let t = 1; t < lev.length; t++) {
        const factor = 1 + leverage * (b[t]! / b[t - 1]! - 1) - LEVERAGED_DAILY_FEE;
        if (lev[t] !== lev[t - 1]! * Math.max(factor, LEVERAGED_MIN_FACTOR)) mismatches.push(`${ticker} bar ${t}`);
      }
      expect(mismatches).toEqual([]);
      expect(lev.length).toBeGreaterThan(4000);
    }
    expect(products.get("TQQQ")).toEqual({ base: "QQQ", leverage: 3 });
    expect(products.get("SQQQ")).toEqual({ base: "QQQ", leverage: -3 });
    expect(products.get("UVXY")).toEqual({ base: "VIXY", leverage: 1.5 });
  });

  it("makes UVXY and VIXY decay and move against the market; BIL nearly flat", async () => {
    const set = await new SyntheticBarSource().load({ tickers: ["UVXY", "VIXY", "SPY", "BIL", "TLT", "QQQ"] });
    const uvxy = get(set, "UVXY").close;
    expect(uvxy[uvxy.length - 1]! / uvxy[0]!).toBeLessThan(1e-4);
    const vixy = get(set, "VIXY").close;
    expect(vixy[vixy.length - 1]! / vixy[0]!).toBeLessThan(0.01);
    const spy = returns(get(set, "SPY").close);
    expect(correlation(returns(vixy), spy)).toBeLessThan(-0.6);
    expect(correlation(returns(get(set, "QQQ").close), spy)).toBeGreaterThan(0.7);
    expect(correlation(returns(get(set, "TLT").close), spy)).toBeLessThan(0);
    const bil = get(set, "BIL").close;
    expect(Math.max(...returns(bil).map(Math.abs))).toBeLessThan(0.001);
    expect(bil[bil.length - 1]! / bil[0]!).toBeGreaterThan(1.1);
    expect(bil[bil.length - 1]! / bil[0]!).toBeLessThan(1.4);
  });

  it("clusters volatility and has fat tails in the market", async () => {
    const spy = returns(get(await new SyntheticBarSource().load({ tickers: ["SPY"], from: SYNTHETIC_EPOCH }), "SPY").close);
    const mean = spy.reduce((s, r) => s + r, 0) / spy.length;
    const sd = Math.sqrt(spy.reduce((s, r) => s + (r - mean) ** 2, 0) / spy.length);
    expect(sd * Math.sqrt(252)).toBeGreaterThan(0.12);
    expect(sd * Math.sqrt(252)).toBeLessThan(0.3);
    const kurtosis = spy.reduce((s, r) => s + (r - mean) ** 4, 0) / spy.length / sd ** 4 - 3;
    expect(kurtosis).toBeGreaterThan(2);
    // Volatility clustering: squared returns are autocorrelated.
    const squared = spy.map((r) => r * r);
    expect(correlation(squared.slice(1), squared.slice(0, -1))).toBeGreaterThan(0.1);
  });

  it("generates 30 tickers over 16 years quickly", async () => {
    const source = new SyntheticBarSource();
    await source.load({ tickers: UNIVERSE }); // warm-up: JIT
    const started = performance.now();
    const set = await source.load({ tickers: UNIVERSE });
    const elapsed = performance.now() - started;
    expect(set.bars.size).toBe(30);
    // The goal is well under 200 ms; the bound is loose for busy CI machines.
    expect(elapsed).toBeLessThan(1000);
  });
});
