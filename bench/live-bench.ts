/**
 * Live decision latency: from the trigger to every order acknowledged, for the largest corpus
 * symphony with 14 years of history (2012 on), through the real runner, store (PGlite) and the
 * simulated broker. The simulated broker answers in-process, so HTTP round trips to Alpaca are
 * not included; the fake-server tests cover the wire.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { openStore } from "../src/adapters/postgres/store.js";
import { SyntheticBarSource } from "../src/data/synthetic.js";
import { runOnce } from "../src/live/run-once.js";
import { compile } from "../src/lang/compile.js";
import { SimBroker } from "../src/trading/sim-broker.js";
import { newYorkInstant } from "../src/data/market-hours.js";
import type { BarRequest, BarSet, BarSource } from "../src/ports/bar-source.js";

/** History from 2012 only, as a 14-year cache would hold it. */
class FourteenYears implements BarSource {
  readonly name = "synthetic-2012";
  private readonly inner = new SyntheticBarSource();
  load(request: BarRequest): Promise<BarSet> {
    return this.inner.load({ ...request, from: "2012-01-03" });
  }
}

export async function benchLiveDecision(root: string, file: string, targetMs: number): Promise<{ name: string; orders: number; decisionMs: number; targetMs: number; meetsTarget: boolean }> {
  const path = resolve(root, file);
  const ir = compile(readFileSync(path, "utf8"), { file: path }).ir!;
  const strategy = ir.strategies[0]!;
  const today = "2025-12-30";
  const bars = new FourteenYears();
  const closes = (await bars.load({ tickers: strategy.tickers, to: today })).bars;
  const broker = new SimBroker({ now: newYorkInstant(today, "15:50").toISOString(), cash: 1_000_000 });
  broker.setPrices(new Map(strategy.tickers.map((t) => [t, closes.get(t)!.close[closes.get(t)!.close.length - 1]!])));
  const store = await openStore({ dataDir: "memory://" });
  await store.migrate();
  const started = performance.now();
  const outcome = await runOnce({ strategy, params: ir.params, source: "", mode: "paper", broker, store, bars, costs: { slippageBps: 5, fees: "none", minNotional: 1 }, limits: {}, fillTimeoutMs: 0, log: () => {} });
  const decisionMs = performance.now() - started;
  await store.close();
  const orders = outcome.status === "completed" ? outcome.orders.length : 0;
  return { name: file, orders, decisionMs: Math.round(decisionMs), targetMs, meetsTarget: decisionMs < targetMs };
}
