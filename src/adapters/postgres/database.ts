/**
 * Opens the store's database: a Postgres server through `pg.Pool` when a URL is given, else
 * PGlite (embedded Postgres) persisted in a local folder. Both come back as the same Kysely
 * type with the same value types (type-parsers.ts) and the same session settings, so the
 * store, its migrations and its tests cannot tell them apart — except that PGlite is one
 * session inside this process (see `Session.shared`).
 */
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { CompiledQuery, Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { PGliteDialect } from "./pglite-dialect.js";
import type { StoreSchema } from "./schema.js";
import { TEXT_PARSERS } from "./type-parsers.js";

/** Where the embedded database lives when no URL is given, relative to the working directory. */
export const DEFAULT_DB_DIR = ".strat/db";

/** PGlite's scheme for a throwaway database that lives in memory. */
export const MEMORY_DATA_DIR = "memory://";

/** Which database to open. */
export interface OpenDatabaseOptions {
  /** A `postgres://` URL of a server. When set, `dataDir` is ignored. */
  databaseUrl?: string;
  /** PGlite's data folder (default `.strat/db`, created on first open), or `memory://`. */
  dataDir?: string;
  /**
   * A schema to work in instead of `public` (set as each session's search_path; created if
   * missing). Lets several stores share one database, e.g. parallel test runs.
   */
  schema?: string;
  /**
   * PGlite only, for `memory://` or a new folder: start from this `PGlite#dumpDataDir()`
   * archive instead of running initdb (about 0.5 s instead of 3 s; the tests use it).
   */
  loadDataDir?: Blob;
  /** Most pooled connections to a server (default 10). Advisory-lock sessions are extra. */
  maxConnections?: number;
}

/**
 * A database session of its own, for session-scoped state such as advisory locks. On a server
 * it is a dedicated connection outside the pool; on PGlite it is the one session everybody
 * shares (`shared` true), so session-level locks there are re-entrant within the process.
 */
export interface Session {
  readonly shared: boolean;
  /** Runs one statement with `$1…` parameters; rows come back parsed as everywhere else. */
  query<R>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Ends the session (a no-op for PGlite's shared one); session-level locks go with it. */
  close(): Promise<void>;
}

/** An open store database. */
export interface Database {
  readonly kind: "postgres" | "pglite";
  /** For messages: the URL with its password masked, or the data folder. */
  readonly location: string;
  readonly db: Kysely<StoreSchema>;
  /** A session for session-scoped state; see `Session`. */
  openSession(): Promise<Session>;
  /** Closes the pool (or PGlite) and releases the data folder. Idempotent. */
  close(): Promise<void>;
}

/**
 * Thrown when another live process has the PGlite data folder open. PGlite has no
 * multi-process guard of its own, and two processes writing one folder corrupt it.
 */
export class DatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly lockFile: string,
  ) {
    super(`the database in ${dataDir} is in use by process ${pid} (delete ${lockFile} if that process is gone)`);
    this.name = "DatabaseInUseError";
  }
}

/** Opens the database `options` name; see `OpenDatabaseOptions`. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  if (options.databaseUrl !== undefined && options.databaseUrl !== "") return openServer(options.databaseUrl, schema, options.maxConnections ?? 10);
  return openPGlite(options.dataDir ?? DEFAULT_DB_DIR, schema, options.loadDataDir);
}

/** The URL with any password (in the authority or a `password` parameter) replaced by `***`. */
export function maskDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "(an unparsable URL, not shown)";
  }
  if (parsed.password !== "") parsed.password = "***";
  if (parsed.searchParams.has("password")) parsed.searchParams.set("password", "***");
  return parsed.toString();
}

/**
 * Settings every session starts with, so values print the way type-parsers.ts reads them,
 * whatever the server's or the role's defaults are.
 */
function sessionSetup(schema: string | undefined): string {
  const statements = ["SET DateStyle = ISO", "SET TimeZone = 'UTC'"];
  if (schema !== undefined) statements.push(`SET search_path = "${schema}"`);
  return statements.join("; ");
}

function pgTypes(): pg.CustomTypesConfig {
  // Per pool, not pg.types.setTypeParser: the process-wide registry belongs to whoever else
  // uses `pg` in this process.
  const getTypeParser = (oid: number, format?: "text" | "binary"): unknown => {
    const parser = format === "binary" ? undefined : TEXT_PARSERS[oid];
    return parser ?? pg.types.getTypeParser(oid, format ?? "text");
  };
  return { getTypeParser: getTypeParser as pg.CustomTypesConfig["getTypeParser"] };
}

