/**
 * The loop of `strat worker`: takes trial jobs from every study queue, runs each through the
 * study's BacktestEvaluator (bars loaded and the strategy compiled once per study), scores it
 * with the study's objective and constraints, stores it (at most once per trial number) and
 * completes the job. A job whose worker dies is expired by pg-boss and retried elsewhere.
 */
import type PgBoss from "pg-boss";
import type { Kysely } from "kysely";
import type { StudyContext } from "./backtest-evaluator.js";
import { makeScoring, type Scoring } from "./objective.js";
import { loadQueuedStudy, insertTrialOnce, studyOfQueue, type QueuedStudy, type TrialJob } from "./queue.js";
import { makeEvaluator } from "./study.js";
import type { Trial, TrialEvaluator, TrialOutcome } from "./trial.js";

export interface QueueWorkerOptions {
  boss: PgBoss;
  db: Kysely<any>;
  /** Jobs taken at a time; above 1 they run on that many worker threads. */
  concurrency: number;
  /** Exit when no study queue has queued, retrying or active jobs left. */
  once: boolean;
  /** Compiles the study's strategy and loads its bars. */
  prepare: (study: QueuedStudy) => Promise<StudyContext>;
  shouldStop?: () => boolean;
  log?: (line: string) => void;
  pollMs?: number;
}

export interface QueueWorkerResult {
  /** Trials this worker stored. */
  stored: number;
  /** Jobs whose trial was already stored (a retry of a job another worker finished). */
  duplicates: number;
}

type Prepared = { evaluator: TrialEvaluator; scoring: Scoring } | { error: string };

/** Runs until stopped (or, with `once`, until the queues are drained). */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerResult> {
  const { boss, db } = options;
  const log = options.log ?? (() => {});
  const prepared = new Map<number, Prepared>();
  const result: QueueWorkerResult = { stored: 0, duplicates: 0 };

  async function study(id: number): Promise<Prepared | null> {
    const known = prepared.get(id);
    if (known !== undefined) return known;
    const row = await loadQueuedStudy(db, id);
    if (row === null) return null;
    let p: Prepared;
    try {
      const context = await options.prepare(row);
      p = { evaluator: makeEvaluator(context, options.concurrency), scoring: makeScoring(row.config.objective, row.config.constraints) };
      log(`study ${id}: ${row.strategy} ready`);
    } catch (error) {
      p = { error: error instanceof Error ? error.message : String(error) };
      log(`study ${id}: cannot run its trials: ${p.error}`);
    }
    prepared.set(id, p);
    return p;
  }

  async function handle(name: string, id: number, jobs: PgBoss.Job<TrialJob>[]): Promise<void> {
    const ids = jobs.map((j) => j.id);
    try {
      const p = await study(id);
      if (p === null) {
        await boss.complete(name, ids); // the study is gone
        return;
      }
      const points = jobs.map((j) => j.data.params);
      const outcomes: TrialOutcome[] = "error" in p ? points.map(() => ({ error: p.error })) : await p.evaluator.run(points);
      for (let i = 0; i < jobs.length; i++) {
        const outcome = outcomes[i]!;
        const { number, params } = jobs[i]!.data;
        let trial: Trial;
        if (outcome.metrics === undefined || "error" in p) trial = { number, params, objective: null, feasible: false, metrics: null, error: outcome.error ?? "failed" };
        else {
          const { objective, feasible } = p.scoring.score(outcome.metrics);
          trial = { number, params, objective, feasible, metrics: outcome.metrics, error: null };
        }
        if (await insertTrialOnce(db, id, trial)) result.stored++;
        else result.duplicates++;
      }
      await boss.complete(name, ids);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`study ${id}: jobs failed (pg-boss retries them): ${message}`);
      await Promise.all(ids.map((jobId) => boss.fail(name, jobId, { message }))).catch(() => {});
    }
  }

  try {
    while (options.shouldStop?.() !== true) {
      const names = (await boss.getQueues()).map((q) => q.name).filter((n) => studyOfQueue(n) !== null);
      let worked = false;
      for (const name of names) {
        if (options.shouldStop?.() === true) break;
        let jobs: PgBoss.Job<TrialJob>[];
        try {
          jobs = await boss.fetch<TrialJob>(name, { batchSize: options.concurrency });
        } catch {
          continue; // the queue was deleted meanwhile
        }
        if (jobs.length === 0) continue;
        worked = true;
        await handle(name, studyOfQueue(name)!, jobs);
      }
      if (worked) continue;
      if (options.once) {
        let pending = 0;
        for (const name of names) pending += await boss.getQueueSize(name, { before: "completed" }).catch(() => 0);
        if (pending === 0) break;
      }
      await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
    }
  } finally {
    for (const p of prepared.values()) if (!("error" in p)) await p.evaluator.close();
  }
  return result;
}
