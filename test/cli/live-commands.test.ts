/** `strat run` (dry-run and paper) and `strat status` against the fake Alpaca server, in-process. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeAlpacaServer } from "../fakes/alpaca-server.js";
import { fakeEnv, liveFake, MIX, TODAY } from "../helpers/live-fixture.js";
import { runCli } from "../helpers/run-cli.js";

let server: FakeAlpacaServer;
const cwd = process.cwd();
const saved = { ...process.env };
const keys = ["APCA_API_KEY_ID", "APCA_API_SECRET_KEY", "APCA_API_BASE_URL", "APCA_API_DATA_URL", "DATABASE_URL"];

beforeAll(async () => {
  server = await liveFake();
  const dir = mkdtempSync(join(tmpdir(), "strat-live-"));
  writeFileSync(join(dir, "mix.strat"), MIX);
  process.chdir(dir);
  delete process.env.DATABASE_URL;
  Object.assign(process.env, fakeEnv(server));
});

afterAll(async () => {
  process.chdir(cwd);
  for (const key of keys) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  await server.close();
});

describe("strat run and strat status", () => {
  it("--mode dry-run prints the plan and submits nothing", async () => {
    const run = await runCli("run", "mix.strat", "--mode", "dry-run", "--data", "alpaca");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe("targets vs holdings:");
    expect(lines.slice(1, 4).map((l) => l.trim().split(/\s+/).slice(0, 3).join(" "))).toEqual(["BIL target 20.00%", "SPY target 60.00%", "TLT target 20.00%"]);
    expect(lines).toContain("dry run: nothing submitted");
    expect(server.state.orders).toHaveLength(0);
  });

  it("--mode paper trades, records, and a second run the same day does nothing", async () => {
    const first = await runCli("run", "mix.strat", "--mode", "paper", "--data", "alpaca", "--fill-timeout", "2");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/run \d+ reconciled: 3 of 3 orders filled/);
    expect(server.state.orders).toHaveLength(3);
    const again = await runCli("run", "mix.strat", "--mode", "paper", "--data", "alpaca");
    expect(again.stdout).toBe(`"Mix" already ran on ${TODAY} (reconciled)\n`);
    expect(server.state.orders).toHaveLength(3);
  });

  it("status shows the account, positions against targets, runs and orders", async () => {
    const status = await runCli("status");
    expect(status.code).toBe(0);
    const lines = status.stdout.split("\n");
    expect(lines[0]).toMatch(/^account: equity \$[\d.]+, cash \$[\d.]+, buying power \$[\d.]+$/);
    expect(lines).toContain(`positions vs targets of "Mix" on ${TODAY}:`);
    expect(lines.some((l) => /^ {2}SPY +held +\d+\.\d\d% +target +60\.00%$/.test(l))).toBe(true);
    expect(lines.some((l) => new RegExp(`^  #\\d+ ${TODAY} Mix \\(paper\\) reconciled$`).test(l))).toBe(true);
    const json = JSON.parse((await runCli("status", "--json")).stdout) as { targets: Record<string, number>; orders: unknown[] };
    expect(json.targets).toEqual({ BIL: 0.2, SPY: 0.6, TLT: 0.2 });
    expect(json.orders).toHaveLength(3);
  });

  it("refuses --mode live without confirmation", async () => {
    const run = await runCli("run", "mix.strat", "--mode", "live");
    expect([run.code, run.stderr]).toEqual([2, "strat: --mode live trades real money: add --confirm-live to confirm\n"]);
  });
});
