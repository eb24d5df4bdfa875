/**
 * Parity (DESIGN.md §3): a simulated sequence of live days — the simulated broker, a manual
 * clock at 15:50 New York, today's close as the latest trade — submits exactly the orders the
 * backtest's planner produces for the same days.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type PostgresStore } from "../../src/adapters/postgres/store.js";
import { backtest, pickStrategy } from "../../src/backtest/run.js";
import { SyntheticBarSource } from "../../src/data/synthetic.js";
import { runOnce } from "../../src/live/run-once.js";
import type { IrProgram } from "../../src/ir/types.js";
import { compile } from "../../src/lang/compile.js";
import { SimBroker } from "../../src/trading/sim-broker.js";
import { newYorkInstant } from "../../src/data/market-hours.js";
import { REPO, testHost } from "../helpers/host.js";

const FROM = "2024-01-02";
const TO = "2024-03-28";
const COSTS = { slippageBps: 2, fees: "none" as const, minNotional: 1 };
const source = new SyntheticBarSource();
let store: PostgresStore;

beforeAll(async () => {
  store = await openStore({ dataDir: "memory://" });
  await store.migrate();
});
afterAll(async () => store.close());

function irOf(path: string): IrProgram {
  const result = compile(readFileSync(resolve(REPO, path), "utf8"), { file: path, host: testHost() });
  if (result.ir === null) throw new Error(`${path} does not compile`);
  return result.ir;
}

type Trade = [string, string, "buy" | "sell", number];

describe("live runs submit the backtest's orders", () => {
  it.each(["strategies/holy_grail.strat", "strategies/sector_momentum_top3.strat", "test/fixtures/corpus/hedged_sector_rotator.clj"])("%s", async (path) => {
    const ir = irOf(path);
    const strategy = pickStrategy(ir, undefined);
    const result = await backtest(ir, source, { from: FROM, to: TO, capital: 100_000, slippageBps: COSTS.slippageBps, fees: "none" });
    const expected: Trade[] = result.simulation.fills.map((f) => [f.date, f.symbol, f.side, f.qty]);

    const sessions = result.simulation.dates;
    const closes = (await source.load({ tickers: strategy.tickers, from: FROM, to: TO })).bars;
    const broker = new SimBroker({ now: newYorkInstant(FROM, "15:50").toISOString(), cash: 100_000, slippageBps: COSTS.slippageBps });
    const submitted: Trade[] = [];
    for (const date of sessions) {
      broker.setNow(newYorkInstant(date, "15:50").toISOString());
      const prices = new Map(strategy.tickers.map((t) => [t, closes.get(t)!.close[closes.get(t)!.dates.indexOf(date)]!]));
      broker.setPrices(prices);
      const outcome = await runOnce({
        strategy,
        params: ir.params,
        source: path,
        mode: "paper",
        broker,
        store,
        bars: source,
        costs: COSTS,
        limits: {},
        fillTimeoutMs: 0,
        log: () => {},
      });
      expect(outcome.status).toBe("completed");
      if (outcome.status === "completed") {
        for (const o of outcome.orders) {
          expect(o.status).toBe("filled");
          submitted.push([date, o.symbol, o.side, o.qty]);
        }
      }
    }
    const sort = (t: Trade[]): Trade[] => [...t].sort((a, b) => a.join().localeCompare(b.join()));
    expect(sort(submitted)).toEqual(sort(expected));
    expect(expected.length).toBeGreaterThan(0);
  });
});
