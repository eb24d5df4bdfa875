/**
 * The Postgres Store, one suite run against every backend: PGlite in memory always, and a real
 * Postgres server when TEST_DATABASE_URL is set (CI: postgres://postgres@127.0.0.1:5432/test).
 * On the server each store gets a fresh `strat_test_<random>` schema (dropped afterwards), so
 * parallel runs never see each other's rows.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DatabaseInUseError, maskDatabaseUrl, openDatabase } from "../../src/adapters/postgres/database.js";
import { advisoryLockId } from "../../src/adapters/postgres/lock-id.js";
import { MIGRATIONS_DIR, loadMigrations, migrationStatus } from "../../src/adapters/postgres/migrate.js";
import { PostgresStore, openStore } from "../../src/adapters/postgres/store.js";
import { parseTimestamp } from "../../src/adapters/postgres/type-parsers.js";
import type { DecisionRecord, NewOrder, RunMode } from "../../src/ports/store.js";

/** The migrations the package ships, in order. */
const MIGRATIONS = ["001_initial", "002_optimizer"];
import { runCli } from "../helpers/run-cli.js";

const SERVER_URL = process.env.TEST_DATABASE_URL;

/** How the shared suite gets its stores. */
interface Backend {
  name: string;
  /** A store on a fresh, empty, unmigrated database; closed after the test. */
  open(): Promise<PostgresStore>;
  /**
   * A second Store instance on the same database: its own pool on a server; on PGlite (one
   * session per process) a second store over the same database handle.
   */
  sibling(store: PostgresStore): Promise<PostgresStore>;
  cleanup(): Promise<void>;
}

function pgliteBackend(): Backend {
  // Running initdb for every test would cost ~3 s each: dump one fresh cluster, load it per test.
  let template: Promise<Blob> | null = null;
  const dump = async (): Promise<Blob> => {
    const pglite = await PGlite.create("memory://");
    try {
      return await pglite.dumpDataDir("none");
    } finally {
      await pglite.close();
    }
  };
  return {
    name: "PGlite",
    async open() {
      template ??= dump();
      return new PostgresStore(await openDatabase({ dataDir: "memory://", loadDataDir: await template }), { closeDatabase: true });
    },
    async sibling(store) {
      return new PostgresStore(store.database);
    },
    async cleanup() {},
  };
}

