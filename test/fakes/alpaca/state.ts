/**
 * In-memory state of the fake Alpaca server, shared by every resource module: market data,
 * the account, calendar, assets, positions and orders. Each resource module owns the reading
 * and changing of its fields; the types live here so modules can share them without cycles.
 * Numbers are kept as numbers and written as Alpaca's strings only on the wire.
 */
import { latestTradeOf } from "./market-data.js";

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

/** One trading session as `/v2/calendar` lists it; times are New York "HH:MM". */
export interface FakeSession {
  date: string;
  open: string;
  close: string;
}

/** The account's balances and flags (equity is computed from cash and positions). */
export interface FakeAccount {
  id: string;
  accountNumber: string;
  /** Alpaca's account status, e.g. "ACTIVE". */
  status: string;
  cash: number;
  /** Equity at the previous close; rolls when `setClock` passes a close. */
  lastEquity: number;
  tradingBlocked: boolean;
  accountBlocked: boolean;
  tradeSuspendedByUser: boolean;
}

/** An asset's reference data. */
export interface FakeAsset {
  id: string;
  symbol: string;
  name: string;
  exchange: string;
  /** "active" or "inactive". */
  status: string;
  tradable: boolean;
  fractionable: boolean;
  marginable: boolean;
  shortable: boolean;
  easyToBorrow: boolean;
}

/** A long position: shares and what they cost. */
export interface FakePosition {
  symbol: string;
  qty: number;
  costBasis: number;
}

/** An order as the fake keeps it; `toWireOrder` (orders.ts) writes Alpaca's JSON. */
export interface FakeOrder {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: "buy" | "sell";
  qty: number;
  filledQty: number;
  /** Sum of qty·price over fills, for `filled_avg_price`. */
  filledNotional: number;
  /** Any Alpaca status string: tests may set exotic ones ("calculated", "held") directly. */
  status: string;
  createdAt: string;
  submittedAt: string;
  updatedAt: string;
  filledAt: string | null;
  canceledAt: string | null;
  expiredAt: string | null;
  failedAt: string | null;
  /** When this day order expires: its session's close (ISO). */
  expiresAt: string;
  /** Session date (YYYY-MM-DD) the day order lives in. */
  session: string;
  /** Set by `rejectNext(…, { later: true })`: the order turns "rejected" instead of filling. */
  rejectLater: string | null;
}

/** A queued refusal (see `server.rejectNext`). */
export interface FakeRejection {
  symbol: string | undefined;
  reason: string;
  /** Accept the order and reject it at fill time instead of answering 403. */
  later: boolean;
}

/** "immediate": market orders fill when submitted while open; "manual": only on `fillPending`. */
export type FakeFillMode = "immediate" | "manual";

/** What a test gives the server to start with. */
export interface FakeAlpacaSeed {
  /** Daily bars per symbol, any order (the server sorts them by `t`). */
  bars?: Record<string, WireBar[]> | Map<string, WireBar[]>;
  /** Latest trade per symbol; a symbol without one is priced from its last bar. */
  latestTrades?: Record<string, WireTrade>;
  /** The server's clock: defaults for `start`/`end`, market hours, order times (default the system clock). */
  now?: () => Date;
  /** Account balances and flags (default 100 000 cash, ACTIVE, nothing blocked). */
  account?: Partial<FakeAccount>;
  /** The market calendar (default: NYSE sessions from the rules in src/data/nyse-calendar.ts). */
  calendar?: FakeSession[];
  /** Assets by symbol; a symbol not listed but priced (bars or trades) is an active, tradable, fractionable asset. */
  assets?: Record<string, Partial<FakeAsset>>;
  /** Starting shares per symbol, at cost = the starting price. */
  positions?: Record<string, number>;
  /** Default "immediate". */
  fills?: FakeFillMode;
  /** Refuse orders while the market is closed (403) instead of accepting them for the next session. */
  rejectWhenClosed?: boolean;
}

