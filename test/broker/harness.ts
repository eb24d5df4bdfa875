/**
 * Harnesses for the broker tests: the same starting world built as a SimBroker or as the
 * Alpaca adapter on the fake Alpaca server, each with controls that move its clock, prices
 * and fills, and a guard that fails any test whose requests leave 127.0.0.1.
 */
import { afterEach, beforeEach, expect } from "vitest";
import { createAlpacaBroker } from "../../src/adapters/alpaca/broker.js";
import { createAlpacaClient, type AlpacaClient, type AlpacaClientOptions, type AlpacaRetryEvent } from "../../src/adapters/alpaca/client.js";
import type { Broker } from "../../src/ports/broker.js";
import { SimBroker } from "../../src/trading/sim-broker.js";
import { startFakeAlpacaServer, type FakeAlpacaServer, type FakeAlpacaServerOptions, type WireTrade } from "../fakes/alpaca-server.js";

/** What both brokers start with. */
export interface World {
  /** ISO instant. */
  now: string;
  cash: number;
  prices: Record<string, number>;
  /** Symbols that trade in whole shares only. */
  wholeShares?: string[];
  /** Symbols that cannot be traded. */
  untradable?: string[];
}

/** The standard world: Wednesday 2024-07-03, 12:00 New York (an early-close day), $100 000. */
export const WORLD: World = {
  now: "2024-07-03T16:00:00.000Z",
  cash: 100_000,
  prices: { SPY: 500, QQQ: 400, WHOLE: 50, HALT: 10 },
  wholeShares: ["WHOLE"],
  untradable: ["HALT"],
};

/** Test levers every broker under contract offers, whatever its mechanics. */
export interface Controls {
  setPrices(prices: Record<string, number>): void;
  /** Moves the broker's clock forward. */
  setNow(iso: string): void;
  setFillMode(mode: "immediate" | "manual"): void;
  fillPending(options?: { partial?: number; symbol?: string }): void;
  rejectNext(symbol: string | undefined, reason: string, options?: { later?: boolean }): void;
  setRejectWhenClosed(reject: boolean): void;
  setTradingBlocked(blocked: boolean): void;
}

/** A broker under test and its controls. */
export interface BrokerHarness {
  broker: Broker;
  controls: Controls;
  /** Whether the broker reports why an accepted order was later rejected (Alpaca's REST API does not). */
  reportsRejectReason: boolean;
}

/** Builds a fresh harness per test. */
export type BrokerFactory = (world?: World) => Promise<BrokerHarness>;

// ---- no request leaves the machine ---------------------------------------------------------------

const realFetch = globalThis.fetch;
let offLoopback: string[] = [];

/** Installs a global fetch that refuses (and records) any host but 127.0.0.1, checked after each test. */
export function guardLoopback(): void {
  beforeEach(() => {
    offLoopback = [];
    globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.hostname !== "127.0.0.1") {
        offLoopback.push(url.origin);
        throw new Error(`test tried to reach ${url.origin}`);
      }
      return realFetch(input, init);
    }) as typeof fetch;
  });
  afterEach(() => {
    globalThis.fetch = realFetch;
    expect(offLoopback).toEqual([]);
  });
}

// ---- SimBroker -------------------------------------------------------------------------------------

/** A SimBroker in `world`. */
export const simFactory: BrokerFactory = async (world = WORLD) => {
  const assets: Record<string, { tradable?: boolean; fractionable?: boolean }> = {};
  for (const symbol of world.wholeShares ?? []) assets[symbol] = { ...assets[symbol], fractionable: false };
  for (const symbol of world.untradable ?? []) assets[symbol] = { ...assets[symbol], tradable: false };
  const broker = new SimBroker({ now: world.now, cash: world.cash, prices: world.prices, assets });
  return {
    broker,
    reportsRejectReason: true,
    controls: {
      setPrices: (prices) => broker.setPrices(prices),
      setNow: (iso) => broker.setNow(iso),
      setFillMode: (mode) => broker.setFillMode(mode),
      fillPending: (options) => broker.fillPending(options),
      rejectNext: (symbol, reason, options) => broker.rejectNext(symbol, reason, options),
      setRejectWhenClosed: (reject) => broker.setRejectWhenClosed(reject),
      setTradingBlocked: (blocked) => broker.setTradingBlocked(blocked),
    },
  };
};

// ---- the Alpaca adapter on the fake server ---------------------------------------------------------

const servers: FakeAlpacaServer[] = [];

/** Closes the fake servers started by {@link startServer} after each test. */
export function closeServersAfterEach(): void {
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
}

/** A trade in Alpaca's wire format at `price`, time `t`. */
export function wireTrade(price: number, t: string): WireTrade {
  return { t, x: "V", p: price, s: 100, c: ["@"], i: 1, z: "C" };
}

/** Starts a fake server holding `world` (plus `extra` seed options). */
export async function startServer(world: World = WORLD, extra: FakeAlpacaServerOptions = {}): Promise<FakeAlpacaServer> {
  const assets: Record<string, { tradable?: boolean; fractionable?: boolean }> = {};
  for (const symbol of world.wholeShares ?? []) assets[symbol] = { ...assets[symbol], fractionable: false };
  for (const symbol of world.untradable ?? []) assets[symbol] = { ...assets[symbol], tradable: false };
  const start = new Date(world.now);
  const server = await startFakeAlpacaServer({
    now: () => start,
    latestTrades: Object.fromEntries(Object.entries(world.prices).map(([symbol, price]) => [symbol, wireTrade(price, world.now)])),
    account: { cash: world.cash },
    assets,
    ...extra,
  });
  servers.push(server);
  return server;
}

/** A client on `server` whose waits are recorded instead of slept. */
export function connect(server: FakeAlpacaServer, extra: Partial<AlpacaClientOptions> = {}): { client: AlpacaClient; sleeps: number[]; retries: AlpacaRetryEvent[] } {
  const sleeps: number[] = [];
  const retries: AlpacaRetryEvent[] = [];
  const client = createAlpacaClient({
    keyId: server.keyId,
    secretKey: server.secretKey,
    baseUrl: server.url,
    dataUrl: server.url,
    env: {},
    rateLimit: false,
    timeoutMs: 5_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onRetry: (event) => retries.push(event),
    ...extra,
  });
  return { client, sleeps, retries };
}

/** Controls that act on the fake server's state. */
export function serverControls(server: FakeAlpacaServer): Controls {
  return {
    setPrices: (prices) => {
      const t = server.state.now().toISOString();
      for (const [symbol, price] of Object.entries(prices)) server.state.latestTrades.set(symbol, wireTrade(price, t));
    },
    setNow: (iso) => server.setClock(iso),
    setFillMode: (mode) => server.setFillMode(mode),
    fillPending: (options) => server.fillPending(options),
    rejectNext: (symbol, reason, options) => server.rejectNext(symbol, reason, options),
    setRejectWhenClosed: (reject) => server.setRejectWhenClosed(reject),
    setTradingBlocked: (blocked) => {
      server.state.account.tradingBlocked = blocked;
    },
  };
}

/** The Alpaca adapter on a fresh fake server holding `world`. */
export const alpacaFactory: BrokerFactory = async (world = WORLD) => {
  const server = await startServer(world);
  const { client } = connect(server);
  return { broker: createAlpacaBroker({ client }), controls: serverControls(server), reportsRejectReason: false };
};

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}
