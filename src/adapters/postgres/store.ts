/**
 * The live runner's Store (src/ports/store.ts) on Postgres through Kysely: a server when a
 * URL is given, else embedded PGlite. Every multi-row write is one transaction; the unique
 * constraints of migrations/001_initial.sql (one run per strategy, day and mode; one order per
 * client order id) are the last line against duplicate orders, whatever the caller does.
 */
import { sql, type Kysely, type Transaction } from "kysely";
import type {
  DecisionRecord,
  Lock,
  NewOrder,
  OrderRecord,
  OrderRecordStatus,
  PositionSnapshot,
  RunMode,
  RunRecord,
  RunState,
  Store,
  StoredDecision,
} from "../../ports/store.js";
import { openDatabase, type Database, type OpenDatabaseOptions } from "./database.js";
import { advisoryLockId } from "./lock-id.js";
import { migrateToLatest, type Migration } from "./migrate.js";
import type { StoreSchema } from "./schema.js";

/** Options of `openStore`: which database (see `OpenDatabaseOptions`). */
export type OpenStoreOptions = OpenDatabaseOptions;

/**
 * Opens the database and returns a Store that closes it on `close()`. Does not migrate: call
 * `migrate()` (the runner does on start; `strat db migrate` does it by hand).
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<PostgresStore> {
  return new PostgresStore(await openDatabase(options), { closeDatabase: true });
}

/**
 * States a run never leaves (the RunState JSDoc in ports/store.ts), for the guard in
 * `setRunState`. Spelled out rather than imported: ports are to hold types only.
 */
const FINAL_STATES: RunState[] = ["reconciled", "failed", "refused"];

/**
 * Keys locked through each database in this process. Consulted before asking the database:
 * PGlite is one session, and a session-level advisory lock is re-entrant within its session,
 * so without this a second `tryLock` in the process would succeed. On a server the answer is
 * the same either way (another session holds it); this only saves a connection.
 */
const HELD_KEYS = new WeakMap<Database, Set<string>>();

function heldKeys(database: Database): Set<string> {
  let keys = HELD_KEYS.get(database);
  if (keys === undefined) {
    keys = new Set();
    HELD_KEYS.set(database, keys);
  }
  return keys;
}

/** Store implementation over an open `Database`; see the module comment. */
export class PostgresStore implements Store {
  readonly #database: Database;
  readonly #db: Kysely<StoreSchema>;
  readonly #closeDatabase: boolean;
  readonly #migrations: readonly Migration[] | undefined;
  readonly #locks = new Set<Lock>();

  /**
   * `closeDatabase`: whether `close()` closes the database too (openStore: yes). Several
   * stores may share one database; they then also share its in-process lock bookkeeping.
   * `migrations` replaces the shipped migrations (tests).
   */
  constructor(database: Database, options: { closeDatabase?: boolean; migrations?: readonly Migration[] } = {}) {
    this.#database = database;
    this.#db = database.db;
    this.#closeDatabase = options.closeDatabase ?? false;
    this.#migrations = options.migrations;
  }

  /** The database this store works on (kind and location for messages). */
  get database(): Database {
    return this.#database;
  }

  /** Applies the pending migrations of the package's `migrations/` folder; returns their names. */
  async migrate(): Promise<string[]> {
    return this.#migrations === undefined ? migrateToLatest(this.#db) : migrateToLatest(this.#db, this.#migrations);
  }

