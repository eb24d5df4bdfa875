/**
 * `--walk-forward` of `strat optimize`: the windows over the study's sessions, and each
 * window's train search as a stored study of its own (config.window names the parent), so a
 * stopped study resumes window by window and `--queue` sends a window's trials to the workers
 * like any study's. Without the store (`--no-store`) the windows run in memory only.
 */
import { alignBars } from "../../data/align.js";
import { BacktestEvaluator, type StudyContext } from "../../optimize/backtest-evaluator.js";
import type { Scoring } from "../../optimize/objective.js";
import { makeSampler, type SearchKind } from "../../optimize/samplers.js";
import { batchSizeFor } from "../../optimize/search.js";
import type { Dimension } from "../../optimize/space.js";
import { makeEvaluator } from "../../optimize/study.js";
import type { StoredStudy, StudyConfig, StudyRepository } from "../../optimize/study-repository.js";
import { bestTrial, type Trial } from "../../optimize/trial.js";
import { parseWalkForward, runWalkForward, walkForwardWindows, type WalkForwardResult, type WalkWindow, type WindowHooks } from "../../optimize/walk-forward.js";
import { err } from "../output.js";
import { UsageError } from "../usage-error.js";
import { progressBar } from "./optimize-progress.js";
import type { StudyQueues } from "./optimize-queue.js";

export interface WalkSetup {
  /** `TRAIN/TEST`, already validated by parseWalkForward. */
  spec: string;
  context: StudyContext;
  space: Dimension[];
  config: StudyConfig;
  scoring: Scoring;
  /** Train trials per window. */
  budget: number;
  /** Worker threads of the local evaluator (ignored with a queue). */
  workers: number;
  shouldStop: () => boolean;
  /** Where window studies are stored (null: `--no-store`). */
  repository: StudyRepository | null;
  /** The walk-forward study (null without the store). */
  studyId: number | null;
  irHash: string;
  /** The queue when `--queue`: window trials go to `strat worker` processes. */
  queues: StudyQueues | null;
}

/** The trials numbered 0..n-1 without a gap: what a search can resume from (see runSearch). */
export function storedPrefix(trials: readonly Trial[]): Trial[] {
  const out: Trial[] = [];
  for (const t of trials) {
    if (t.number !== out.length) break;
    out.push(t);
  }
  return out;
}

/** The windows of `spec` over the context's sessions (after the strategy's warm-up). */
export function studyWindows(spec: string, context: StudyContext, config: StudyConfig): WalkWindow[] {
  const { train, test } = parseWalkForward(spec);
  const strategy = context.program.strategies.find((s) => s.name === context.strategy)!;
  const market = alignBars(context.bars, context.benchmark === null ? strategy.tickers : [...new Set([...strategy.tickers, context.benchmark])]);
  const last = config.to === undefined ? market.dates.length : market.dates.findIndex((d) => d > config.to!);
  const dates = market.dates.slice(0, last === -1 ? market.dates.length : last);
  const fromIndex = config.from === undefined ? 0 : Math.max(0, dates.findIndex((d) => d >= config.from!));
  const windows = walkForwardWindows(dates, Math.max(fromIndex, strategy.warmupBars), train, test);
  if (windows.length === 0) throw new UsageError(`--walk-forward ${spec}: the data (${dates.length} sessions after warm-up) is too short for one ${train}+${test}-session window`);
  return windows;
}

/** The config of window `index`'s study: the parent's, on the window's train sessions. */
function windowConfig(config: StudyConfig, parent: number, index: number, window: WalkWindow): StudyConfig {
  const own: StudyConfig = { ...config, from: window.trainFrom, to: window.trainTo, window: { study: parent, index } };
  delete own.walkForward;
  return own;
}

/** Runs (or resumes) the walk-forward; see the module comment. */
export async function walk(setup: WalkSetup): Promise<WalkForwardResult> {
  const { context, config, repository, studyId, queues } = setup;
  const windows = studyWindows(setup.spec, context, config);
  const stored = new Map<number, StoredStudy>();
  if (repository !== null && studyId !== null) {
    for (const s of await repository.windowStudies(studyId)) {
      const index = s.config.window!.index;
      const w = windows[index];
      // The windows come from the data: other data would pair stored trials with other sessions.
      if (w === undefined || s.config.from !== w.trainFrom || s.config.to !== w.trainTo) {
        throw new UsageError(`study ${studyId}: stored walk-forward window ${index + 1} trains on ${s.config.from}..${s.config.to}, but the data now gives ${w === undefined ? "no such window" : `${w.trainFrom}..${w.trainTo}`}; start a new study`);
      }
      stored.set(index, s);
    }
    const finished = [...stored.values()].filter((s) => s.trials.length >= setup.budget).length;
    if (stored.size > 0) err(`study ${studyId}: walk-forward resumes with ${finished} of ${windows.length} windows done`);
  }
  const evaluator = queues === null ? makeEvaluator(context, setup.workers) : null;
  const local = new BacktestEvaluator(context);
  let current: { id: number; finished: boolean } | null = null;
  let bar = progressBar(setup.budget);
  try {
    const prepareWindow = async (index: number, window: WalkWindow): Promise<WindowHooks> => {
      const label = `window ${index + 1}/${windows.length}: `;
      let id: number | null = stored.get(index)?.id ?? null;
      if (id === null && repository !== null && studyId !== null) {
        id = await repository.createStudy({ strategy: context.strategy, irHash: setup.irHash, config: windowConfig(config, studyId, index, window) });
      }
      const previous = storedPrefix(stored.get(index)?.trials ?? []);
      current = id === null ? null : { id, finished: false };
      bar = progressBar(setup.budget, { label });
      let all = previous;
      bar.update(all.length, bestTrial(all)?.objective ?? null);
      const hooks: WindowHooks = {
        previous,
        onTrials: async (batch) => {
          // Queue workers store their trials themselves; local trials are stored here.
          if (queues === null && repository !== null && id !== null) await repository.addTrials(id, batch);
          all = [...all, ...batch];
          bar.update(all.length, bestTrial(all)?.objective ?? null);
        },
      };
      if (queues !== null && id !== null) hooks.evaluator = await queues.evaluatorFor(id, previous.length, { range: { from: window.trainFrom, to: window.trainTo }, label });
      return hooks;
    };
    return await runWalkForward({
      windows,
      sampler: () => makeSampler(config.search, setup.space, config.seed),
      // With a queue every window brings its own evaluator; this one is never called then.
      evaluator: evaluator ?? { run: () => Promise.reject(new Error("no evaluator")), close: async () => {} },
      scoring: setup.scoring,
      budget: setup.budget,
      batchSize: batchSizeFor(config.search as SearchKind, queues !== null, setup.budget, setup.workers),
      backtest: (p, w) => local.backtest(p, w),
      shouldStop: setup.shouldStop,
      prepareWindow,
      onWindow: async () => {
        bar.done();
        if (current !== null) {
          current.finished = true;
          if (repository !== null) await repository.setStatus(current.id, "done");
        }
      },
    });
  } finally {
    bar.done();
    const open = current as { id: number; finished: boolean } | null;
    if (open !== null && !open.finished && repository !== null) await repository.setStatus(open.id, "stopped").catch(() => {});
    await evaluator?.close();
  }
}
