/**
 * `strat optimize FILE`: search the file's `param` space through the real backtester; print
 * the top trials (or `--json` one document), store every trial (studies/trials tables), and
 * with `--out DIR` write trials.csv, study.json and report.html. Ctrl+C stops after the
 * trials in flight, stores and writes what is done and exits with EXIT_STOPPED; `--resume ID`
 * continues a stored study (its walk-forward windows too) to the uninterrupted result.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { loadStrategyBars, pickStrategy } from "../../backtest/run.js";
import type { StudyContext } from "../../optimize/backtest-evaluator.js";
import { ExpressionError } from "../../optimize/expression.js";
import { makeScoring, type Scoring } from "../../optimize/objective.js";
import { makeSampler, type SearchKind } from "../../optimize/samplers.js";
import { batchSizeFor, runSearch, type SearchResult } from "../../optimize/search.js";
import { buildSpace, spaceSize, SpaceError, type Dimension } from "../../optimize/space.js";
import type { StudyConfig, StudyRepository } from "../../optimize/study-repository.js";
import { studyHtml } from "../../optimize/study-html.js";
import { studyJson, trialsCsv, type StudySummary } from "../../optimize/study-json.js";
import { makeEvaluator, overfittingReport, workerCount } from "../../optimize/study.js";
import { bestTrial, type Trial } from "../../optimize/trial.js";
import { parseWalkForward, WalkForwardError, type WalkForwardResult } from "../../optimize/walk-forward.js";
import { barSourceFromOption } from "../bar-sources.js";
import { compileOrFail } from "../compile-or-fail.js";
import { err, out } from "../output.js";
import { collect, parseNumber } from "../run-options.js";
import { EXIT, UsageError } from "../usage-error.js";
import { addMarketOptions, marketSettings, type MarketFlags } from "../market-options.js";
import { addDatabaseOptions, databaseFromFlags, type DatabaseFlags } from "./db.js";
import { progressBar } from "./optimize-progress.js";
import { openStudyQueues, type StudyQueues } from "./optimize-queue.js";
import { printSummary } from "./optimize-summary.js";
import { storedPrefix, studyWindows, walk } from "./optimize-walk.js";
import { QUEUE_NEEDS_SERVER } from "./worker.js";

interface OptimizeFlags extends DatabaseFlags, MarketFlags {
  strategy?: string;
  param: string[];
  search: string;
  trials?: string;
  objective: string;
  constraint: string[];
  walkForward?: string;
  workers: string;
  seed: string;
  out?: string;
  json?: boolean;
  resume?: string;
  store: boolean;
  queue?: boolean;
  queueExpire: string;
}

const OBJECTIVES = "sharpe, cagr, calmar, sortino or an expression over metric names";

/** Adds `strat optimize` to the program. */
export function registerOptimize(program: Command): void {
  const command = addMarketOptions(
    program
      .command("optimize")
      .description("search a strategy's param space through the backtester")
      .argument("[file]", "strategy file (not with --resume)")
      .option("--strategy <name>", "which strategy or portfolio of the file")
      .option("--param <name=range>", "narrow or override a param's values: fast=10..50 step 10, slow=[100,200], max_dd=5%..10% step 1% (repeatable)", collect, [])
      .option("--search <kind>", "grid | random | bayes", "grid")
      .option("--trials <n>", "trials to run (default: the whole grid; 100 for random and bayes)")
      .option("--objective <expr>", `what to maximise: ${OBJECTIVES}`, "sharpe")
      .option("--constraint <expr>", "a trial counts only if it holds, e.g. 'maxDrawdown < 0.25' (repeatable)", collect, [])
      .option("--walk-forward <train/test>", "also walk forward: rolling TRAIN/TEST windows such as 3y/1y (stored with the study; resumable)")
      .option("--workers <n>", "parallel worker threads, or auto: one per core (this thread alone for 32 trials or fewer)", "auto")
      .option("--seed <n>", "seed of random and bayes search", "1"),
  )
    .option("--out <dir>", "write trials.csv, study.json and report.html")
    .option("--json", "print one JSON document")
    .option("--resume <study>", "continue a stored study (by id)")
    .option("--no-store", "do not store the study in the database")
    .option("--queue", "distribute trials as pg-boss jobs to `strat worker` processes (needs a Postgres server)")
    .option("--queue-expire <seconds>", "with --queue: a job running longer is retried elsewhere (its worker presumed dead)", "600");
  addDatabaseOptions(command).action(async (file: string | undefined, flags: OptimizeFlags) => {
    process.exitCode = await runOptimize(file, flags);
  });
}