  /** Releases the locks this store still holds, then closes the database if it owns it. */
  async close(): Promise<void> {
    for (const lock of [...this.#locks]) await lock.release().catch(() => {});
    if (this.#closeDatabase) await this.#database.close();
  }

  /**
   * `pg_try_advisory_lock` on the 64-bit id of `key` (lock-id.ts), in a session held until
   * `release()`: a dedicated connection on a server (outside the pool, so held locks never
   * starve queries), the one session on PGlite. Returns null when another session — or, on
   * either kind, another `tryLock` in this process — holds the key. On PGlite only one process
   * can open the data folder at all (database.ts), so in-process exclusion is exclusion.
   * If a server connection drops, the server releases the lock with it.
   */
  async tryLock(key: string): Promise<Lock | null> {
    const held = heldKeys(this.#database);
    if (held.has(key)) return null;
    held.add(key); // claimed before the first await, so two concurrent calls can't both pass
    const id = advisoryLockId(key);
    let session: Awaited<ReturnType<Database["openSession"]>> | undefined;
    try {
      session = await this.#database.openSession();
      const [row] = await session.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS locked", [id]);
      if (row?.locked !== true) {
        held.delete(key);
        await session.close();
        return null;
      }
    } catch (error) {
      held.delete(key);
      await session?.close();
      throw error;
    }
    const owned = session;
    let released = false;
    const lock: Lock = {
      release: async () => {
        if (released) return;
        released = true;
        this.#locks.delete(lock);
        try {
          await owned.query("SELECT pg_advisory_unlock($1::bigint)", [id]);
        } catch (error) {
          // A dedicated session's end releases its locks anyway; the shared one's must not fail silently.
          if (owned.shared) throw error;
        } finally {
          held.delete(key);
          await owned.close();
        }
      },
    };
    this.#locks.add(lock);
    return lock;
  }

  /**
   * Creates the strategy on first sight of its name and the version on first sight of its IR
   * hash; afterwards returns the same ids. The source stored is the first seen for the hash.
   */
  async ensureStrategy(name: string, irHash: string, source: string): Promise<{ strategyId: number; versionId: number }> {
    return this.#db.transaction().execute(async (trx) => {
      // ON CONFLICT DO NOTHING, then read: under READ COMMITTED the read sees a concurrent
      // creator's committed row after the insert waited for it.
      await trx.insertInto("strategies").values({ name }).onConflict((oc) => oc.column("name").doNothing()).execute();
      const strategy = await trx.selectFrom("strategies").select("id").where("name", "=", name).executeTakeFirstOrThrow();
      await trx
        .insertInto("strategy_versions")
        .values({ strategy_id: strategy.id, ir_hash: irHash, source })
        .onConflict((oc) => oc.columns(["strategy_id", "ir_hash"]).doNothing())
        .execute();
      const version = await trx
        .selectFrom("strategy_versions")
        .select("id")
        .where("strategy_id", "=", strategy.id)
        .where("ir_hash", "=", irHash)
        .executeTakeFirstOrThrow();
      return { strategyId: strategy.id, versionId: version.id };
    });
  }

  /** The run of that strategy, day and mode, or null. */
  async findRun(strategyId: number, tradingDate: string, mode: RunMode): Promise<RunRecord | null> {
    const row = await selectRuns(this.#db).where("r.strategy_id", "=", strategyId).where("r.trading_date", "=", tradingDate).where("r.mode", "=", mode).executeTakeFirst();
    return row === undefined ? null : toRunRecord(row);
  }

  /**
   * Inserts the run (state "planned"), its orders (status "planned") and its decision in one
   * transaction: all or nothing. Rejects, writing nothing, when the strategy already has a run
   * that day in that mode or a client order id is taken (the database's unique-violation
   * error, `code` "23505"), or when a number is not finite (RangeError).
   */
  async createPlannedRun(input: { strategyId: number; versionId: number; tradingDate: string; mode: RunMode; orders: NewOrder[]; decision: DecisionRecord }): Promise<RunRecord> {
    for (const order of input.orders) {
      finite(`${order.clientOrderId} qty`, order.qty);
      finite(`${order.clientOrderId} price`, order.price);
      finite(`${order.clientOrderId} notional`, order.notional);
    }
    for (const [symbol, weight] of Object.entries(input.decision.allocation)) finite(`allocation of ${symbol}`, weight);
    return this.#db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto("runs")
        .values({ strategy_id: input.strategyId, version_id: input.versionId, trading_date: input.tradingDate, mode: input.mode, state: "planned", reason: null })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (input.orders.length > 0) {
        await trx
          .insertInto("orders")
          .values(
            input.orders.map((o) => ({
              run_id: id,
              client_order_id: o.clientOrderId,
              symbol: o.symbol,
              side: o.side,
              qty: o.qty,
              price: o.price,
              notional: o.notional,
              broker_order_id: null,
              status: "planned",
              filled_avg_price: null,
              reason: null,
            })),
          )
          .execute();
      }
      const d = input.decision;
      await trx
        .insertInto("decisions")
        .values({
          run_id: id,
          strategy_id: input.strategyId,
          trading_date: d.tradingDate,
          ir_hash: d.irHash,
          data_hash: d.dataHash,
          // As JSON text: node-postgres would send a JS array as a Postgres array literal.
          allocation: JSON.stringify(d.allocation),
          branches: JSON.stringify(d.branches),
        })
        .execute();
      return toRunRecord(await selectRuns(trx).where("r.id", "=", id).executeTakeFirstOrThrow());
    });
  }

  /** Inserts a run that is already final ("refused" or "failed") with its reason; no orders. */
  async createClosedRun(input: { strategyId: number; versionId: number; tradingDate: string; mode: RunMode; state: "refused" | "failed"; reason: string }): Promise<RunRecord> {
    return this.#db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto("runs")
        .values({ strategy_id: input.strategyId, version_id: input.versionId, trading_date: input.tradingDate, mode: input.mode, state: input.state, reason: input.reason })
        .returning("id")
        .executeTakeFirstOrThrow();
      return toRunRecord(await selectRuns(trx).where("r.id", "=", id).executeTakeFirstOrThrow());
    });
  }

  /**
   * Moves the run to `state` and stamps `updatedAt`. `reason`: a string or null replaces the
   * stored reason, undefined keeps it. A final run (reconciled, failed, refused) only accepts
   * its own state again; anything else throws, as does an unknown run id.
   */
  async setRunState(runId: number, state: RunState, reason?: string | null): Promise<void> {
    const result = await this.#db
      .updateTable("runs")
      .set({ state, updated_at: sql<string>`now()`, ...(reason === undefined ? {} : { reason }) })
      .where("id", "=", runId)
      // Checked in the UPDATE itself, so a concurrent writer can't slip between check and write.
      .where((eb) => eb.or([eb("state", "not in", FINAL_STATES), eb("state", "=", state)]))
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) return;
    const current = await this.#db.selectFrom("runs").select("state").where("id", "=", runId).executeTakeFirst();
    if (current === undefined) throw new Error(`no run with id ${runId}`);
    throw new Error(`run ${runId} is already ${current.state}: it cannot become ${state}`);
  }

  /** The run's orders in the order they were planned. */
  async orders(runId: number): Promise<OrderRecord[]> {
    const rows = await this.#db.selectFrom("orders").selectAll().where("run_id", "=", runId).orderBy("id").execute();
    return rows.map((r) => ({
      runId: r.run_id,
      clientOrderId: r.client_order_id,
      symbol: r.symbol,
      side: r.side as OrderRecord["side"],
      qty: r.qty,
      price: r.price,
      notional: r.notional,
      brokerOrderId: r.broker_order_id,
      status: r.status as OrderRecordStatus,
      filledQty: r.filled_qty,
      filledAvgPrice: r.filled_avg_price,
      reason: r.reason,
    }));
  }

  /**
   * Writes the given fields (absolute values: `filledQty` is the broker's cumulative filled
   * quantity) to the order row only; fills are `recordFill`'s. Throws for an unknown id.
   */
  async updateOrder(clientOrderId: string, patch: Partial<Pick<OrderRecord, "brokerOrderId" | "status" | "filledQty" | "filledAvgPrice" | "reason">>): Promise<void> {
    if (patch.filledQty !== undefined) finite("filledQty", patch.filledQty);
    if (patch.filledAvgPrice !== undefined && patch.filledAvgPrice !== null) finite("filledAvgPrice", patch.filledAvgPrice);
    const result = await this.#db
      .updateTable("orders")
      .set({
        updated_at: sql<string>`now()`,
        ...(patch.brokerOrderId === undefined ? {} : { broker_order_id: patch.brokerOrderId }),
        ...(patch.status === undefined ? {} : { status: patch.status }),
        ...(patch.filledQty === undefined ? {} : { filled_qty: patch.filledQty }),
        ...(patch.filledAvgPrice === undefined ? {} : { filled_avg_price: patch.filledAvgPrice }),
        ...(patch.reason === undefined ? {} : { reason: patch.reason }),
      })
      .where("client_order_id", "=", clientOrderId)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new Error(`no order with client order id ${clientOrderId}`);
  }

  /**
   * Appends a fill: `qty` shares newly filled (a delta, > 0) at `price`, at ISO instant `at`.
   * Every call is a new fill (no de-duplication: two partial fills can look alike). In the same
   * transaction the order's filled quantity grows by `qty` and its average price takes the fill
   * in, so the order row never lags its fills: a crash between this and the caller's
   * `updateOrder` cannot make a resumed run count the same shares twice.
   */
  async recordFill(clientOrderId: string, qty: number, price: number, at: string): Promise<void> {
    finite("fill qty", qty);
    finite("fill price", price);
    await this.#db.transaction().execute(async (trx) => {
      const order = await trx.selectFrom("orders").select("id").where("client_order_id", "=", clientOrderId).forUpdate().executeTakeFirst();
      if (order === undefined) throw new Error(`no order with client order id ${clientOrderId}`);
      await trx.insertInto("fills").values({ order_id: order.id, qty, price, filled_at: at }).execute();
      await trx
        .updateTable("orders")
        .set({
          filled_qty: sql<number>`filled_qty + ${qty}::numeric`,
          // Unknown when shares were filled before without a price; the next updateOrder sets it.
          filled_avg_price: sql<number | null>`CASE WHEN filled_qty = 0 THEN ${price}::numeric WHEN filled_avg_price IS NULL THEN NULL ELSE (filled_avg_price * filled_qty + ${price}::numeric * ${qty}::numeric) / (filled_qty + ${qty}::numeric) END`,
          updated_at: sql<string>`now()`,
        })
        .where("id", "=", order.id)
        .execute();
    });
  }

  /**
   * Net filled shares per symbol (bought minus sold, from the fills) over every run of the
   * strategy in `mode`; summed exactly in numeric. Symbols netting to zero are left out.
   */
  async ledger(strategyId: number, mode: RunMode): Promise<Map<string, number>> {
    const net = sql<number>`SUM(CASE WHEN o.side = 'buy' THEN f.qty ELSE -f.qty END)`;
    const rows = await this.#db
      .selectFrom("fills as f")
      .innerJoin("orders as o", "o.id", "f.order_id")
      .innerJoin("runs as r", "r.id", "o.run_id")
      .select(["o.symbol", net.as("net")])
      .where("r.strategy_id", "=", strategyId)
      .where("r.mode", "=", mode)
      .groupBy("o.symbol")
      .having(net, "<>", 0)
      .orderBy("o.symbol")
      .execute();
    return new Map(rows.map((r) => [r.symbol, r.net]));
  }

  /** Records the account after the run: equity, cash and each position, in one transaction. */
  async snapshot(runId: number, positions: PositionSnapshot[], equity: number, cash: number): Promise<void> {
    finite("equity", equity);
    finite("cash", cash);
    for (const p of positions) {
      finite(`${p.symbol} qty`, p.qty);
      finite(`${p.symbol} market value`, p.marketValue);
    }
    await this.#db.transaction().execute(async (trx) => {
      const { id } = await trx.insertInto("equity_snapshots").values({ run_id: runId, equity, cash }).returning("id").executeTakeFirstOrThrow();
      if (positions.length > 0) {
        await trx
          .insertInto("position_snapshots")
          .values(positions.map((p) => ({ snapshot_id: id, symbol: p.symbol, qty: p.qty, market_value: p.marketValue })))
          .execute();
      }
    });
  }

  /** The strategy's logged decisions in `mode`, newest trading date first, at most `limit`. */
  async decisions(strategyId: number, mode: RunMode, limit: number): Promise<StoredDecision[]> {
    checkLimit(limit);
    const rows = await this.#db
      .selectFrom("decisions as d")
      .innerJoin("runs as r", "r.id", "d.run_id")
      .select(["d.run_id", "d.trading_date", "d.ir_hash", "d.data_hash", "d.allocation", "d.branches", "d.created_at"])
      .where("d.strategy_id", "=", strategyId)
      .where("r.mode", "=", mode)
      .orderBy("d.trading_date", "desc")
      .orderBy("d.id", "desc")
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      runId: r.run_id,
      tradingDate: r.trading_date,
      irHash: r.ir_hash,
      dataHash: r.data_hash,
      allocation: r.allocation,
      branches: r.branches,
      createdAt: r.created_at,
    }));
  }

  /** Appends to the run's log, stamped with the database's clock. */
  async event(runId: number, kind: string, message: string): Promise<void> {
    await this.#db.insertInto("run_events").values({ run_id: runId, kind, message }).execute();
  }

  /** The run's log in the order written. */
  async events(runId: number): Promise<{ kind: string; message: string; at: string }[]> {
    return this.#db.selectFrom("run_events").select(["kind", "message", "at"]).where("run_id", "=", runId).orderBy("id").execute();
  }

  /** The latest runs (newest created first), of one strategy (by name) or of all. */
  async recentRuns(limit: number, strategy?: string): Promise<RunRecord[]> {
    checkLimit(limit);
    let query = selectRuns(this.#db);
    if (strategy !== undefined) query = query.where("s.name", "=", strategy);
    const rows = await query.orderBy("r.created_at", "desc").orderBy("r.id", "desc").limit(limit).execute();
    return rows.map(toRunRecord);
  }
}

function selectRuns(db: Kysely<StoreSchema> | Transaction<StoreSchema>) {
  return db
    .selectFrom("runs as r")
    .innerJoin("strategies as s", "s.id", "r.strategy_id")
    .select(["r.id", "r.strategy_id", "r.version_id", "s.name", "r.trading_date", "r.mode", "r.state", "r.reason", "r.created_at", "r.updated_at"]);
}

type RunRow = Awaited<ReturnType<ReturnType<typeof selectRuns>["executeTakeFirstOrThrow"]>>;

function toRunRecord(r: RunRow): RunRecord {
  return {
    id: r.id,
    strategyId: r.strategy_id,
    versionId: r.version_id,
    strategy: r.name,
    tradingDate: r.trading_date,
    mode: r.mode as RunMode,
    state: r.state as RunState,
    reason: r.reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** NaN and ±Infinity are valid numerics in Postgres (NaN even passes `> 0`): stop them here. */
function finite(what: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${what} must be a finite number, got ${value}`);
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
}
