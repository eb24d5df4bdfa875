/**
 * Every injected broker fault ends in a completed run or a recorded refusal, never a lost order
 * record: runs through the Alpaca adapter against the fake server, with a PGlite store.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAlpacaBroker } from "../../src/adapters/alpaca/broker.js";
import { openStore, type PostgresStore } from "../../src/adapters/postgres/store.js";
import { createAlpacaBarSource } from "../../src/adapters/alpaca/bar-source.js";
import { runOnce, type RunOutcome } from "../../src/live/run-once.js";
import { compile } from "../../src/lang/compile.js";
import { newYorkInstant } from "../../src/data/market-hours.js";
import { dailyBar, type FakeAlpacaServer } from "../fakes/alpaca-server.js";
import { liveFake, MIX, TODAY } from "../helpers/live-fixture.js";

let store: PostgresStore;
beforeAll(async () => {
  store = await openStore({ dataDir: "memory://" });
  await store.migrate();
});
afterAll(async () => store.close());

let counter = 0;
const noSleep = { attempts: 4, baseDelayMs: 0, sleep: async () => {} };

async function run(server: FakeAlpacaServer, extra: Partial<Parameters<typeof runOnce>[0]> = {}, name = `Mix ${++counter}`): Promise<RunOutcome> {
  // A fresh strategy name per case, so each case has its own runs and ledger in the one store.
  const source = MIX.replace('"Mix"', `"${name}"`);
  const strategy = compile(source, { file: "mix.strat" }).ir!.strategies[0]!;
  const options = { keyId: server.keyId, secretKey: server.secretKey, baseUrl: server.url, dataUrl: server.url, env: {}, sleep: async () => {}, rateLimit: false } as const;
  return runOnce({
    strategy,
    params: [],
    source,
    mode: "paper",
    broker: createAlpacaBroker(options),
    store,
    bars: createAlpacaBarSource(options),
    costs: { slippageBps: 5, fees: "none", minNotional: 1 },
    limits: {},
    fillTimeoutMs: 300,
    fillPollMs: 50,
    retry: noSleep,
    log: () => {},
    ...extra,
  });
}

async function recorded(outcome: RunOutcome) {
  if (outcome.status !== "completed" && outcome.status !== "refused") throw new Error(`unexpected ${outcome.status}`);
  return { run: outcome.run, orders: await store.orders(outcome.run.id), events: await store.events(outcome.run.id) };
}

describe("injected broker faults", () => {
  it("429 with Retry-After and 5xx on reads are retried; the run completes", async () => {
    const server = await liveFake();
    server.inject({ status: 429, retryAfter: 1, path: "/v2/account", times: 1 });
    server.inject({ status: 503, path: "/v2/positions", times: 2 });
    const { run: r, orders } = await recorded(await run(server));
    expect(r.state).toBe("reconciled");
    expect(orders.map((o) => [o.symbol, o.status])).toEqual([["BIL", "filled"], ["SPY", "filled"], ["TLT", "filled"]]);
    await server.close();
  });

  it("a lost response to an order (500 after placing it, or a dropped connection) is found by client id, never resubmitted", async () => {
    for (const fault of [{ status: 500 }, { drop: true as const }]) {
      const server = await liveFake();
      server.inject({ ...fault, serveFirst: true, path: "/v2/orders", method: "POST", times: 1 });
      const { run: r, orders } = await recorded(await run(server));
      expect(r.state).toBe("reconciled");
      expect(orders.every((o) => o.status === "filled" && o.brokerOrderId !== null)).toBe(true);
      expect(server.state.orders).toHaveLength(3);
      expect(server.requestsTo("/v2/orders").filter((q) => q.method === "POST")).toHaveLength(3);
      await server.close();
    }
  });

  it("a rejected order is recorded as failed with the broker's reason; the others fill", async () => {
    const server = await liveFake();
    server.rejectNext("SPY", "insufficient buying power");
    const outcome = await run(server);
    const { run: r, orders } = await recorded(outcome);
    expect(r.state).toBe("reconciled");
    const spy = orders.find((o) => o.symbol === "SPY")!;
    expect(spy.status).toBe("failed");
    expect(spy.reason).toContain("insufficient buying power");
    expect(orders.filter((o) => o.status === "filled").map((o) => o.symbol)).toEqual(["BIL", "TLT"]);
  });

  it("partial fills leave the run partially filled with the shares recorded", async () => {
    const server = await liveFake(undefined, { fills: "manual" });
    // Half of each order fills while the runner waits (2 s, however loaded the machine is).
    const pending = run(server, { fillTimeoutMs: 2000 });
    void (async () => {
      while (server.state.orders.length < 3) await new Promise((r) => setTimeout(r, 10));
      server.fillPending({ partial: 0.5 });
    })();
    const { run: r, orders } = await recorded(await pending);
    expect(r.state).toBe("reconciled");
    for (const o of orders) {
      expect(o.status).toBe("partially_filled");
      expect(o.filledQty).toBeCloseTo(o.qty / 2, 8);
    }
    const events = await store.events(r.id);
    expect(events.map((e) => e.kind)).toContain("reconciled");
    await server.close();
  });

  it("a closed market, a blocked account and a kill switch are recorded refusals", async () => {
    const closed = await liveFake();
    closed.setClock(newYorkInstant(TODAY, "17:30").toISOString());
    const a = await recorded(await run(closed));
    expect([a.run.state, a.run.reason]).toEqual(["refused", "the market is closed now"]);
    expect(a.orders).toEqual([]);
    await closed.close();

    const blocked = await liveFake(undefined, { account: { tradingBlocked: true } });
    const b = await recorded(await run(blocked));
    expect([b.run.state, b.run.reason]).toEqual(["refused", "the broker blocks trading on this account"]);
    await blocked.close();

    const killed = await liveFake();
    const c = await recorded(await run(killed, { limits: { env: { STRAT_KILL_SWITCH: "1" } } }));
    expect([c.run.state, c.run.reason]).toEqual(["refused", "the kill switch is on (STRAT_KILL_SWITCH=1)"]);
    expect(c.events.map((e) => e.kind)).toEqual(["refused"]);
    expect(killed.state.orders).toHaveLength(0);
    await killed.close();
  });

  it("refuses orders above the maximum notional and after the maximum daily loss", async () => {
    const big = await liveFake();
    const a = await recorded(await run(big, { limits: { maxOrderNotional: 10_000 } }));
    expect(a.run.state).toBe("refused");
    expect(a.run.reason).toMatch(/^the buy of (BIL|SPY|TLT) \(\$[\d.]+\) is above the maximum order notional of \$10000\.00$/);
    expect(big.state.orders).toHaveLength(0);
    await big.close();

    const down = await liveFake(undefined, { account: { cash: 90_000, lastEquity: 100_000 } });
    const b = await recorded(await run(down, { limits: { maxDailyLoss: 0.05 } }));
    expect([b.run.state, b.run.reason]).toEqual(["refused", "the account is down 10.00% since the previous close, more than the 5.00% limit"]);
    await down.close();
  });

  it("refuses to trade on stale bars", async () => {
    const server = await liveFake();
    for (const bars of server.state.bars.values()) bars.pop();
    const a = await recorded(await run(server));
    expect([a.run.state, a.run.reason]).toEqual(["refused", "stale bars: BIL's last bar is 2024-07-05, the previous session was 2024-07-08"]);
    await server.close();
  });

  it("refuses a store/broker mismatch it cannot explain", async () => {
    const server = await liveFake();
    const first = await recorded(await run(server, {}, "Mismatch"));
    expect(first.run.state).toBe("reconciled");
    // The next session: yesterday's closes become bars, today's trades move on.
    for (const [symbol, trade] of server.state.latestTrades) {
      server.state.bars.get(symbol)!.push(dailyBar(TODAY, trade.p));
      server.state.latestTrades.set(symbol, { ...trade, t: newYorkInstant("2024-07-10", "15:50").toISOString(), p: trade.p * 1.01 });
    }
    server.setClock(newYorkInstant("2024-07-10", "15:50").toISOString());
    const spy = server.state.positions.get("SPY")!;
    server.state.positions.set("SPY", { ...spy, qty: spy.qty - 1 });
    const second = await recorded(await run(server, {}, "Mismatch"));
    expect(second.run.state).toBe("refused");
    expect(second.run.reason).toMatch(/^store\/broker mismatch: the store says the strategy holds [\d.]+ SPY, the broker holds [\d.]+$/);
    await server.close();
  });
});