function configFromFlags(file: string | undefined, flags: OptimizeFlags): StudyConfig {
  if (file === undefined) throw new UsageError("strat optimize needs a FILE (or --resume STUDY)");
  if (flags.search !== "grid" && flags.search !== "random" && flags.search !== "bayes") throw new UsageError(`--search takes grid, random or bayes, not '${flags.search}'`);
  const market = marketSettings(flags);
  const ranges: Record<string, string> = {};
  for (const entry of flags.param) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(entry.trim());
    if (m === null) throw new UsageError(`--param takes NAME=RANGE (e.g. fast=10..50 step 10, slow=[100,200]), not '${entry}'`);
    ranges[m[1]!] = m[2]!;
  }
  return {
    file,
    strategy: flags.strategy ?? "",
    ranges,
    search: flags.search,
    trials: flags.trials === undefined ? 0 : integer(flags.trials, "--trials", 1),
    seed: integer(flags.seed, "--seed", 0),
    objective: flags.objective,
    constraints: flags.constraint,
    data: flags.data,
    ...market,
    ...(flags.walkForward === undefined ? {} : { walkForward: flags.walkForward }),
  };
}

function integer(text: string, option: string, min: number): number {
  const n = parseNumber(text, option, min);
  if (!Number.isInteger(n)) throw new UsageError(`${option} takes a whole number, not '${text}'`);
  return n;
}

/** Rethrows the optimizer's input errors as usage errors (exit 2, no stack). */
function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof SpaceError || error instanceof ExpressionError || error instanceof WalkForwardError) throw new UsageError(error.message);
    throw error;
  }
}

async function openRepository(flags: OptimizeFlags): Promise<StudyRepository | null> {
  if (!flags.store) {
    if (flags.resume !== undefined) throw new UsageError("--resume needs the store (drop --no-store)");
    return null;
  }
  const { openStudyStore } = await import("../../adapters/postgres/study-store.js");
  return openStudyStore(databaseFromFlags(flags));
}

/**
 * Exit code of a study stopped by Ctrl+C (SIGINT) or SIGTERM after storing and writing what it
 * did: 128 + SIGINT, as shells report an interrupted command, so scripts can tell it apart.
 */
export const EXIT_STOPPED = 130;

/** A stream that draws nothing: the queue prints its own progress lines. */
const QUIET = { isTTY: false, write: () => true };

