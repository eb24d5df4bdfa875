/**
 * `strat optimize FILE`: search the file's `param` space through the real backtester; print
 * the top trials (or `--json` one document), store every trial (studies/trials tables), and
 * with `--out DIR` write trials.csv, study.json and report.html. Ctrl+C stops after the
 * trials in flight and keeps them; `--resume ID` continues a stored study.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { loadStrategyBars, pickStrategy } from "../../backtest/run.js";
import { alignBars } from "../../data/align.js";
import { BacktestEvaluator, type StudyContext } from "../../optimize/backtest-evaluator.js";
import { ExpressionError } from "../../optimize/expression.js";
import { makeScoring } from "../../optimize/objective.js";
import { makeSampler, type SearchKind } from "../../optimize/samplers.js";
import { runSearch } from "../../optimize/search.js";
import { buildSpace, spaceSize, SpaceError } from "../../optimize/space.js";
import type { StudyConfig, StudyRepository } from "../../optimize/study-repository.js";
import { studyHtml } from "../../optimize/study-html.js";
import { orderedParams, studyJson, trialsCsv, type StudySummary } from "../../optimize/study-json.js";
import { makeEvaluator, overfittingReport, runStudy } from "../../optimize/study.js";
import type { Trial } from "../../optimize/trial.js";
import { parseWalkForward, runWalkForward, walkForwardWindows, WalkForwardError, type WalkForwardResult } from "../../optimize/walk-forward.js";
import { barSourceFromOption } from "../bar-sources.js";
import { compileOrFail } from "../compile-or-fail.js";
import { err, out, table } from "../output.js";
import { collect, parseDate, parseNumber } from "../run-options.js";
import { EXIT, UsageError } from "../usage-error.js";
import { addDatabaseOptions, databaseFromFlags, type DatabaseFlags } from "./db.js";
import { QUEUE_NEEDS_SERVER } from "./worker.js";

interface OptimizeFlags extends DatabaseFlags {
  strategy?: string;
  param: string[];
  search: string;
  trials?: string;
  objective: string;
  constraint: string[];
  walkForward?: string;
  workers: string;
  seed: string;
  data: string;
  from?: string;
  to?: string;
  capital: string;
  slippageBps: string;
  fees: string;
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
  const command = program
    .command("optimize")
    .description("search a strategy's param space through the backtester")
    .argument("[file]", "strategy file (not with --resume)")
    .option("--strategy <name>", "which strategy or portfolio of the file")
    .option("--param <name=range>", "narrow or override a param's values: fast=10..50 step 10, slow=[100,200], max_dd=5%..10% step 1% (repeatable)", collect, [])
    .option("--search <kind>", "grid | random | bayes", "grid")
    .option("--trials <n>", "trials to run (default: the whole grid; 100 for random and bayes)")
    .option("--objective <expr>", `what to maximise: ${OBJECTIVES}`, "sharpe")
    .option("--constraint <expr>", "a trial counts only if it holds, e.g. 'maxDrawdown < 0.25' (repeatable)", collect, [])
    .option("--walk-forward <train/test>", "also walk forward: rolling TRAIN/TEST windows such as 3y/1y")
    .option("--workers <n>", "parallel worker threads", "1")
    .option("--seed <n>", "seed of random and bayes search", "1")
    .option("--data <source>", "synthetic | synthetic:SEED | csv:DIR | alpaca | cache", "synthetic")
    .option("--from <date>", "first session to trade")
    .option("--to <date>", "last session")
    .option("--capital <amount>", "starting cash", "100000")
    .option("--slippage-bps <bps>", "slippage per fill, in basis points", "1")
    .option("--fees <model>", "none | regulatory", "none")
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
  if (flags.fees !== "none" && flags.fees !== "regulatory") throw new UsageError(`--fees takes none or regulatory, not '${flags.fees}'`);
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
    ...(flags.from === undefined ? {} : { from: parseDate(flags.from, "--from") }),
    ...(flags.to === undefined ? {} : { to: parseDate(flags.to, "--to") }),
    capital: parseNumber(flags.capital, "--capital", 1),
    slippageBps: parseNumber(flags.slippageBps, "--slippage-bps", 0),
    fees: flags.fees,
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

/** Progress on a TTY: trials done, best so far, ETA; one line rewritten in place. */
function progress(total: number): { update(trials: readonly Trial[], best: number | null): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let first: number | null = null;
  return {
    update(trials, best) {
      if (!tty) return;
      first ??= trials.length;
      const done = trials.length - first;
      const rate = done / Math.max(1e-3, (Date.now() - started) / 1000);
      const eta = rate > 0 ? Math.round((total - trials.length) / rate) : 0;
      process.stderr.write(`\r${trials.length}/${total} trials  best ${best === null ? "—" : best.toPrecision(4)}  ${rate.toFixed(1)}/s  ETA ${eta}s   `);
    },
    done() {
      if (tty) process.stderr.write("\n");
    },
  };
}

