/**
 * In-memory state of the fake Alpaca server, shared by every resource module. Market data
 * lives here now; account, clock, calendar, assets, positions and orders join it later as
 * more fields, each owned by its own resource module.
 */

/** A daily bar exactly as Alpaca sends it: `t` is New York midnight written in UTC. */
export interface WireBar {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
  vw: number;
}

/** A trade exactly as Alpaca sends it. */
export interface WireTrade {
  t: string;
  x: string;
  p: number;
  s: number;
  c: string[];
  i: number;
  z: string;
}

/** What a test gives the server to start with. */
export interface FakeAlpacaSeed {
  /** Daily bars per symbol, any order (the server sorts them by `t`). */
  bars?: Record<string, WireBar[]> | Map<string, WireBar[]>;
  /** Latest trade per symbol; a symbol without one is priced from its last bar. */
  latestTrades?: Record<string, WireTrade>;
  /** The server's clock: defaults for `start`/`end` (default the system clock). */
  now?: () => Date;
}

/** The server's mutable state; resource modules read and change it per request. */
export interface FakeAlpacaState {
  /** Bars per symbol, sorted by `t`. Tests may edit them between requests. */
  bars: Map<string, WireBar[]>;
  latestTrades: Map<string, WireTrade>;
  now: () => Date;
}

/** State from a seed: bars copied and sorted by time, the clock defaulted. */
export function createState(seed: FakeAlpacaSeed = {}): FakeAlpacaState {
  const entries = seed.bars instanceof Map ? [...seed.bars] : Object.entries(seed.bars ?? {});
  return {
    bars: new Map(entries.map(([symbol, bars]) => [symbol, [...bars].sort((a, b) => Date.parse(a.t) - Date.parse(b.t))])),
    latestTrades: new Map(Object.entries(seed.latestTrades ?? {})),
    now: seed.now ?? (() => new Date()),
  };
}

const NEW_YORK_HOUR = new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", hour: "2-digit", hourCycle: "h23" });

/** New York midnight of a YYYY-MM-DD date, as Alpaca writes it: "2024-01-02T05:00:00Z" (EST) or 04:00Z (EDT). */
export function newYorkMidnight(date: string): string {
  const fiveUtc = Date.parse(`${date}T05:00:00Z`);
  // At 05:00Z New York is at 00:00 in winter and 01:00 in summer.
  const hour = Number(NEW_YORK_HOUR.format(fiveUtc));
  return new Date(hour === 0 ? fiveUtc : fiveUtc - 3_600_000).toISOString().replace(".000Z", "Z");
}

/** One daily bar for `date` closing at `close`; the other fields are plausible but arbitrary. */
export function dailyBar(date: string, close: number): WireBar {
  return { t: newYorkMidnight(date), o: close, h: close * 1.01, l: close * 0.99, c: close, v: 1_000_000, n: 5_000, vw: close };
}

/** The first `count` weekdays from `from` (inclusive): enough of a calendar for tests. */
export function weekdays(from: string, count: number): string[] {
  const out: string[] = [];
  for (let day = Date.parse(`${from}T00:00:00Z`); out.length < count; day += 86_400_000) {
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) out.push(new Date(day).toISOString().slice(0, 10));
  }
  return out;
}

/** Bars on `dates` with closes start, start+step, start+2·step, … (simple and exact in tests). */
export function linearBars(dates: readonly string[], start: number, step = 1): WireBar[] {
  return dates.map((date, i) => dailyBar(date, start + i * step));
}
