/**
 * `strat db migrate|status`: the live runner's database by hand. The database is
 * `--database-url`, else `--db-dir`, else DATABASE_URL, else PGlite in `.strat/db`. URLs are
 * printed with their password masked. Database problems (unreachable server, a folder another
 * process has open, a failing migration) print a message and exit 1.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import type { OpenDatabaseOptions } from "../../adapters/postgres/database.js";
import { err, out, plural, table } from "../output.js";
import { EXIT, UsageError } from "../usage-error.js";

/** Where the embedded database lives by default (the adapter's DEFAULT_DB_DIR, not imported to keep startup light). */
const DEFAULT_DB_DIR = ".strat/db";

/** The options every database-using command takes. */
export interface DatabaseFlags {
  databaseUrl?: string;
  dbDir?: string;
}

/** Adds `--database-url` and `--db-dir` to `command`. */
export function addDatabaseOptions(command: Command): Command {
  return command
    .option("--database-url <url>", "Postgres server, postgres://user:password@host:port/db (default: $DATABASE_URL)")
    .option("--db-dir <dir>", `embedded PGlite database folder, used when no URL is given (default: ${DEFAULT_DB_DIR})`);
}

/**
 * Which database the flags and environment name: an explicit flag wins, then DATABASE_URL,
 * then the default folder. Both flags at once is a usage error.
 */
export function databaseFromFlags(flags: DatabaseFlags, env: Readonly<Record<string, string | undefined>> = process.env): OpenDatabaseOptions {
  if (flags.databaseUrl !== undefined && flags.dbDir !== undefined) throw new UsageError("give --database-url or --db-dir, not both");
  if (flags.databaseUrl !== undefined) {
    if (flags.databaseUrl === "") throw new UsageError("--database-url is empty");
    return { databaseUrl: flags.databaseUrl };
  }
  if (flags.dbDir !== undefined) return { dataDir: flags.dbDir };
  const fromEnv = env.DATABASE_URL;
  return fromEnv !== undefined && fromEnv !== "" ? { databaseUrl: fromEnv } : { dataDir: DEFAULT_DB_DIR };
}

/** Adds `strat db migrate` and `strat db status` to the program. */
export function registerDb(program: Command): void {
  const db = program.command("db").description("the live runner's database: apply migrations, show their state");
  addDatabaseOptions(db.command("migrate").description("apply pending migrations (creates the embedded database on first use)")).action(async (flags: DatabaseFlags) => {
    process.exitCode = await runMigrate(databaseFromFlags(flags));
  });
  addDatabaseOptions(db.command("status").description("show the database in use and which migrations are applied"))
    .option("--json", "print JSON")
    .action(async (flags: DatabaseFlags & { json?: boolean }) => {
      process.exitCode = await runStatus(databaseFromFlags(flags), flags.json === true);
    });
}

async function runMigrate(options: OpenDatabaseOptions): Promise<number> {
  return reportingDatabaseErrors(options, async () => {
    const { openDatabase } = await import("../../adapters/postgres/database.js");
    const { migrateToLatest } = await import("../../adapters/postgres/migrate.js");
    const database = await openDatabase(options);
    try {
      out(describe(database.kind, database.location));
      const applied = await migrateToLatest(database.db);
      if (applied.length === 0) out("up to date");
      for (const name of applied) out(`applied ${name}`);
      return EXIT.ok;
    } finally {
      await database.close();
    }
  });
}

async function runStatus(options: OpenDatabaseOptions, json: boolean): Promise<number> {
  return reportingDatabaseErrors(options, async () => {
    const { openDatabase } = await import("../../adapters/postgres/database.js");
    const { loadMigrations, migrationStatus } = await import("../../adapters/postgres/migrate.js");
    let kind: "postgres" | "pglite";
    let location: string;
    let states: { name: string; appliedAt: string | null; known: boolean }[];
    let created = true;
    if (options.databaseUrl === undefined && options.dataDir !== undefined && !options.dataDir.startsWith("memory://") && !existsSync(options.dataDir)) {
      // Opening would run initdb and create the folder: status stays read-only.
      created = false;
      kind = "pglite";
      location = resolve(options.dataDir);
      states = loadMigrations().map((m) => ({ name: m.name, appliedAt: null, known: true }));
    } else {
      const database = await openDatabase(options);
      try {
        kind = database.kind;
        location = database.location;
        states = await migrationStatus(database.db);
      } finally {
        await database.close();
      }
    }
    const applied = states.filter((s) => s.appliedAt !== null).length;
    const pending = states.filter((s) => s.appliedAt === null).length;
    if (json) {
      out(JSON.stringify({ kind, location, created, migrations: states, applied, pending }, null, 2));
      return EXIT.ok;
    }
    out(`${describe(kind, location)}${created ? "" : " (not created yet: strat db migrate creates it)"}`);
    const rows = states.map((s) => [s.name, s.appliedAt === null ? "pending" : "applied", s.appliedAt ?? "", s.known ? "" : "not shipped with this strat"]);
    if (rows.length > 0) for (const line of table(["migration", "state", "applied at", ""], rows)) out(line);
    out(`${plural(applied, "migration")} applied, ${pending} pending`);
    return EXIT.ok;
  });
}

function describe(kind: "postgres" | "pglite", location: string): string {
  return kind === "postgres" ? `Postgres server ${location}` : `PGlite database ${location}`;
}

/**
 * Runs a db command body; any error becomes `strat: message` and exit 1 — they are all about
 * the database (reachability, credentials, a busy folder, a failing migration), not about Strat.
 * The URL's password is scrubbed from the message in case a driver echoes it.
 */
async function reportingDatabaseErrors(options: OpenDatabaseOptions, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const { maskDatabaseUrl } = await import("../../adapters/postgres/database.js");
    const where = options.databaseUrl === undefined ? resolve(options.dataDir ?? DEFAULT_DB_DIR) : maskDatabaseUrl(options.databaseUrl);
    const scrubbed = scrub(message, options.databaseUrl);
    // Say which database, unless the message already does (the adapter's own errors name the folder).
    err(`strat: ${scrubbed.includes(where) ? scrubbed : `${where}: ${scrubbed}`}`);
    return EXIT.failed;
  }
}

function scrub(message: string, url: string | undefined): string {
  if (url === undefined) return message;
  let password = "";
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    // Unparsable: the whole URL is the secret to hide.
    return message.split(url).join("***");
  }
  let scrubbed = message.split(url).join("***");
  if (password !== "") scrubbed = scrubbed.split(password).join("***");
  return scrubbed;
}
