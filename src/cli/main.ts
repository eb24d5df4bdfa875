/**
 * The `strat` command: the only composition root. Commands are thin layers over the library;
 * user mistakes print a message and set an exit code (1 failed, 2 usage), never a stack trace.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { registerBacktest } from "./commands/backtest.js";
import { registerCheck } from "./commands/check.js";
import { registerExplain } from "./commands/explain.js";
import { registerIndicator } from "./commands/indicator.js";
import { registerRun } from "./commands/run.js";
import { registerSchedule } from "./commands/schedule.js";
import { registerStatus } from "./commands/status.js";
import { registerConvert } from "./commands/convert.js";
import { registerCount } from "./commands/count.js";
import { registerDb } from "./commands/db.js";
import { isBrokerRequestError, registerData } from "./commands/data.js";
import { registerFmt } from "./commands/fmt.js";
import { registerOptimize } from "./commands/optimize.js";
import { registerEditor } from "./commands/editor.js";
import { registerWorker } from "./commands/worker.js";
import { PACKAGE_ROOT } from "./fs-host.js";
import { err } from "./output.js";
import { EXIT, UsageError } from "./usage-error.js";
import { BacktestError } from "../backtest/run.js";
import { DataError } from "../data/errors.js";
import { EvaluationError } from "../engine/evaluate.js";
import { ParamError } from "../engine/params.js";
import { CompileFailed } from "./compile-or-fail.js";

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** Builds the command tree (exported for tests). */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name("strat")
    .description("Systematic strategies as text: check, format, convert, backtest and explain .strat and Composer files")
    .version(version())
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerCheck(program);
  registerCount(program);
  registerFmt(program);
  registerConvert(program);
  registerData(program);
  registerBacktest(program);
  registerExplain(program);
  registerIndicator(program);
  registerOptimize(program);
  registerWorker(program);
  registerDb(program);
  registerRun(program);
  registerSchedule(program);
  registerStatus(program);
  registerEditor(program);
  return program;
}

/** Errors caused by the user's input (data, params, strategy) rather than by Strat. */
function isUserError(error: unknown): boolean {
  return (
    error instanceof DataError ||
    error instanceof BacktestError ||
    error instanceof ParamError ||
    error instanceof EvaluationError ||
    error instanceof CompileFailed ||
    isBrokerRequestError(error) ||
    // PGlite's folder is open in another process (a running `strat schedule`): checked by name,
    // since the database adapter is loaded only by the commands that need it.
    (error instanceof Error && error.name === "DatabaseInUseError")
  );
}

/** Runs the CLI with `argv` (as process.argv); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return EXIT.ok;
      return EXIT.usage;
    }
    if (error instanceof UsageError) {
      err(`strat: ${error.message}`);
      return EXIT.usage;
    }
    if (isUserError(error)) {
      err(`strat: ${(error as Error).message}`);
      return EXIT.failed;
    }
    err(`strat: internal error: ${(error as Error).message}`);
    if (process.env.STRAT_DEBUG !== undefined) err((error as Error).stack ?? "");
    return EXIT.internal;
  }
}