async function runOptimize(file: string | undefined, flags: OptimizeFlags): Promise<number> {
  let queueUrl: string | null = null;
  if (flags.queue === true) {
    const database = databaseFromFlags(flags);
    if (database.databaseUrl === undefined) throw new UsageError(QUEUE_NEEDS_SERVER);
    if (!flags.store) throw new UsageError("--queue stores trials in the database; drop --no-store");
    if (flags.walkForward !== undefined) throw new UsageError("--walk-forward cannot be combined with --queue");
    queueUrl = database.databaseUrl;
  }
  const queueExpire = integer(flags.queueExpire, "--queue-expire", 1);
  const workers = integer(flags.workers, "--workers", 1);
  if (flags.resume !== undefined && file !== undefined) throw new UsageError("give a FILE or --resume STUDY, not both");
  if (flags.resume !== undefined && flags.walkForward !== undefined) throw new UsageError("--walk-forward cannot be combined with --resume");
  const repository = await openRepository(flags);
  let stop = false;
  let queue: Awaited<ReturnType<typeof openQueue>> | null = null;
  try {
    let config: StudyConfig;
    let previous: Trial[] = [];
    let studyId: number | null = null;
    if (flags.resume !== undefined) {
      studyId = integer(flags.resume, "--resume", 1);
      const stored = await repository!.loadStudy(studyId);
      if (stored === null) throw new UsageError(`no study ${studyId} in the database`);
      config = stored.config;
      if (flags.trials !== undefined) config = { ...config, trials: integer(flags.trials, "--trials", 1) };
      previous = stored.trials;
    } else {
      config = configFromFlags(file, flags);
    }
    const program = compileOrFail(config.file);
    const strategy = pickStrategy(program, config.strategy === "" ? undefined : config.strategy);
    const space = asUsage(() => buildSpace(program.params.filter((p) => strategy.params.includes(p.name)), config.ranges));
    const scoring = asUsage(() => makeScoring(config.objective, config.constraints));
    const size = spaceSize(space);
    const budget = Math.min(size, config.trials > 0 ? config.trials : config.search === "grid" ? size : 100);
    const source = barSourceFromOption(config.data);
    const { bars, benchmark } = await loadStrategyBars(strategy, source, config.to);
    const context: StudyContext = {
      program,
      strategy: strategy.name,
      bars,
      benchmark,
      options: { capital: config.capital, slippageBps: config.slippageBps, fees: config.fees, ...(config.from === undefined ? {} : { from: config.from }), ...(config.to === undefined ? {} : { to: config.to }) },
    };
    if (repository !== null && studyId === null) studyId = await repository.createStudy({ strategy: strategy.name, irHash: strategy.hash, config: { ...config, strategy: strategy.name } });
    queue = queueUrl === null ? null : await openQueue(queueUrl, studyId!, config.file, queueExpire, previous.length, () => stop);
    const onSigint = (): void => {
      stop = true;
    };
    process.on("SIGINT", onSigint);
    const bar = progress(budget);
    let best: number | null = null;
    let result;
    let walkForward: WalkForwardResult | null = null;
    try {
      result = queue !== null ? await runSearch({
        sampler: makeSampler(config.search, space, config.seed),
        evaluator: queue.evaluator,
        scoring,
        budget,
        previous,
        // Grid and random points do not depend on results: enqueue them all at once.
        ...(config.search === "bayes" ? {} : { batchSize: Math.max(1, budget) }),
        onTrials: (batch) => {
          for (const t of batch) if (t.feasible && t.objective !== null && (best === null || t.objective > best)) best = t.objective;
          previous = [...previous, ...batch];
        },
      }) : await runStudy({
        context,
        space,
        search: config.search,
        seed: config.seed,
        budget,
        scoring,
        workers,
        previous,
        shouldStop: () => stop,
        onTrials: async (batch) => {
          for (const t of batch) if (t.feasible && t.objective !== null && (best === null || t.objective > best)) best = t.objective;
          if (repository !== null && studyId !== null) await repository.addTrials(studyId, batch);
          bar.update([...previous, ...batch], best);
          previous = [...previous, ...batch];
        },
      });
      if (flags.walkForward !== undefined && !result.stopped) walkForward = await walk(flags.walkForward, context, space, config, scoring, budget, workers, () => stop);
    } catch (error) {
      if (error instanceof Error && error.name === "QueueStopped") {
        bar.done();
        err(error.message);
        if (repository !== null && studyId !== null) await repository.setStatus(studyId, "stopped");
        return EXIT.failed;
      }
      throw error;
    } finally {
      process.off("SIGINT", onSigint);
      bar.done();
    }
    if (queue !== null && !result.stopped) await queue.finish();
    if (repository !== null && studyId !== null) await repository.setStatus(studyId, result.stopped ? "stopped" : "done");
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
      stopped: result.stopped,
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
    return result.best === null ? EXIT.failed : EXIT.ok;
  } finally {
    await queue?.close();
    await repository?.close();
  }
}

