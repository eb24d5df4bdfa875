/**
 * The migration runner: the `.sql` files of the package's `migrations/` folder, applied in
 * name order, each in its own transaction together with its row in `strat_migrations`, so a
 * migration is either fully applied and recorded or not at all. Identical on a server and on
 * PGlite (Kysely's Migrator wants TypeScript migration modules; these are plain SQL so they
 * ship in the package as they are and can be read and run by hand).
 *
 * Concurrent runners (two processes starting at once) serialise on a transaction-level
 * advisory lock, and each re-checks what is applied after taking it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sql, type Kysely } from "kysely";
import { PACKAGE_ROOT } from "../package-root.js";
import { advisoryLockId } from "./lock-id.js";
import type { StoreSchema } from "./schema.js";

export { PACKAGE_ROOT };

/** The migrations shipped with the package. */
export const MIGRATIONS_DIR = join(PACKAGE_ROOT, "migrations");

/** One migration: its name (the file name without `.sql`) and its SQL text. */
export interface Migration {
  name: string;
  sql: string;
}

/** A migration's state in one database. */
export interface MigrationState {
  name: string;
  /** When it was applied (ISO-8601), or null when pending. */
  appliedAt: string | null;
  /** False for a migration the database has but this version of strat doesn't ship. */
  known: boolean;
}

/** The `.sql` files of `dir`, sorted by name (code-unit order, so `001_` < `002_`). */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((file) => ({ name: file.slice(0, -".sql".length), sql: readFileSync(join(dir, file), "utf8") }));
}

/**
 * Applies the pending migrations in order; returns the names applied (empty when up to date).
 * Refuses (before applying anything) when the database holds a migration not in `migrations`
 * (written by a newer strat) or when a pending one sorts before an applied one.
 */
export async function migrateToLatest(db: Kysely<StoreSchema>, migrations: readonly Migration[] = loadMigrations()): Promise<string[]> {
  const lockId = await migrationLockId(db);
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${lockId}::bigint)`.execute(trx);
    await sql`CREATE TABLE IF NOT EXISTS strat_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(trx);
  });
  checkOrder(await appliedNames(db), migrations);
  const applied: string[] = [];
  for (const migration of migrations) {
    await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${lockId}::bigint)`.execute(trx);
      // Another runner may have applied it while we waited for the lock.
      const done = await trx.selectFrom("strat_migrations").select("name").where("name", "=", migration.name).executeTakeFirst();
      if (done !== undefined) return;
      await sql.raw(migration.sql).execute(trx);
      await trx.insertInto("strat_migrations").values({ name: migration.name }).execute();
      applied.push(migration.name);
    });
  }
  return applied;
}

/**
 * Every shipped migration with its state, then any the database has that aren't shipped.
 * Read-only: a database never migrated reports everything pending and creates nothing.
 */
export async function migrationStatus(db: Kysely<StoreSchema>, migrations: readonly Migration[] = loadMigrations()): Promise<MigrationState[]> {
  const present = await sql<{ present: boolean }>`SELECT to_regclass('strat_migrations') IS NOT NULL AS present`.execute(db);
  const rows = present.rows[0]?.present === true ? await db.selectFrom("strat_migrations").select(["name", "applied_at"]).orderBy("name").execute() : [];
  const appliedAt = new Map(rows.map((r) => [r.name, r.applied_at]));
  const shipped = new Set(migrations.map((m) => m.name));
  return [
    ...migrations.map((m) => ({ name: m.name, appliedAt: appliedAt.get(m.name) ?? null, known: true })),
    ...rows.filter((r) => !shipped.has(r.name)).map((r) => ({ name: r.name, appliedAt: r.applied_at, known: false })),
  ];
}

async function appliedNames(db: Kysely<StoreSchema>): Promise<string[]> {
  return (await db.selectFrom("strat_migrations").select("name").orderBy("name").execute()).map((r) => r.name);
}

function checkOrder(applied: readonly string[], migrations: readonly Migration[]): void {
  const shipped = new Set(migrations.map((m) => m.name));
  const unknown = applied.filter((name) => !shipped.has(name));
  if (unknown.length > 0) throw new Error(`the database has migrations this version of strat doesn't know: ${unknown.join(", ")} (a newer strat migrated it)`);
  const done = new Set(applied);
  const last = applied[applied.length - 1];
  const early = migrations.filter((m) => !done.has(m.name) && last !== undefined && m.name < last);
  if (early.length > 0) throw new Error(`pending migrations sort before the last applied one (${last}): ${early.map((m) => m.name).join(", ")}`);
}

/** Per schema, so stores in separate schemas of one server don't wait on each other. */
async function migrationLockId(db: Kysely<StoreSchema>): Promise<string> {
  const row = (await sql<{ schema: string | null }>`SELECT current_schema() AS schema`.execute(db)).rows[0];
  return advisoryLockId(`strat:migrations:${row?.schema ?? ""}`);
}
