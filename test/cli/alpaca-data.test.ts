/**
 * End to end against the fake Alpaca server: `strat data fetch` fills the cache from Alpaca's
 * wire format, and `strat backtest --data alpaca` then runs from the cache without another
 * request. Nothing leaves 127.0.0.1.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SyntheticBarSource } from "../../src/data/synthetic.js";
import { dailyBar, FAKE_KEY_ID, FAKE_SECRET_KEY, startFakeAlpacaServer, type FakeAlpacaServer } from "../fakes/alpaca-server.js";
import { runCli } from "../helpers/run-cli.js";

let server: FakeAlpacaServer;
const cwd = process.cwd();
const saved = { ...process.env };
let dir: string;

beforeAll(async () => {
  // Serve two years of synthetic SPY, TLT and BIL in Alpaca's format.
  const set = await new SyntheticBarSource().load({ tickers: ["SPY", "TLT", "BIL"], from: "2023-01-03", to: "2024-12-31" });
  const bars = Object.fromEntries([...set.bars].map(([t, b]) => [t, b.dates.map((d, i) => dailyBar(d, b.close[i]!))]));
  server = await startFakeAlpacaServer({ bars, now: () => new Date("2025-01-02T15:00:00Z") });
  dir = mkdtempSync(join(tmpdir(), "strat-alpaca-"));
  process.chdir(dir);
  Object.assign(process.env, { APCA_API_KEY_ID: FAKE_KEY_ID, APCA_API_SECRET_KEY: FAKE_SECRET_KEY, APCA_API_DATA_URL: server.url, APCA_API_BASE_URL: server.url });
  writeFileSync(join(dir, "mix.strat"), 'strategy "Mix" {\n  if sma(SPY, 20) > sma(SPY, 50) { SPY } else { equal { TLT, BIL } }\n}\n');
});

afterAll(async () => {
  process.chdir(cwd);
  for (const key of ["APCA_API_KEY_ID", "APCA_API_SECRET_KEY", "APCA_API_DATA_URL", "APCA_API_BASE_URL"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  await server.close();
});

describe("--data alpaca", () => {
  it("fetches a strategy's universe into the cache, then backtests from it offline", async () => {
    const fetch = await runCli("data", "fetch", "mix.strat", "--from", "2023-01-03", "--to", "2024-12-31");
    expect(fetch.code).toBe(0);
    const fetched = server.requestsTo("/v2/stocks/bars").length;
    expect(fetched).toBeGreaterThan(0);
    expect(server.requests.every((r) => r.authorized)).toBe(true);

    const ls = JSON.parse((await runCli("data", "ls", "--json")).stdout) as { tickers: { ticker: string; provider: string; source: string; first: string; last: string }[] };
    expect(ls.tickers.map((e) => [e.ticker, e.provider, e.source, e.first, e.last])).toEqual([
      ["BIL", "alpaca", "iex", "2023-01-03", "2024-12-31"],
      ["SPY", "alpaca", "iex", "2023-01-03", "2024-12-31"],
      ["TLT", "alpaca", "iex", "2023-01-03", "2024-12-31"],
    ]);

    const run = await runCli("backtest", "mix.strat", "--data", "alpaca", "--from", "2023-06-01", "--to", "2024-12-31", "--json");
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { data: { provider: string; source: string }; start: string; end: string };
    expect(doc.data.provider).toBe("cache");
    expect(doc.data.source).toBe("alpaca:iex");
    expect([doc.start, doc.end]).toEqual(["2023-06-01", "2024-12-31"]);
    // The backtest wants all history: the cache asks once for bars up to the first it holds...
    const before = server.requestsTo("/v2/stocks/bars").slice(fetched);
    expect(before.map((r) => [r.query["symbols"], r.query["end"]?.slice(0, 10)])).toEqual([["BIL,SPY,TLT", "2023-01-03"]]);
    // ...and a repeated backtest is served from the cache alone.
    const again = await runCli("backtest", "mix.strat", "--data", "alpaca", "--from", "2023-06-01", "--to", "2024-12-31", "--json");
    expect(again.stdout).toBe(run.stdout);
    expect(server.requestsTo("/v2/stocks/bars").length).toBe(fetched + 1);
  });

  it("says clearly when the keys are missing", async () => {
    const key = process.env.APCA_API_KEY_ID;
    delete process.env.APCA_API_KEY_ID;
    try {
      const run = await runCli("backtest", "mix.strat", "--data", "alpaca");
      expect(run.code).toBe(2);
      expect(run.stderr).toBe("strat: --data alpaca needs Alpaca API keys in APCA_API_KEY_ID and APCA_API_SECRET_KEY (paper-account keys can read market data)\n");
    } finally {
      process.env.APCA_API_KEY_ID = key;
    }
  });
});
