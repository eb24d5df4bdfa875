/**
 * A Kysely dialect for PGlite (embedded Postgres compiled to WASM). Kysely's own Postgres
 * adapter, introspector and query compiler do the SQL; this file only supplies a driver.
 *
 * PGlite is a single session, so the driver hands out its one connection to one borrower at a
 * time (a mutex): a Kysely transaction holds it from BEGIN to COMMIT, and queries from elsewhere
 * wait rather than slipping into the open transaction. Consequence: inside
 * `db.transaction().execute(trx => …)` use `trx`, never the outer `db` — the outer query would
 * wait for the transaction that waits for it.
 *
 * Written here rather than taken from a dialect package because those pin older PGlite ranges.
 */
import type { PGlite, Results } from "@electric-sql/pglite";
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  createQueryId,
  sql,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely";

/** How the dialect gets its PGlite instance. */
export interface PGliteDialectConfig {
  /** An open instance, or a function opening one (called once, on first use). */
  pglite: PGlite | (() => Promise<PGlite>);
  /** Close the instance when the Kysely instance is destroyed (default true). */
  closeOnDestroy?: boolean;
}

/** Kysely dialect over one PGlite instance; see the module comment for the locking rule. */
export class PGliteDialect implements Dialect {
  readonly #config: PGliteDialectConfig;

  constructor(config: PGliteDialectConfig) {
    this.#config = config;
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PGliteDriver(this.#config);
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
}

/** A FIFO mutex: `lock()` resolves when every earlier holder has called `unlock()`. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();
  #release: (() => void) | null = null;

  async lock(): Promise<void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    await previous;
    this.#release = release;
  }

  unlock(): void {
    const release = this.#release;
    if (release === null) throw new Error("PGlite connection released twice");
    this.#release = null;
    release();
  }
}

class PGliteDriver implements Driver {
  readonly #config: PGliteDialectConfig;
  readonly #mutex = new Mutex();
  #pglite: PGlite | null = null;
  #connection: PGliteConnection | null = null;

  constructor(config: PGliteDialectConfig) {
    this.#config = config;
  }

  async init(): Promise<void> {
    const source = this.#config.pglite;
    this.#pglite = typeof source === "function" ? await source() : source;
    await this.#pglite.waitReady;
    this.#connection = new PGliteConnection(this.#pglite);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    if (this.#connection === null) {
      this.#mutex.unlock();
      throw new Error("the PGlite driver is not initialised or already destroyed");
    }
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let text = "begin";
    if (settings.isolationLevel !== undefined || settings.accessMode !== undefined) {
      text = "start transaction";
      if (settings.isolationLevel !== undefined) text += ` isolation level ${settings.isolationLevel}`;
      if (settings.accessMode !== undefined) text += ` ${settings.accessMode}`;
    }
    await connection.executeQuery(CompiledQuery.raw(text));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async savepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler["compileQuery"]): Promise<void> {
    await connection.executeQuery(compileQuery(sql`savepoint ${sql.id(name)}`.toOperationNode(), createQueryId()));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler["compileQuery"]): Promise<void> {
    await connection.executeQuery(compileQuery(sql`rollback to ${sql.id(name)}`.toOperationNode(), createQueryId()));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler["compileQuery"]): Promise<void> {
    await connection.executeQuery(compileQuery(sql`release ${sql.id(name)}`.toOperationNode(), createQueryId()));
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  async destroy(): Promise<void> {
    const pglite = this.#pglite;
    if (pglite === null) return;
    // Wait for the current borrower (if any) so close() doesn't cut a query in half.
    await this.#mutex.lock();
    try {
      this.#connection = null;
      this.#pglite = null;
      if (this.#config.closeOnDestroy !== false && !pglite.closed) await pglite.close();
    } finally {
      this.#mutex.unlock();
    }
  }
}

const AFFECTING = new Set(["INSERT", "UPDATE", "DELETE", "MERGE"]);

class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    // Without parameters, use the simple protocol (exec), as node-postgres does: it accepts
    // several statements in one text, which is how migration files run on both drivers.
    let result: Results<R>;
    if (compiledQuery.parameters.length === 0) {
      const results = await this.#pglite.exec(compiledQuery.sql);
      result = (results[results.length - 1] ?? { rows: [], fields: [] }) as Results<R>;
    } else {
      result = await this.#pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    }
    const command = result.command?.toUpperCase();
    return {
      rows: result.rows,
      ...(command !== undefined && AFFECTING.has(command) ? { numAffectedRows: BigInt(result.affectedRows ?? 0) } : {}),
    };
  }

  // PGlite holds results in memory anyway; streaming yields them in chunks of the asked size.
  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) throw new Error("chunkSize must be a positive integer");
    const { rows } = await this.executeQuery<R>(compiledQuery);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }
}