function serverBackend(url: string): Backend {
  const schemas = new Map<PostgresStore, string>();
  const created: string[] = [];
  return {
    name: "Postgres server",
    async open() {
      const schema = `strat_test_${randomBytes(6).toString("hex")}`;
      created.push(schema);
      const store = await openStore({ databaseUrl: url, schema });
      schemas.set(store, schema);
      return store;
    },
    async sibling(store) {
      const schema = schemas.get(store);
      if (schema === undefined) throw new Error("sibling of an unknown store");
      return openStore({ databaseUrl: url, schema });
    },
    async cleanup() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        for (const schema of created) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

const BACKENDS: Backend[] = [pgliteBackend(), ...(SERVER_URL === undefined || SERVER_URL === "" ? [] : [serverBackend(SERVER_URL)])];

const DECISION: DecisionRecord = {
  tradingDate: "2026-01-02",
  irHash: "ir-1",
  dataHash: "data-1",
  allocation: { SPY: 0.6, TLT: 0.4 },
  branches: { "3": "then", "7": [0, 2] },
};

function order(clientOrderId: string, symbol: string, side: "buy" | "sell", qty: number, price: number): NewOrder {
  return { clientOrderId, symbol, side, qty, price, notional: qty * price };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Every value reachable from `value`, to check that no Date object slipped through. */
function leaves(value: unknown): unknown[] {
  if (value instanceof Map) return [...value.values()].flatMap(leaves);
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (value !== null && typeof value === "object" && !(value instanceof Date)) return Object.values(value).flatMap(leaves);
  return [value];
}

function suite(backend: Backend): void {
  describe(`PostgresStore on ${backend.name}`, () => {
    const open: PostgresStore[] = [];

    /** A migrated store on a fresh database, with one strategy. */
    async function fresh(): Promise<{ store: PostgresStore; strategyId: number; versionId: number }> {
      const store = await backend.open();
      open.push(store);
      await store.migrate();
      const { strategyId, versionId } = await store.ensureStrategy("holy_grail", "ir-1", "strategy holy_grail { }");
      return { store, strategyId, versionId };
    }

    async function planned(store: PostgresStore, strategyId: number, versionId: number, tradingDate: string, mode: RunMode, orders: NewOrder[]) {
      return store.createPlannedRun({ strategyId, versionId, tradingDate, mode, orders, decision: { ...DECISION, tradingDate } });
    }

    async function count(store: PostgresStore, table: "runs" | "orders" | "decisions"): Promise<number> {
      const row = await store.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      return row.n;
    }

    afterEach(async () => {
      for (const store of open.splice(0).reverse()) await store.close();
    });

    afterAll(async () => {
      await backend.cleanup();
    });

    it("applies the migrations once, and a second migrate applies nothing", async () => {
      const store = await backend.open();
      open.push(store);
      expect(await migrationStatus(store.database.db)).toEqual(MIGRATIONS.map((name) => ({ name, appliedAt: null, known: true })));
      expect(await store.migrate()).toEqual(MIGRATIONS);
      expect(await store.migrate()).toEqual([]);
      const status = await migrationStatus(store.database.db);
      expect(status).toHaveLength(MIGRATIONS.length);
      expect(status[0]).toMatchObject({ name: "001_initial", known: true });
      expect(status[0]!.appliedAt).toMatch(ISO_INSTANT);
    });

    it("lets two stores migrate one database at once: each migration is applied exactly once", async () => {
      const store = await backend.open();
      open.push(store);
      const other = await backend.sibling(store);
      open.push(other);
      const [a, b] = await Promise.all([store.migrate(), other.migrate()]);
      expect([...a, ...b].sort()).toEqual(MIGRATIONS);
    });

    it("refuses to migrate a database that has a migration this strat doesn't ship", async () => {
      const store = await backend.open();
      open.push(store);
      await store.migrate();
      await store.database.db.insertInto("strat_migrations").values({ name: "999_from_the_future" }).execute();
      await expect(store.migrate()).rejects.toThrow(/doesn't know: 999_from_the_future/);
      expect((await migrationStatus(store.database.db)).map((m) => [m.name, m.known])).toEqual([
        ...MIGRATIONS.map((name) => [name, true]),
        ["999_from_the_future", false],
      ]);
    });

    it("creates strategies and versions once: same ids for the same name and IR hash", async () => {
      const { store, strategyId, versionId } = await fresh();
      expect(await store.ensureStrategy("holy_grail", "ir-1", "strategy holy_grail { }")).toEqual({ strategyId, versionId });
      const v2 = await store.ensureStrategy("holy_grail", "ir-2", "strategy holy_grail { v2 }");
      expect(v2.strategyId).toBe(strategyId);
      expect(v2.versionId).not.toBe(versionId);
      expect(await store.ensureStrategy("holy_grail", "ir-1", "reformatted")).toEqual({ strategyId, versionId });
      const other = await store.ensureStrategy("other", "ir-1", "strategy other { }");
      expect(other.strategyId).not.toBe(strategyId);
      expect(other.versionId).not.toBe(versionId);
      const versions = await store.database.db.selectFrom("strategy_versions").select(["strategy_id", "ir_hash", "source"]).orderBy("id").execute();
      expect(versions).toEqual([
        { strategy_id: strategyId, ir_hash: "ir-1", source: "strategy holy_grail { }" },
        { strategy_id: strategyId, ir_hash: "ir-2", source: "strategy holy_grail { v2 }" },
        { strategy_id: other.strategyId, ir_hash: "ir-1", source: "strategy other { }" },
      ]);
    });

    it("records a planned run with its orders and decision, and reads them back exactly", async () => {
      const { store, strategyId, versionId } = await fresh();
      const run = await planned(store, strategyId, versionId, "2026-01-02", "paper", [order("c-spy", "SPY", "buy", 0.123456789, 432.1), order("c-tlt", "TLT", "sell", 3, 91.25)]);
      expect(run).toEqual({
        id: run.id,
        strategyId,
        versionId,
        strategy: "holy_grail",
        tradingDate: "2026-01-02",
        mode: "paper",
        state: "planned",
        reason: null,
        createdAt: run.createdAt,
        updatedAt: run.createdAt,
      });
      expect(run.createdAt).toMatch(ISO_INSTANT);
      expect(await store.findRun(strategyId, "2026-01-02", "paper")).toEqual(run);
      expect(await store.findRun(strategyId, "2026-01-02", "live")).toBeNull();
      expect(await store.findRun(strategyId, "2026-01-05", "paper")).toBeNull();
      expect(await store.orders(run.id)).toEqual([
        { runId: run.id, clientOrderId: "c-spy", symbol: "SPY", side: "buy", qty: 0.123456789, price: 432.1, notional: 0.123456789 * 432.1, brokerOrderId: null, status: "planned", filledQty: 0, filledAvgPrice: null, reason: null },
        { runId: run.id, clientOrderId: "c-tlt", symbol: "TLT", side: "sell", qty: 3, price: 91.25, notional: 273.75, brokerOrderId: null, status: "planned", filledQty: 0, filledAvgPrice: null, reason: null },
      ]);
      const [decision] = await store.decisions(strategyId, "paper", 10);
      expect(decision).toEqual({ ...DECISION, runId: run.id, createdAt: run.createdAt });
    });

    it("writes a planned run all or nothing: a duplicate client order id or a bad decision leaves no run", async () => {
      const { store, strategyId, versionId } = await fresh();
      await planned(store, strategyId, versionId, "2026-01-02", "paper", [order("c-1", "SPY", "buy", 1, 400)]);
      // The second run's order reuses c-1: the orders insert fails after the run row was written.
      const duplicate = planned(store, strategyId, versionId, "2026-01-05", "paper", [order("c-2", "QQQ", "buy", 1, 300), order("c-1", "SPY", "buy", 1, 400)]);
      await expect(duplicate).rejects.toMatchObject({ code: "23505" });
      // The decision is the last insert: an array allocation fails its CHECK after run and orders.
      const badDecision = store.createPlannedRun({
        strategyId,
        versionId,
        tradingDate: "2026-01-06",
        mode: "paper",
        orders: [order("c-3", "IWM", "buy", 2, 200)],
        decision: { ...DECISION, allocation: [] as unknown as Record<string, number> },
      });
      await expect(badDecision).rejects.toMatchObject({ code: "23514" });
      expect(await store.findRun(strategyId, "2026-01-05", "paper")).toBeNull();
      expect(await store.findRun(strategyId, "2026-01-06", "paper")).toBeNull();
      expect([await count(store, "runs"), await count(store, "orders"), await count(store, "decisions")]).toEqual([1, 1, 1]);
    });

    it("never creates a second run for one strategy, day and mode", async () => {
      const { store, strategyId, versionId } = await fresh();
      const first = await planned(store, strategyId, versionId, "2026-01-02", "paper", []);
      await expect(planned(store, strategyId, versionId, "2026-01-02", "paper", [])).rejects.toMatchObject({ code: "23505" });
      await expect(store.createClosedRun({ strategyId, versionId, tradingDate: "2026-01-02", mode: "paper", state: "refused", reason: "stale data" })).rejects.toMatchObject({ code: "23505" });
      const live = await store.createClosedRun({ strategyId, versionId, tradingDate: "2026-01-02", mode: "live", state: "refused", reason: "stale data" });
      expect(live).toMatchObject({ tradingDate: "2026-01-02", mode: "live", state: "refused", reason: "stale data", strategy: "holy_grail" });
      expect(live.id).not.toBe(first.id);
      expect(await count(store, "runs")).toBe(2);
    });

    it("rejects numbers Postgres would store but the runner never means (NaN, Infinity)", async () => {
      const { store, strategyId, versionId } = await fresh();
      await expect(planned(store, strategyId, versionId, "2026-01-02", "paper", [order("c-1", "SPY", "buy", Number.NaN, 400)])).rejects.toThrow(RangeError);
      expect(await count(store, "runs")).toBe(0);
    });

    it("moves runs through their states and keeps final states final", async () => {
      const { store, strategyId, versionId } = await fresh();
      const run = await planned(store, strategyId, versionId, "2026-01-02", "paper", []);
      await store.setRunState(run.id, "submitted");
      await store.setRunState(run.id, "partially_filled", "1 of 2 orders open");
      expect(await store.findRun(strategyId, "2026-01-02", "paper")).toMatchObject({ state: "partially_filled", reason: "1 of 2 orders open" });
      await store.setRunState(run.id, "reconciled"); // undefined keeps the reason
      const reconciled = await store.findRun(strategyId, "2026-01-02", "paper");
      expect(reconciled).toMatchObject({ state: "reconciled", reason: "1 of 2 orders open" });
      expect(reconciled!.updatedAt >= run.updatedAt).toBe(true);
      await store.setRunState(run.id, "reconciled", null); // the same final state again: allowed
      expect(await store.findRun(strategyId, "2026-01-02", "paper")).toMatchObject({ state: "reconciled", reason: null });
      await expect(store.setRunState(run.id, "failed", "late error")).rejects.toThrow(`run ${run.id} is already reconciled: it cannot become failed`);
      await expect(store.setRunState(run.id + 1000, "submitted")).rejects.toThrow(`no run with id ${run.id + 1000}`);
    });

    it("updates order rows with absolute values, and records fills as deltas that the order follows", async () => {
      const { store, strategyId, versionId } = await fresh();
      const run = await planned(store, strategyId, versionId, "2026-01-02", "paper", [order("c-1", "SPY", "buy", 10, 400)]);
      await store.updateOrder("c-1", { brokerOrderId: "b-1", status: "submitted" });
      await store.recordFill("c-1", 6, 400, "2026-01-02T15:50:01Z");
      expect((await store.orders(run.id))[0]).toMatchObject({ status: "submitted", filledQty: 6, filledAvgPrice: 400 });
      await store.recordFill("c-1", 4, 401, "2026-01-02T15:50:02.5Z");
      expect((await store.orders(run.id))[0]).toMatchObject({ filledQty: 10, filledAvgPrice: 400.4 });
      // The broker's cumulative view overwrites (it agrees here): no double counting.
      await store.updateOrder("c-1", { status: "filled", filledQty: 10, filledAvgPrice: 400.4, reason: null });
      expect((await store.orders(run.id))[0]).toEqual({
        runId: run.id,
        clientOrderId: "c-1",
        symbol: "SPY",
        side: "buy",
        qty: 10,
        price: 400,
        notional: 4000,
        brokerOrderId: "b-1",
        status: "filled",
        filledQty: 10,
        filledAvgPrice: 400.4,
        reason: null,
      });
      const fills = await store.database.db.selectFrom("fills").select(["qty", "price", "filled_at"]).orderBy("id").execute();
      expect(fills).toEqual([
        { qty: 6, price: 400, filled_at: "2026-01-02T15:50:01.000Z" },
        { qty: 4, price: 401, filled_at: "2026-01-02T15:50:02.500Z" },
      ]);
      expect(await store.ledger(strategyId, "paper")).toEqual(new Map([["SPY", 10]]));
      await expect(store.updateOrder("nope", { status: "failed" })).rejects.toThrow("no order with client order id nope");
      await expect(store.recordFill("nope", 1, 1, "2026-01-02T15:50:01Z")).rejects.toThrow("no order with client order id nope");
    });

    it("keeps a ledger of net filled shares per symbol, mode by mode", async () => {
      const { store, strategyId, versionId } = await fresh();
      await planned(store, strategyId, versionId, "2026-01-02", "paper", [order("p-1", "SPY", "buy", 10, 400), order("p-2", "TLT", "buy", 0.1, 90), order("p-3", "QQQ", "buy", 5, 300)]);
      await store.recordFill("p-1", 10, 400, "2026-01-02T15:50:00Z");
      await store.recordFill("p-2", 0.1, 90, "2026-01-02T15:50:00Z");
      await store.recordFill("p-3", 5, 300, "2026-01-02T15:50:00Z");
      await planned(store, strategyId, versionId, "2026-01-05", "paper", [order("p-4", "SPY", "sell", 4, 410), order("p-5", "TLT", "buy", 0.2, 91), order("p-6", "QQQ", "sell", 5, 310)]);
      await store.recordFill("p-4", 4, 410, "2026-01-05T15:50:00Z");
      await store.recordFill("p-5", 0.2, 91, "2026-01-05T15:50:00Z");
      await store.recordFill("p-6", 5, 310, "2026-01-05T15:50:00Z");
      await planned(store, strategyId, versionId, "2026-01-05", "live", [order("l-1", "SPY", "buy", 2, 410)]);
      await store.recordFill("l-1", 2, 410, "2026-01-05T15:50:00Z");
      // Another strategy's fills never enter this one's ledger.
      const other = await store.ensureStrategy("other", "ir-x", "strategy other { }");
      await planned(store, other.strategyId, other.versionId, "2026-01-05", "paper", [order("o-1", "SPY", "buy", 7, 410)]);
      await store.recordFill("o-1", 7, 410, "2026-01-05T15:50:00Z");

      // Summed in numeric: 0.1 + 0.2 is exactly 0.3 there (in doubles it is 0.30000000000000004).
      expect(await store.ledger(strategyId, "paper")).toEqual(
        new Map([
          ["SPY", 6],
          ["TLT", 0.3],
        ]),
      );
      expect(await store.ledger(strategyId, "live")).toEqual(new Map([["SPY", 2]]));
      expect(await store.ledger(strategyId, "dry-run")).toEqual(new Map());
      expect(await store.ledger(other.strategyId, "paper")).toEqual(new Map([["SPY", 7]]));
    });

    it("returns the same JS types on every driver: int8, numeric, date, timestamptz, jsonb", async () => {
      const { store, strategyId, versionId } = await fresh();
      const { rows } = await sql<Record<string, unknown>>`
        SELECT 9007199254740991::int8 AS big, 0.123456789::numeric AS num, 432.1::numeric(12, 4) AS padded,
               date '2026-01-02' AS day, timestamptz '2026-01-02 10:00:00.123456-05' AS instant,
               timestamp '2026-01-02 10:00:00' AS naive, '{"a": [1, 2.5], "b": null}'::jsonb AS doc,
               count(*) AS counted, NULL::numeric AS missing
      `.execute(store.database.db);
      expect(rows).toEqual([
        { big: 9007199254740991, num: 0.123456789, padded: 432.1, day: "2026-01-02", instant: "2026-01-02T15:00:00.123Z", naive: "2026-01-02T10:00:00.000Z", doc: { a: [1, 2.5], b: null }, counted: 1, missing: null },
      ]);
      await expect(sql`SELECT 9007199254740993::int8 AS big`.execute(store.database.db)).rejects.toThrow(RangeError);

      const run = await planned(store, strategyId, versionId, "2026-01-02", "paper", [order("c-1", "SPY", "buy", 1, 400)]);
      await store.recordFill("c-1", 1, 400, "2026-01-02T15:50:00Z");
      await store.snapshot(run.id, [{ symbol: "SPY", qty: 1, marketValue: 400.5 }], 100000.25, 99599.75);
      await store.event(run.id, "planned", "1 order");
      const everything = [
        await store.recentRuns(10),
        await store.findRun(strategyId, "2026-01-02", "paper"),
        await store.orders(run.id),
        await store.decisions(strategyId, "paper", 10),
        await store.events(run.id),
        await store.ledger(strategyId, "paper"),
      ];
      expect(leaves(everything).filter((v) => v instanceof Date || typeof v === "bigint")).toEqual([]);
      const snapshots = await store.database.db
        .selectFrom("equity_snapshots as e")
        .innerJoin("position_snapshots as p", "p.snapshot_id", "e.id")
        .select(["e.run_id", "e.equity", "e.cash", "p.symbol", "p.qty", "p.market_value"])
        .execute();
      expect(snapshots).toEqual([{ run_id: run.id, equity: 100000.25, cash: 99599.75, symbol: "SPY", qty: 1, market_value: 400.5 }]);
    });

    it("gives an advisory lock to one holder at a time, across Store instances, until release", async () => {
      const { store } = await fresh();
      const other = await backend.sibling(store);
      open.push(other);
      const lock = await store.tryLock("strategy:holy_grail:paper");
      expect(lock).not.toBeNull();
      // A second Store instance (server: its own pool; PGlite: the same single session).
      expect(await other.tryLock("strategy:holy_grail:paper")).toBeNull();
      // The same instance again: also refused (on PGlite the session lock alone would re-enter).
      expect(await store.tryLock("strategy:holy_grail:paper")).toBeNull();
      const unrelated = await other.tryLock("strategy:holy_grail:live");
      expect(unrelated).not.toBeNull();
      await lock!.release();
      await lock!.release(); // idempotent
      const taken = await other.tryLock("strategy:holy_grail:paper");
      expect(taken).not.toBeNull();
      expect(await store.tryLock("strategy:holy_grail:paper")).toBeNull();
      await taken!.release();
      await unrelated!.release();
      // close() releases what a store still holds.
      const held = await other.tryLock("k");
      expect(held).not.toBeNull();
      await other.close();
      const after = await store.tryLock("k");
      expect(after).not.toBeNull();
      await after!.release();
    });

    it("concurrent tryLock calls on one key: exactly one wins", async () => {
      const { store } = await fresh();
      const other = await backend.sibling(store);
      open.push(other);
      const results = await Promise.all([store.tryLock("race"), other.tryLock("race"), store.tryLock("race"), other.tryLock("race")]);
      expect(results.filter((l) => l !== null)).toHaveLength(1);
      for (const lock of results) await lock?.release();
    });

    it("logs events in the order written and lists recent runs newest first", async () => {
      const { store, strategyId, versionId } = await fresh();
      const day1 = await planned(store, strategyId, versionId, "2026-01-02", "paper", []);
      const refused = await store.createClosedRun({ strategyId, versionId, tradingDate: "2026-01-05", mode: "paper", state: "refused", reason: "stale data" });
      const other = await store.ensureStrategy("other", "ir-x", "strategy other { }");
      const otherRun = await planned(store, other.strategyId, other.versionId, "2026-01-05", "live", []);
      await store.event(day1.id, "planned", "0 orders planned");
      await store.event(day1.id, "submitted", "nothing to submit");
      await store.event(refused.id, "refused", "stale data");
      await store.event(day1.id, "reconciled", "equity 100000.00");
      const events = await store.events(day1.id);
      expect(events.map((e) => [e.kind, e.message])).toEqual([
        ["planned", "0 orders planned"],
        ["submitted", "nothing to submit"],
        ["reconciled", "equity 100000.00"],
      ]);
      for (const e of events) expect(e.at).toMatch(ISO_INSTANT);
      expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort());
      expect(await store.events(refused.id)).toEqual([{ kind: "refused", message: "stale data", at: expect.stringMatching(ISO_INSTANT) as unknown as string }]);

      expect((await store.recentRuns(10)).map((r) => [r.id, r.strategy, r.state])).toEqual([
        [otherRun.id, "other", "planned"],
        [refused.id, "holy_grail", "refused"],
        [day1.id, "holy_grail", "planned"],
      ]);
      expect((await store.recentRuns(1)).map((r) => r.id)).toEqual([otherRun.id]);
      expect(await store.recentRuns(10, "holy_grail")).toEqual([refused, day1]);
      expect(await store.recentRuns(10, "missing")).toEqual([]);
      expect(await store.recentRuns(0)).toEqual([]);
      await expect(store.recentRuns(-1)).rejects.toThrow(RangeError);
    });

    it("lists decisions newest trading day first, per mode, up to the limit", async () => {
      const { store, strategyId, versionId } = await fresh();
      const runs = new Map<string, number>();
      for (const day of ["2026-01-02", "2026-01-06", "2026-01-05"]) runs.set(day, (await planned(store, strategyId, versionId, day, "paper", [])).id);
      await planned(store, strategyId, versionId, "2026-01-07", "live", []);
      expect((await store.decisions(strategyId, "paper", 10)).map((d) => [d.tradingDate, d.runId])).toEqual([
        ["2026-01-06", runs.get("2026-01-06")],
        ["2026-01-05", runs.get("2026-01-05")],
        ["2026-01-02", runs.get("2026-01-02")],
      ]);
      expect((await store.decisions(strategyId, "paper", 2)).map((d) => d.tradingDate)).toEqual(["2026-01-06", "2026-01-05"]);
      expect((await store.decisions(strategyId, "live", 10)).map((d) => d.tradingDate)).toEqual(["2026-01-07"]);
      expect(await store.decisions(strategyId, "dry-run", 10)).toEqual([]);
    });
  });
}

for (const backend of BACKENDS) suite(backend);

describe("type parsers", () => {
  it("reads timestamps in any UTC offset, to millisecond ISO-8601 in UTC", () => {
    expect(parseTimestamp("2026-01-02 15:04:05+00")).toBe("2026-01-02T15:04:05.000Z");
    expect(parseTimestamp("2026-01-02 10:04:05.123456-05")).toBe("2026-01-02T15:04:05.123Z");
    expect(parseTimestamp("2026-01-02 20:34:05.5+05:30")).toBe("2026-01-02T15:04:05.500Z");
    expect(parseTimestamp("1883-11-18 12:03:58-04:56:02")).toBe("1883-11-18T17:00:00.000Z");
    expect(parseTimestamp("0099-01-01 00:00:00+00")).toBe("0099-01-01T00:00:00.000Z");
    expect(parseTimestamp("infinity")).toBe("infinity");
    expect(() => parseTimestamp("01/02/2026 15:04:05 UTC")).toThrow(/DateStyle must be ISO/);
  });

  it("derives stable signed 64-bit advisory lock ids", () => {
    const id = advisoryLockId("strategy:holy_grail:paper");
    expect(id).toBe(advisoryLockId("strategy:holy_grail:paper"));
    expect(id).not.toBe(advisoryLockId("strategy:holy_grail:live"));
    expect(BigInt(id) >= -(2n ** 63n) && BigInt(id) < 2n ** 63n).toBe(true);
  });

  it("masks URL passwords", () => {
    expect(maskDatabaseUrl("postgres://strat:s3cr%40t@db.example:5432/strat?sslmode=require")).toBe("postgres://strat:***@db.example:5432/strat?sslmode=require");
    expect(maskDatabaseUrl("postgres://db.example/strat?password=hunter2")).toBe("postgres://db.example/strat?password=***");
    expect(maskDatabaseUrl("postgres://postgres@127.0.0.1:5432/test")).toBe("postgres://postgres@127.0.0.1:5432/test");
    expect(maskDatabaseUrl("not a url with secret")).not.toContain("secret");
  });

  it("ships the migrations in the package's migrations folder", () => {
    expect(existsSync(join(MIGRATIONS_DIR, "001_initial.sql"))).toBe(true);
    expect(loadMigrations().map((m) => m.name)).toEqual(MIGRATIONS);
  });
});

describe("embedded database folder and `strat db`", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "strat-db-"));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("status on a folder that doesn't exist reports everything pending and creates nothing", async () => {
    const dbDir = join(dir, "db");
    const status = await runCli("db", "status", "--db-dir", dbDir);
    expect(status).toMatchObject({ code: 0, stderr: "" });
    expect(status.stdout).toContain(`PGlite database ${dbDir} (not created yet: strat db migrate creates it)`);
    expect(status.stdout).toMatch(/001_initial\s+pending/);
    expect(status.stdout).toContain(`0 migrations applied, ${MIGRATIONS.length} pending`);
    expect(existsSync(dbDir)).toBe(false);
  });

  it("migrate applies, a second migrate is up to date, status lists what is applied", async () => {
    const dbDir = join(dir, "db");
    const first = await runCli("db", "migrate", "--db-dir", dbDir);
    expect(first).toEqual({ code: 0, stdout: `PGlite database ${dbDir}\n${MIGRATIONS.map((m) => `applied ${m}\n`).join("")}`, stderr: "" });
    const second = await runCli("db", "migrate", "--db-dir", dbDir);
    expect(second).toEqual({ code: 0, stdout: `PGlite database ${dbDir}\nup to date\n`, stderr: "" });
    const status = await runCli("db", "status", "--db-dir", dbDir);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/001_initial\s+applied\s+\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/);
    expect(status.stdout).toContain(`${MIGRATIONS.length} migrations applied, 0 pending`);
    const json = JSON.parse((await runCli("db", "status", "--db-dir", dbDir, "--json")).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ kind: "pglite", location: dbDir, created: true, applied: MIGRATIONS.length, pending: 0 });
  });

  it("keeps a second opener (in this or another process) out of a folder in use, and takes over a stale lock", async () => {
    const dbDir = join(dir, "db");
    const database = await openDatabase({ dataDir: dbDir });
    try {
      await expect(openDatabase({ dataDir: dbDir })).rejects.toBeInstanceOf(DatabaseInUseError);
      const busy = await runCli("db", "status", "--db-dir", dbDir);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain(`is in use by process ${process.pid}`);
    } finally {
      await database.close();
    }
    expect(existsSync(`${dbDir}.lock`)).toBe(false);
    // A lock file whose process is gone (pid 2^22 + 1 exceeds Linux's pid_max default range).
    writeFileSync(`${dbDir}.lock`, "4194305\n");
    const reopened = await openDatabase({ dataDir: dbDir });
    await reopened.close();
  });

  it("refuses to create a database in a folder that has other files", async () => {
    const notes = join(dir, "notes");
    mkdirSync(notes);
    writeFileSync(join(notes, "todo.txt"), "buy low\n");
    const result = await runCli("db", "migrate", "--db-dir", notes);
    expect(result).toEqual({ code: 1, stdout: "", stderr: `strat: ${notes} is not empty and not a database folder (no PG_VERSION): choose an empty or new folder\n` });
    expect(readdirSync(notes)).toEqual(["todo.txt"]);
    expect(existsSync(`${notes}.lock`)).toBe(false);
  });

  it("takes --database-url over DATABASE_URL, refuses both flags, and never prints a password", async () => {
    expect(await runCli("db", "status", "--db-dir", join(dir, "x"), "--database-url", "postgres://a@b/c")).toMatchObject({ code: 2, stderr: "strat: give --database-url or --db-dir, not both\n" });
    // Port 1 refuses connections: the error is reported without the password.
    const refused = await runCli("db", "status", "--database-url", "postgres://strat:hunter2@127.0.0.1:1/strat");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^strat: postgres:\/\/strat:\*\*\*@127\.0\.0\.1:1\/strat: .*ECONNREFUSED/);
    expect(refused.stdout + refused.stderr).not.toContain("hunter2");
    // Without flags DATABASE_URL decides; an explicit --db-dir overrides it.
    vi.stubEnv("DATABASE_URL", "postgres://strat:hunter2@127.0.0.1:1/strat");
    try {
      const fromEnv = await runCli("db", "status");
      expect(fromEnv.code).toBe(1);
      expect(fromEnv.stderr).toMatch(/^strat: postgres:\/\/strat:\*\*\*@127\.0\.0\.1:1\/strat: /);
      expect(fromEnv.stdout + fromEnv.stderr).not.toContain("hunter2");
      expect(await runCli("db", "status", "--db-dir", join(dir, "elsewhere"))).toMatchObject({ code: 0, stderr: "" });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it.runIf(SERVER_URL !== undefined && SERVER_URL !== "")("reports a server's status with the URL masked", async () => {
    const url = new URL(SERVER_URL!);
    url.password = "not-needed-under-trust";
    const status = await runCli("db", "status", "--database-url", url.toString());
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Postgres server ${maskDatabaseUrl(url.toString())}`);
    expect(status.stdout).not.toContain("not-needed-under-trust");
  });
});
