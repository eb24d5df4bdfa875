/**
 * A fake Alpaca server set up for live runs on Tuesday 2024-07-09 at 15:50 New York: synthetic
 * bars for the strategy's tickers through the previous session, that day's closes as the latest
 * trades, and a fresh account with $100,000.
 */
import { SyntheticBarSource } from "../../src/data/synthetic.js";
import { newYorkInstant } from "../../src/data/market-hours.js";
import { dailyBar, startFakeAlpacaServer, type FakeAlpacaServer, type FakeAlpacaServerOptions } from "../fakes/alpaca-server.js";

export const TODAY = "2024-07-09";
export const PREVIOUS = "2024-07-08";
export const MIX = 'strategy "Mix" {\n  weighted { 60% SPY, 40% equal { TLT, BIL } }\n}\n';
export const MIX_TICKERS = ["BIL", "SPY", "TLT"];

/** Starts the fake with bars through PREVIOUS and TODAY's closes as latest trades. */
export async function liveFake(tickers: readonly string[] = MIX_TICKERS, options: FakeAlpacaServerOptions = {}): Promise<FakeAlpacaServer> {
  const set = await new SyntheticBarSource().load({ tickers: [...tickers], from: "2023-01-03", to: TODAY });
  const bars: Record<string, ReturnType<typeof dailyBar>[]> = {};
  const latestTrades: Record<string, { t: string; x: string; p: number; s: number; c: string[]; i: number; z: string }> = {};
  const now = newYorkInstant(TODAY, "15:50");
  for (const [ticker, b] of set.bars) {
    const last = b.dates.length - 1;
    bars[ticker] = b.dates.slice(0, last).map((d, i) => dailyBar(d, b.close[i]!));
    latestTrades[ticker] = { t: now.toISOString(), x: "V", p: b.close[last]!, s: 100, c: ["@"], i: 1, z: "A" };
  }
  const server = await startFakeAlpacaServer({ bars, latestTrades, ...options });
  server.setClock(now.toISOString());
  return server;
}

/** Environment pointing the CLI and the SDK at the fake server. */
export function fakeEnv(server: FakeAlpacaServer): Record<string, string> {
  return { APCA_API_KEY_ID: server.keyId, APCA_API_SECRET_KEY: server.secretKey, APCA_API_BASE_URL: server.url, APCA_API_DATA_URL: server.url };
}