async function openServer(url: string, schema: string | undefined, max: number): Promise<Database> {
  if (!/^postgres(?:ql)?:\/\//.test(url)) throw new Error("the database URL must start with postgres:// or postgresql://");
  const setup = sessionSetup(schema);
  const config: pg.ClientConfig = { connectionString: url, types: pgTypes(), application_name: "strat" };
  if (schema !== undefined) {
    // Created once up front (not per connection): the search_path of later sessions needs it.
    const client = new pg.Client(config);
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    ...config,
    max,
    // Awaited by the pool before it hands a new connection out, so no query runs without it.
    onConnect: async (client) => {
      await client.query(setup);
    },
  });
  // An idle connection dropped by the server emits 'error'; unhandled, it would crash the
  // process. The pool discards it and the next query connects anew.
  pool.on("error", () => {});
  const db = new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    kind: "postgres",
    location: maskDatabaseUrl(url),
    db,
    async openSession() {
      const client = new pg.Client(config);
      client.on("error", () => {}); // a dropped session surfaces as the next query's error
      await client.connect();
      try {
        await client.query(setup);
      } catch (error) {
        await client.end().catch(() => {});
        throw error;
      }
      let ended = false;
      return {
        shared: false,
        async query<R>(text: string, params: readonly unknown[] = []) {
          return (await client.query(text, [...params])).rows as R[];
        },
        async close() {
          if (ended) return;
          ended = true;
          await client.end().catch(() => {});
        },
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

async function openPGlite(dataDir: string, schema: string | undefined, loadDataDir: Blob | undefined): Promise<Database> {
  const memory = dataDir.startsWith(MEMORY_DATA_DIR);
  if (!memory) checkDataDir(resolve(dataDir));
  const lock = memory ? null : lockDataDir(resolve(dataDir));
  let pglite: PGlite | undefined;
  try {
    if (!memory) mkdirSync(dirname(resolve(dataDir)), { recursive: true });
    pglite = await PGlite.create(dataDir, { parsers: { ...TEXT_PARSERS }, ...(loadDataDir === undefined ? {} : { loadDataDir }) });
    await pglite.exec(`${schema === undefined ? "" : `CREATE SCHEMA IF NOT EXISTS "${schema}"; `}${sessionSetup(schema)}`);
  } catch (error) {
    await pglite?.close().catch(() => {});
    lock?.release();
    throw error;
  }
  const db = new Kysely<StoreSchema>({ dialect: new PGliteDialect({ pglite }) });
  const shared: Session = {
    shared: true,
    async query<R>(text: string, params: readonly unknown[] = []) {
      // Through Kysely, so it waits its turn on the one connection like every other query.
      return (await db.executeQuery<R>(CompiledQuery.raw(text, [...params]))).rows;
    },
    async close() {},
  };
  let closed = false;
  return {
    kind: "pglite",
    location: memory ? dataDir : resolve(dataDir),
    db,
    async openSession() {
      return shared;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.destroy();
      } finally {
        lock?.release();
      }
    },
  };
}

/**
 * Refuses a folder that has files but no PG_VERSION: PGlite would run initdb right into it
 * (a mistyped --db-dir must not fill a source folder with Postgres files).
 */
function checkDataDir(dataDir: string): void {
  if (!existsSync(dataDir)) return;
  if (!statSync(dataDir).isDirectory()) throw new Error(`${dataDir} is not a folder`);
  if (existsSync(join(dataDir, "PG_VERSION"))) return;
  if (readdirSync(dataDir).length > 0) throw new Error(`${dataDir} is not empty and not a database folder (no PG_VERSION): choose an empty or new folder`);
}

/**
 * Claims `<dataDir>.lock` for this process: the pid is written to a private file first, then
 * hard-linked into place, so the lock file appears atomically and always complete. A lock left
 * by a process that no longer runs is taken over. Beside the folder, not in it: PGlite's initdb
 * wants the folder to itself.
 */
function lockDataDir(dataDir: string): { release(): void } {
  const lockFile = `${dataDir}.lock`;
  mkdirSync(dirname(lockFile), { recursive: true });
  const mine = `${lockFile}.${process.pid}`;
  writeFileSync(mine, `${process.pid}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(mine, lockFile);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
        const pid = Number.parseInt(readFileSync(lockFile, "utf8"), 10);
        // Our own pid too: a second PGlite on one folder in one process corrupts it as well.
        if (Number.isInteger(pid) && (pid === process.pid || processIsAlive(pid))) throw new DatabaseInUseError(dataDir, pid, lockFile);
        unlinkSync(lockFile);
      }
    }
  } finally {
    unlinkSync(mine);
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      try {
        unlinkSync(lockFile);
      } catch {
        // Already gone: nothing to release.
      }
    },
  };
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
