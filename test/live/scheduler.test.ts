/** The scheduler: runs each strategy once per trading day at its time, /health, /shutdown with a token. */
import { afterEach, describe, expect, it } from "vitest";
import { runTime, Scheduler } from "../../src/live/scheduler.js";
import { SimBroker } from "../../src/trading/sim-broker.js";
import { newYorkInstant } from "../../src/data/market-hours.js";

let scheduler: Scheduler | null = null;
afterEach(async () => {
  await scheduler?.stop();
  scheduler = null;
});

function setup(now: { iso: string }, runs: string[], fail = false): Scheduler {
  const broker = new SimBroker({ now: now.iso });
  return new Scheduler({
    broker,
    strategies: [
      {
        name: "A",
        run: async () => {
          runs.push(`A ${now.iso}`);
          if (fail) throw new Error("boom");
          return "ok";
        },
      },
      { name: "B", at: "15:30", run: async () => (runs.push(`B ${now.iso}`), "ok") },
    ],
    port: 0,
    shutdownToken: "s3cret-token",
    log: () => {},
    now: () => new Date(now.iso),
    manualTicks: true,
  });
}

describe("Scheduler", () => {
  it("runs at 10 minutes before the close, 15:50, or 12:50 on an early close, once a day", async () => {
    expect(runTime({ name: "x", run: async () => "" }, "16:00")).toBe(15 * 60 + 50);
    expect(runTime({ name: "x", run: async () => "" }, "13:00")).toBe(12 * 60 + 50);
    expect(runTime({ name: "x", at: "15:45", run: async () => "" }, "13:00")).toBe(12 * 60 + 50);
    const now = { iso: newYorkInstant("2024-07-03", "12:49").toISOString() };
    const runs: string[] = [];
    scheduler = setup(now, runs);
    await scheduler.start();
    await scheduler.tick();
    expect(runs).toEqual([]);
    now.iso = newYorkInstant("2024-07-03", "12:50").toISOString();
    await scheduler.tick();
    await scheduler.tick();
    // 2024-07-03 closes at 13:00: both run at 12:50, each once.
    expect(runs).toEqual([`A ${now.iso}`, `B ${now.iso}`]);
    now.iso = newYorkInstant("2024-07-04", "15:55").toISOString();
    await scheduler.tick();
    expect(runs).toHaveLength(2);
  });

  it("serves /health (503 while a strategy fails) and stops on POST /shutdown with the right token only", async () => {
    const now = { iso: newYorkInstant("2024-07-08", "15:50").toISOString() };
    scheduler = setup(now, [], true);
    const port = await scheduler.start();
    await scheduler.tick();
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(503);
    const body = (await health.json()) as { status: string; strategies: { name: string; lastError: string | null }[] };
    expect(body.status).toBe("failing");
    expect(body.strategies.map((s) => [s.name, s.lastError])).toEqual([["A", "boom"], ["B", null]]);
    const wrong = await fetch(`http://127.0.0.1:${port}/shutdown`, { method: "POST", headers: { authorization: "Bearer wrong-token-0" } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`http://127.0.0.1:${port}/shutdown`, { method: "POST", headers: { authorization: "Bearer s3cret-token" } });
    expect(right.status).toBe(202);
    await scheduler.done;
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });
});