/**
 * The queue side of `--queue`: stores the strategy's source with the study, creates its pg-boss
 * queue and returns the evaluator that enqueues trial points and waits for workers' results.
 */
async function openQueue(databaseUrl: string, studyId: number, file: string, expireInSeconds: number, firstNumber: number, shouldStop: () => boolean) {
  const { openDatabase } = await import("../../adapters/postgres/database.js");
  const { createStudyQueue, DEFAULT_TIMING, deleteStudyQueue, QueueEvaluator, queueName, startBoss, storeStudySource } = await import("../../optimize/queue.js");
  const db = await openDatabase({ databaseUrl, maxConnections: 2 });
  let boss;
  try {
    await storeStudySource(db.db, studyId, readFileSync(file, "utf8"));
    boss = await startBoss(databaseUrl, { supervise: false });
    await createStudyQueue(boss, studyId, { ...DEFAULT_TIMING, expireInSeconds, retryDelaySeconds: Math.min(DEFAULT_TIMING.retryDelaySeconds, expireInSeconds) });
  } catch (error) {
    await db.close();
    throw error;
  }
  const name = queueName(studyId);
  const tty = process.stderr.isTTY === true;
  let announced = false;
  const evaluator = new QueueEvaluator({
    boss,
    db: db.db,
    studyId,
    firstNumber,
    shouldStop,
    onProgress: (done, total) => {
      if (!announced) {
        announced = true;
        err(`study ${studyId}: ${total} trials queued on ${name}; run \`strat worker\` (same DATABASE_URL) to process them`);
      }
      if (tty) process.stderr.write(`\r${done}/${total} trials stored   `);
      else err(`${done}/${total} trials stored`);
      if (tty && done === total) process.stderr.write("\n");
    },
  });
  const b = boss;
  return {
    evaluator,
    /** Deletes the study's queue once every trial is in. */
    async finish(): Promise<void> {
      await deleteStudyQueue(b, studyId, evaluator.jobIds);
    },
    async close(): Promise<void> {
      await b.stop({ graceful: false, close: true, wait: true }).catch(() => {});
      await db.close();
    },
  };
}

