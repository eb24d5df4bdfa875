/**
 * `strat worker`: processes the trial jobs of `strat optimize --queue` from every study on a
 * Postgres server (pg-boss), storing each trial once. Ctrl+C stops after the jobs in hand.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { Command } from "commander";
import { loadStrategyBars, pickStrategy } from "../../backtest/run.js";
import type { StudyContext } from "../../optimize/backtest-evaluator.js";
import type { QueuedStudy } from "../../optimize/queue.js";
import { barSourceFromOption } from "../bar-sources.js";
import { compileOrFail } from "../compile-or-fail.js";
import { err } from "../output.js";
import { parseNumber } from "../run-options.js";
import { EXIT, UsageError } from "../usage-error.js";
import { databaseFromFlags, type DatabaseFlags } from "./db.js";

interface WorkerFlags extends DatabaseFlags {
  concurrency: string;
  once?: boolean;
}

/** The usage error of queue commands without a server URL. */
export const QUEUE_NEEDS_SERVER = "--queue needs a Postgres server (pg-boss does not run on PGlite): set DATABASE_URL";

export function registerWorker(program: Command): void {
  program
    .command("worker")
    .description("process the trial jobs of `strat optimize --queue` (needs a Postgres server)")
    .option("--database-url <url>", "Postgres server, postgres://user:password@host:port/db (default: $DATABASE_URL)")
    .option("--concurrency <n>", "trials at a time (worker threads)", "1")
    .option("--once", "exit when no study has jobs left instead of waiting for more")
    .action(async (flags: WorkerFlags) => {
      process.exitCode = await runWorker(flags);
    });
}

/** Compiles the study's strategy (from its stored source) and loads its bars. */
async function prepare(study: QueuedStudy): Promise<StudyContext> {
  const config = study.config;
  let dir: string | null = null;
  let file = config.file;
  if (study.source !== null) {
    dir = mkdtempSync(join(tmpdir(), "strat-worker-"));
    file = join(dir, basename(config.file));
    writeFileSync(file, study.source);
  }
  try {
    const program = compileOrFail(file);
    const strategy = pickStrategy(program, config.strategy === "" ? undefined : config.strategy);
    const { bars, benchmark } = await loadStrategyBars(strategy, barSourceFromOption(config.data), config.to);
    return {
      program,
      strategy: strategy.name,
      bars,
      benchmark,
      options: { capital: config.capital, slippageBps: config.slippageBps, fees: config.fees, ...(config.from === undefined ? {} : { from: config.from }), ...(config.to === undefined ? {} : { to: config.to }) },
    };
  } finally {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
  }
}

async function runWorker(flags: WorkerFlags): Promise<number> {
  const concurrency = parseNumber(flags.concurrency, "--concurrency", 1);
  if (!Number.isInteger(concurrency)) throw new UsageError(`--concurrency takes a whole number, not '${flags.concurrency}'`);
  const database = databaseFromFlags(flags);
  if (database.databaseUrl === undefined) throw new UsageError(QUEUE_NEEDS_SERVER.replace("--queue", "strat worker"));
  const { openStudyStore } = await import("../../adapters/postgres/study-store.js");
  const { openDatabase } = await import("../../adapters/postgres/database.js");
  const { startBoss } = await import("../../optimize/queue.js");
  const { runQueueWorker } = await import("../../optimize/queue-worker.js");
  // Migrates the store (a server never used by strat yet) before anything reads it.
  await (await openStudyStore({ databaseUrl: database.databaseUrl, maxConnections: 1 })).close();
  const db = await openDatabase({ databaseUrl: database.databaseUrl, maxConnections: 2 });
  const boss = await startBoss(database.databaseUrl);
  let stop = false;
  const onSignal = (): void => {
    stop = true;
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const started = Date.now();
  try {
    err(`worker ${process.pid}: waiting for trial jobs${flags.once === true ? " (until the queues are empty)" : ""}`);
    const result = await runQueueWorker({ boss, db: db.db, concurrency, once: flags.once === true, prepare, shouldStop: () => stop, log: (line) => err(`worker ${process.pid}: ${line}`) });
    err(`worker ${process.pid}: stored ${result.stored} trials${result.duplicates > 0 ? ` (${result.duplicates} retried jobs were already stored)` : ""} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return EXIT.ok;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await boss.stop({ graceful: false, close: true, wait: true }).catch(() => {});
    await db.close();
  }
}