/** The server's mutable state; resource modules read and change it per request. */
export interface FakeAlpacaState {
  /** Bars per symbol, sorted by `t`. Tests may edit them between requests. */
  bars: Map<string, WireBar[]>;
  latestTrades: Map<string, WireTrade>;
  now: () => Date;
  account: FakeAccount;
  /** Explicit sessions by date, or undefined for the NYSE rules. */
  calendar: Map<string, FakeSession> | undefined;
  /** Explicitly configured assets; see `assetOf` (assets.ts) for the defaults. */
  assets: Map<string, FakeAsset>;
  /** Open positions by symbol. */
  positions: Map<string, FakePosition>;
  /** Every order accepted, oldest first. */
  orders: FakeOrder[];
  rejections: FakeRejection[];
  fillMode: FakeFillMode;
  rejectWhenClosed: boolean;
  /** Counter for deterministic order ids. */
  sequence: number;
}

/** State from a seed: bars copied and sorted by time, the clock and account defaulted. */
export function createState(seed: FakeAlpacaSeed = {}): FakeAlpacaState {
  const entries = seed.bars instanceof Map ? [...seed.bars] : Object.entries(seed.bars ?? {});
  const cash = seed.account?.cash ?? 100_000;
  const state: FakeAlpacaState = {
    bars: new Map(entries.map(([symbol, bars]) => [symbol, [...bars].sort((a, b) => Date.parse(a.t) - Date.parse(b.t))])),
    latestTrades: new Map(Object.entries(seed.latestTrades ?? {})),
    now: seed.now ?? (() => new Date()),
    account: {
      id: "904837e3-3b76-47ec-b432-046db621571b",
      accountNumber: "PA0FAKE00001",
      status: "ACTIVE",
      cash,
      lastEquity: cash,
      tradingBlocked: false,
      accountBlocked: false,
      tradeSuspendedByUser: false,
      ...seed.account,
    },
    calendar: seed.calendar === undefined ? undefined : new Map(seed.calendar.map((s) => [s.date, { ...s }])),
    assets: new Map(),
    positions: new Map(),
    orders: [],
    rejections: [],
    fillMode: seed.fills ?? "immediate",
    rejectWhenClosed: seed.rejectWhenClosed ?? false,
    sequence: 0,
  };
  for (const [symbol, asset] of Object.entries(seed.assets ?? {})) state.assets.set(symbol, defaultAsset(symbol, asset));
  for (const [symbol, qty] of Object.entries(seed.positions ?? {})) {
    const price = latestTradeOf(state, symbol)?.p ?? 0;
    if (qty !== 0) state.positions.set(symbol, { symbol, qty, costBasis: qty * price });
  }
  if (seed.account?.lastEquity === undefined) {
    let equity = cash;
    for (const position of state.positions.values()) equity += position.costBasis;
    state.account.lastEquity = equity;
  }
  return state;
}

/** A full asset record: active, tradable, fractionable unless `overrides` say otherwise. */
export function defaultAsset(symbol: string, overrides: Partial<FakeAsset> = {}): FakeAsset {
  // A stable id per symbol, shaped like Alpaca's UUIDs.
  const hex = Buffer.from(symbol, "utf8").toString("hex").padEnd(12, "0").slice(0, 12);
  return {
    id: `00000000-0000-4000-a000-${hex}`,
    symbol,
    name: `${symbol} (fake)`,
    exchange: "ARCA",
    status: "active",
    tradable: true,
    fractionable: true,
    marginable: true,
    shortable: false,
    easyToBorrow: false,
    ...overrides,
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

/** A number as Alpaca writes amounts: a decimal string, at most 9 decimals, no exponent ("10", "0.5"). */
export function wireNumber(value: number): string {
  const text = value.toFixed(9).replace(/\.?0+$/, "");
  return text === "-0" ? "0" : text;
}
