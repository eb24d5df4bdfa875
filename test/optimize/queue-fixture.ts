/**
 * Shared set-up of the queue tests on a real Postgres server (TEST_DATABASE_URL): the study
 * strategy, a throwaway database per test file, and `strat` child processes from the sources.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";

export const SERVER_URL = process.env.TEST_DATABASE_URL;
const ROOT = join(import.meta.dirname, "..", "..");
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** 3 × 4 points; `pick` = 2 (QQQ) or 3 (TLT) wins depending on the window. */
export const QUEUE_STRATEGY = `param pick = 1 in [1, 2, 3]
param n = 10 in [5, 10, 15, 20]

strategy "Pick" {
  rebalance weekly
  if sma(SPY, n) > 0 and pick < 1.5 {
    SPY
  } else if pick < 2.5 {
    QQQ
  } else {
    TLT
  }
}
`;

/** Writes the strategy into a new temp folder (named after `prefix`); returns the file's path. */
export function writeQueueStrategy(prefix: string): string {
  const file = join(mkdtempSync(join(tmpdir(), prefix)), "pick.strat");
  writeFileSync(file, QUEUE_STRATEGY);
  return file;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new database on the test server named `${prefix}_<random>`; `drop()` removes it. */
export async function throwawayDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(SERVER_URL!);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** A `strat` child process run from the TypeScript sources, collecting its stderr. */
export interface StratProcess {
  child: ChildProcess;
  stderr: string;
  exit: Promise<number | null>;
}

/** Starts `strat ARGS...`; `stdout: "pipe"` keeps its stdout readable on `child.stdout`. */
export function spawnStrat(args: readonly string[], stdout: "pipe" | "ignore" = "ignore"): StratProcess {
  const child = spawn(process.execPath, ["--import", TSX, "src/cli/bin.ts", ...args], { cwd: ROOT, stdio: ["ignore", stdout, "pipe"] });
  const p: StratProcess = { child, stderr: "", exit: new Promise((resolve) => child.on("exit", (code) => resolve(code))) };
  child.stderr!.on("data", (chunk: Buffer) => (p.stderr += chunk.toString()));
  return p;
}

/** Waits until `f()` holds, polling every 50 ms; throws after `ms`. */
export async function until(f: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}