async function walk(spec: string, context: StudyContext, space: StudySummary["space"], config: StudyConfig, scoring: ReturnType<typeof makeScoring>, budget: number, workers: number, shouldStop: () => boolean): Promise<WalkForwardResult> {
  const { train, test } = asUsage(() => parseWalkForward(spec));
  const strategy = context.program.strategies.find((s) => s.name === context.strategy)!;
  const market = alignBars(context.bars, context.benchmark === null ? strategy.tickers : [...new Set([...strategy.tickers, context.benchmark])]);
  const last = config.to === undefined ? market.dates.length : market.dates.findIndex((d) => d > config.to!);
  const dates = market.dates.slice(0, last === -1 ? market.dates.length : last);
  const fromIndex = config.from === undefined ? 0 : Math.max(0, dates.findIndex((d) => d >= config.from!));
  const windows = walkForwardWindows(dates, Math.max(fromIndex, strategy.warmupBars), train, test);
  if (windows.length === 0) throw new UsageError(`--walk-forward ${spec}: the data (${dates.length} sessions after warm-up) is too short for one ${train}+${test}-session window`);
  const evaluator = makeEvaluator(context, workers);
  const local = new BacktestEvaluator(context);
  try {
    return await runWalkForward({ windows, sampler: () => makeSampler(config.search as SearchKind, space, config.seed), evaluator, scoring, budget, backtest: (p, w) => local.backtest(p, w), shouldStop });
  } finally {
    await evaluator.close();
  }
}

function fmt(v: number | null | undefined): string {
  return v === null || v === undefined ? "—" : Number(v.toPrecision(4)).toString();
}

function printSummary(s: StudySummary, outDir: string | undefined): void {
  const feasible = s.trials.filter((t) => t.feasible && t.objective !== null).sort((a, b) => b.objective! - a.objective! || a.number - b.number);
  out(`${s.strategy}: ${s.trials.length} trials (${feasible.length} feasible), ${s.search} search, maximising ${s.objective}${s.study === null ? "" : `; study ${s.study}`}${s.stopped ? " — stopped early" : ""}`);
  out();
  const header = ["#", ...s.space.map((d) => d.name), "objective", "cagr", "sharpe", "maxDD", "trades"];
  const rows = feasible.slice(0, 10).map((t) => [t.number, ...s.space.map((d) => t.params[d.name]!), fmt(t.objective), fmt(t.metrics?.cagr), fmt(t.metrics?.sharpe), fmt(t.metrics?.maxDrawdown), t.metrics?.trades ?? 0]);
  for (const line of table(header, rows)) out(line);
  if (s.best !== null) {
    out();
    // Percent params are shown as percents, as they are written in .strat and taken by --param.
    const shown = ([k, v]: [string, number]): string =>
      s.space.find((d) => d.name === k)?.unit === "percent" ? `--param ${k}=${Number((v * 100).toPrecision(12))}%` : `--param ${k}=${v}`;
    out(`best: ${Object.entries(orderedParams(s.space, s.best.params)).map(shown).join(" ")}`);
  }
  const o = s.overfitting;
  if (o !== null && o.deflatedSharpe !== null) out(`deflated Sharpe: ${fmt(o.deflatedSharpe.probability)} (probability the best Sharpe is real after ${o.deflatedSharpe.trials} trials)`);
  if (o?.stability != null) out(`neighbourhood: ${o.stability.neighbours} neighbours at ${fmt(o.stability.meanRatio)} (mean) and ${fmt(o.stability.minRatio)} (min) of the best objective`);
  if (s.walkForward !== null) {
    out();
    out(`walk-forward: ${s.walkForward.windows.length} windows`);
    for (const w of s.walkForward.windows) {
      out(`  train ${w.window.trainFrom}..${w.window.trainTo}  test ${w.window.testFrom}..${w.window.testTo}  ${w.params === null ? "no feasible params" : JSON.stringify(orderedParams(s.space, w.params))}  in ${fmt(w.inSampleObjective)}  out ${fmt(w.outOfSampleObjective)}`);
    }
    const m = s.walkForward.metrics;
    if (m !== null) out(`  out-of-sample: cagr ${fmt(m.cagr)}, sharpe ${fmt(m.sharpe)}, max drawdown ${fmt(m.maxDrawdown)}`);
  }
  if (outDir !== undefined) out(`\nwrote ${join(outDir, "report.html")} (and trials.csv, study.json)`);
}