async function runOptimize(file: string | undefined, flags: OptimizeFlags): Promise<number> {
  let queueUrl: string | null = null;
  if (flags.queue === true) {
    const database = databaseFromFlags(flags);
    if (database.databaseUrl === undefined) throw new UsageError(QUEUE_NEEDS_SERVER);
    if (!flags.store) throw new UsageError("--queue stores trials in the database; drop --no-store");
    queueUrl = database.databaseUrl;
  }
  const queueExpire = integer(flags.queueExpire, "--queue-expire", 1);
  const workers: number | "auto" = flags.workers === "auto" ? "auto" : integer(flags.workers, "--workers", 1);
  if (flags.resume !== undefined && file !== undefined) throw new UsageError("give a FILE or --resume STUDY, not both");
  if (flags.walkForward !== undefined) asUsage(() => parseWalkForward(flags.walkForward!));
  // Registered first, so a stop during loading still ends cleanly (with no new trials).
  let stop = false;
  const onSignal = (): void => {
    if (!stop) err(`${process.stderr.isTTY === true ? "\n" : ""}stopping after the trials in flight; the done ones are kept`);
    stop = true;
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await optimize(file, flags, { queueUrl, queueExpire, workers, shouldStop: () => stop });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** The config of `--resume ID`, with `--trials` and `--walk-forward` applied. */
async function resumedConfig(repository: StudyRepository, studyId: number, flags: OptimizeFlags): Promise<{ config: StudyConfig; trials: Trial[] }> {
  const stored = await repository.loadStudy(studyId);
  if (stored === null) throw new UsageError(`no study ${studyId} in the database`);
  const parent = stored.config.window;
  if (parent !== undefined) throw new UsageError(`study ${studyId} is window ${parent.index + 1} of walk-forward study ${parent.study}: resume ${parent.study}`);
  let config = stored.config;
  if (flags.trials !== undefined) config = { ...config, trials: integer(flags.trials, "--trials", 1) };
  if (flags.walkForward !== undefined && flags.walkForward !== config.walkForward) {
    if (config.walkForward !== undefined) throw new UsageError(`study ${studyId} walks forward with ${config.walkForward}; drop --walk-forward or give the same`);
    // A finished study can be walked forward later; stored so that a later --resume does too.
    config = { ...config, walkForward: flags.walkForward };
    await repository.setConfig(studyId, config);
  }
  // Queue workers store trials in any order: resume from the gapless prefix (the rest are
  // proposed again with the same numbers, and the ones already stored are not re-run).
  return { config, trials: storedPrefix(stored.trials) };
}

interface RunSettings {
  queueUrl: string | null;
  queueExpire: number;
  /** `--workers`: a count, or "auto" (see workerCount). */
  workers: number | "auto";
  shouldStop: () => boolean;
}

async function optimize(file: string | undefined, flags: OptimizeFlags, run: RunSettings): Promise<number> {
  const repository = await openRepository(flags);
  let queues: StudyQueues | null = null;
  try {
    let config: StudyConfig;
    let previous: Trial[] = [];
    let studyId: number | null = null;
    if (flags.resume !== undefined) {
      studyId = integer(flags.resume, "--resume", 1);
      ({ config, trials: previous } = await resumedConfig(repository!, studyId, flags));
    } else {
      config = configFromFlags(file, flags);
    }
    const program = compileOrFail(config.file);
    const strategy = pickStrategy(program, config.strategy === "" ? undefined : config.strategy);
    const space = asUsage(() => buildSpace(program.params.filter((p) => strategy.params.includes(p.name)), config.ranges));
    const scoring = asUsage(() => makeScoring(config.objective, config.constraints));
    const size = spaceSize(space);
    const budget = Math.min(size, config.trials > 0 ? config.trials : config.search === "grid" ? size : 100);
    if (flags.resume !== undefined) err(`study ${studyId}: resuming with ${Math.min(previous.length, budget)} of ${budget} trials done${config.walkForward === undefined ? "" : `, then walk-forward ${config.walkForward}`}`);
    const source = barSourceFromOption(config.data);
    const { bars, benchmark } = await loadStrategyBars(strategy, source, config.to);
    const context: StudyContext = {
      program,
      strategy: strategy.name,
      bars,
      benchmark,
      options: { capital: config.capital, slippageBps: config.slippageBps, fees: config.fees, ...(config.from === undefined ? {} : { from: config.from }), ...(config.to === undefined ? {} : { to: config.to }) },
    };
    if (config.walkForward !== undefined) asUsage(() => studyWindows(config.walkForward!, context, config));
    if (repository !== null && studyId === null) studyId = await repository.createStudy({ strategy: strategy.name, irHash: strategy.hash, config: { ...config, strategy: strategy.name } });
    if (run.queueUrl !== null) queues = await openStudyQueues(run.queueUrl, config.file, run.queueExpire, run.shouldStop);
    let result: SearchResult | null = null;
    let walkForward: WalkForwardResult | null = null;
    let queueStopped = false;
    try {
      const workers = workerCount(run.workers, budget - previous.length, availableParallelism());
      result = await search({ config, space, scoring, budget, previous, context, workers, shouldStop: run.shouldStop, repository, studyId, queues });
      if (!result.stopped && config.walkForward !== undefined) {
        walkForward = await walk({ spec: config.walkForward, context, space, config, scoring, budget, workers: workerCount(run.workers, budget, availableParallelism()), shouldStop: run.shouldStop, repository, studyId, irHash: strategy.hash, queues });
      }
    } catch (error) {
      if (!(error instanceof Error && error.name === "QueueStopped")) throw error;
      // Queued jobs stay queued and workers still store them; report what is stored now.
      err(error.message);
      queueStopped = true;
      if (result === null) {
        const stored = (await repository!.loadStudy(studyId!))?.trials ?? previous;
        result = { trials: stored, best: bestTrial(stored), stopped: true };
      }
    }
    const stopped = queueStopped || result.stopped || walkForward?.stopped === true;
    if (queues !== null && !stopped) await queues.finish();
    if (repository !== null && studyId !== null) await repository.setStatus(studyId, stopped ? "stopped" : "done");
    const summary: StudySummary = {
      study: studyId,
      strategy: strategy.name,
      objective: config.objective,
      constraints: config.constraints,
      search: config.search,
      seed: config.seed,
      space,
      trials: result.trials,
      best: result.best,
      stopped,
      overfitting: overfittingReport(context, space, scoring, result.trials, result.best),
      walkForward,
    };
    if (flags.out !== undefined) {
      mkdirSync(flags.out, { recursive: true });
      writeFileSync(join(flags.out, "trials.csv"), trialsCsv(space, result.trials));
      writeFileSync(join(flags.out, "study.json"), `${JSON.stringify(studyJson(summary), null, 2)}\n`);
      writeFileSync(join(flags.out, "report.html"), studyHtml(summary));
    }
    if (flags.json === true) out(JSON.stringify(studyJson(summary), null, 2));
    else printSummary(summary, flags.out);
    if (stopped) return EXIT_STOPPED;
    return result.best === null ? EXIT.failed : EXIT.ok;
  } finally {
    await queues?.close();
    await repository?.close();
  }
}

interface SearchSetup {
  config: StudyConfig;
  space: Dimension[];
  scoring: Scoring;
  budget: number;
  previous: Trial[];
  context: StudyContext;
  workers: number;
  shouldStop: () => boolean;
  repository: StudyRepository | null;
  studyId: number | null;
  queues: StudyQueues | null;
}

/** The study's own search (the whole range), locally or through the queue, with its progress bar. */
async function search(s: SearchSetup): Promise<SearchResult> {
  const evaluator = s.queues !== null ? await s.queues.evaluatorFor(s.studyId!, s.previous.length) : makeEvaluator(s.context, s.workers);
  const bar = progressBar(s.budget, s.queues === null ? {} : { stream: QUIET });
  let trials = s.previous;
  bar.update(trials.length, bestTrial(trials)?.objective ?? null);
  try {
    return await runSearch({
      sampler: makeSampler(s.config.search, s.space, s.config.seed),
      evaluator,
      scoring: s.scoring,
      budget: s.budget,
      previous: s.previous,
      batchSize: batchSizeFor(s.config.search as SearchKind, s.queues !== null, s.budget, s.workers),
      onTrials: async (batch) => {
        // Queue workers store their trials themselves; local trials are stored here, batch by batch.
        if (s.queues === null && s.repository !== null && s.studyId !== null) await s.repository.addTrials(s.studyId, batch);
        trials = [...trials, ...batch];
        bar.update(trials.length, bestTrial(trials)?.objective ?? null);
      },
      shouldStop: s.shouldStop,
    });
  } finally {
    bar.done();
    await evaluator.close();
  }
}
