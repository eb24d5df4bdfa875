/**
 * Crash safety: `strat run` is killed with SIGKILL at every step boundary of a run and started
 * again. Afterwards the broker holds each order exactly once and the store's ledger equals the
 * broker's positions.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/adapters/postgres/store.js";
import { REPO } from "../helpers/host.js";
import { fakeEnv, liveFake, MIX, TODAY } from "../helpers/live-fixture.js";

const BIN = resolve(REPO, "src", "cli", "bin.ts");
const TSX = import.meta.resolve("tsx");

function strat(cwd: string, env: Record<string, string>, args: string[]): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ["--import", TSX, BIN, ...args], { cwd, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      const e = error as (NodeJS.ErrnoException & { code?: number | string; signal?: string }) | null;
      done({ code: e === null ? 0 : typeof e.code === "number" ? e.code : null, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

const STEPS = ["calendar", "lock", "reconcile", "bars", "evaluate", "plan", "record", "submit:BIL", "submitted:BIL", "submit:TLT", "submitted", "fills", "snapshot", "done"];

// Each case starts three CLI processes and a PGlite database: slow on two cores.
describe("a run killed at any step and restarted", { timeout: 300_000 }, () => {
  it.concurrent.each(STEPS)("killed at %s: no duplicate order, store matches broker", async (step) => {
    const server = await liveFake();
    const cwd = mkdtempSync(join(tmpdir(), "strat-crash-"));
    writeFileSync(join(cwd, "mix.strat"), MIX);
    const env = fakeEnv(server);
    const args = ["run", "mix.strat", "--mode", "paper", "--data", "alpaca", "--fill-timeout", "5"];
    try {
      const crashed = await strat(cwd, { ...env, STRAT_CRASH_AT: step }, args);
      expect(crashed.signal).toBe("SIGKILL");
      const resumed = await strat(cwd, env, args);
      expect(resumed.stderr).toBe("");
      expect(resumed.code).toBe(0);
      const again = await strat(cwd, env, args);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(`"Mix" already ran on ${TODAY} (reconciled)`);

      const orders = server.state.orders;
      expect(orders.map((o) => o.symbol).sort()).toEqual(["BIL", "SPY", "TLT"]);
      expect(new Set(orders.map((o) => o.clientOrderId)).size).toBe(3);
      expect(orders.every((o) => o.status === "filled")).toBe(true);

      const store = await openStore({ dataDir: join(cwd, ".strat", "db") });
      try {
        const runs = await store.recentRuns(10);
        expect(runs.map((r) => [r.tradingDate, r.mode, r.state])).toEqual([[TODAY, "paper", "reconciled"]]);
        const ledger = await store.ledger(runs[0]!.strategyId, "paper");
        const positions = new Map([...server.state.positions.values()].map((p) => [p.symbol, p.qty]));
        expect(Object.fromEntries(ledger)).toEqual(Object.fromEntries(positions));
      } finally {
        await store.close();
      }
    } finally {
      await server.close();
    }
  });
});
