/**
 * Trials through a pg-boss job queue (`strat optimize --queue`, `strat worker`): one queue per
 * study (`strat-study-ID`), one job per trial point, keyed by (study, trial number). Workers
 * write each trial into the study's `trials` table with an idempotent insert, so a retried job
 * (its worker died, the job expired) never duplicates a trial; the submitter waits for the
 * rows. Needs a Postgres server: pg-boss does not run on PGlite.
 */
import { randomUUID } from "node:crypto";
import PgBoss from "pg-boss";
import { sql, type Kysely } from "kysely";
import type { Point } from "./space.js";
import type { StudyConfig } from "./study-repository.js";
import type { Trial, TrialEvaluator, TrialOutcome, TrialWindow } from "./trial.js";

/** Study queues are named with this prefix and the study id. */
export const QUEUE_PREFIX = "strat-study-";

export function queueName(studyId: number): string {
  return `${QUEUE_PREFIX}${studyId}`;
}

/** The study id of a study queue's name, or null for another queue. */
export function studyOfQueue(name: string): number | null {
  const m = /^strat-study-(\d+)$/.exec(name);
  return m === null ? null : Number(m[1]);
}

/** What a trial job carries. */
export interface TrialJob {
  study: number;
  number: number;
  params: Point;
}

/** How long a job may run before pg-boss takes it back (its worker is presumed dead) and retries it. */
export interface QueueTiming {
  expireInSeconds: number;
  retryDelaySeconds: number;
  retryLimit: number;
}

export const DEFAULT_TIMING: QueueTiming = { expireInSeconds: 600, retryDelaySeconds: 5, retryLimit: 5 };

/** pg-boss on a server URL; `schema` isolates its tables (default `pgboss`). */
export async function startBoss(databaseUrl: string, options: { schema?: string; maintenanceIntervalSeconds?: number; supervise?: boolean } = {}): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    max: 4,
    ...(options.schema === undefined ? {} : { schema: options.schema }),
    supervise: options.supervise ?? true,
    schedule: false,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 2,
  });
  boss.on("error", (error) => process.stderr.write(`pg-boss: ${error.message}\n`));
  await boss.start();
  return boss;
}

/** Creates the study's queue (idempotent). */
export async function createStudyQueue(boss: PgBoss, studyId: number, timing: QueueTiming): Promise<void> {
  const name = queueName(studyId);
  const options = { name, policy: "standard" as const, expireInSeconds: timing.expireInSeconds, retryDelay: timing.retryDelaySeconds, retryLimit: timing.retryLimit };
  if ((await boss.getQueue(name)) === null) await boss.createQueue(name, options);
  else await boss.updateQueue(name, options);
}

/** A stored trial row has exactly a Trial's fields. */
type TrialRow = Trial;

/** The stored trials of a study with these numbers. */
async function storedTrials(db: Kysely<any>, studyId: number, numbers: readonly number[]): Promise<Map<number, TrialRow>> {
  if (numbers.length === 0) return new Map();
  const rows = (await sql<TrialRow>`SELECT number, params, objective, feasible, metrics, error FROM trials WHERE study_id = ${studyId} AND number = ANY(${[...numbers]}::int[])`.execute(db)).rows;
  return new Map(rows.map((r) => [Number(r.number), r]));
}

/** Inserts one trial unless the study already has its number (a retried job); true when inserted. */
export async function insertTrialOnce(db: Kysely<any>, studyId: number, t: Trial): Promise<boolean> {
  const result = await sql`INSERT INTO trials (study_id, number, params, objective, feasible, metrics, error)
    VALUES (${studyId}, ${t.number}, ${JSON.stringify(t.params)}::jsonb, ${t.objective}, ${t.feasible}, ${t.metrics === null ? null : JSON.stringify(t.metrics)}::jsonb, ${t.error})
    ON CONFLICT (study_id, number) DO NOTHING`.execute(db);
  const inserted = Number(result.numAffectedRows ?? 0n) > 0;
  if (inserted) await sql`UPDATE studies SET updated_at = now() WHERE id = ${studyId}`.execute(db);
  return inserted;
}

/**
 * Stores the study's strategy source for workers elsewhere, under `queueSource` in the study's
 * config (jsonb), so the store's schema needs no change; readers of StudyConfig ignore it.
 */
export async function storeStudySource(db: Kysely<any>, studyId: number, source: string): Promise<void> {
  await sql`UPDATE studies SET config = config || jsonb_build_object('queueSource', ${source}::text) WHERE id = ${studyId}`.execute(db);
}

export interface QueueEvaluatorOptions {
  boss: PgBoss;
  db: Kysely<any>;
  studyId: number;
  /** The number of the first trial this evaluator proposes (trials already in the study). */
  firstNumber: number;
  /**
   * The study's own sessions (a walk-forward window study: its train window). Workers run
   * every trial on the study's range, so `run` accepts only this window (or none).
   */
  range?: TrialWindow;
  /** How often to look for results. */
  pollMs?: number;
  /** Called when the count of results of the current batch changes. */
  onProgress?: (done: number, total: number) => void;
  /** Checked while waiting; true throws QueueStopped (queued jobs stay queued). */
  shouldStop?: () => boolean;
}

export class QueueStopped extends Error {
  override readonly name = "QueueStopped";
}

/**
 * A TrialEvaluator that enqueues the points as jobs (numbered in the order the search proposes
 * them, like runSearch) and waits until workers have stored every trial.
 */
export class QueueEvaluator implements TrialEvaluator {
  private next: number;
  /** Ids of the jobs this evaluator enqueued. */
  readonly jobIds: string[] = [];

  constructor(private readonly options: QueueEvaluatorOptions) {
    this.next = options.firstNumber;
  }

  async run(points: readonly Point[], window?: TrialWindow): Promise<TrialOutcome[]> {
    const own = this.options.range ?? {};
    if (window !== undefined && (window.from !== own.from || window.to !== own.to)) throw new Error("the queue evaluator runs the study's own range only");
    const { boss, db, studyId } = this.options;
    const first = this.next;
    this.next += points.length;
    const numbers = points.map((_, i) => first + i);
    const name = queueName(studyId);
    const known = await storedTrials(db, studyId, numbers);
    const jobs = points
      .map((params, i) => ({ params, number: numbers[i]! }))
      .filter((j) => !known.has(j.number))
      .map((j) => ({ id: randomUUID(), name, data: { study: studyId, number: j.number, params: j.params } satisfies TrialJob, singletonKey: `${studyId}:${j.number}` }));
    this.jobIds.push(...jobs.map((j) => j.id));
    for (let i = 0; i < jobs.length; i += 500) await boss.insert(jobs.slice(i, i + 500));
    let rows = known;
    let shown = -1;
    for (;;) {
      if (rows.size !== shown) {
        shown = rows.size;
        this.options.onProgress?.(rows.size, numbers.length);
      }
      if (rows.size === numbers.length) break;
      if (this.options.shouldStop?.() === true) throw new QueueStopped(`stopped waiting: ${numbers.length - rows.size} trials stay on queue ${name}; workers still store them`);
      await new Promise((r) => setTimeout(r, this.options.pollMs ?? 250));
      rows = await storedTrials(db, studyId, numbers);
    }
    return numbers.map((n, i): TrialOutcome => {
      const row = rows.get(n)!;
      if (JSON.stringify(row.params) !== JSON.stringify(points[i]) && !sameParams(row.params, points[i]!)) throw new Error(`trial ${n} of study ${studyId} was stored with other params than proposed`);
      return row.metrics === null ? { error: row.error ?? "no metrics" } : { metrics: row.metrics };
    });
  }

  async close(): Promise<void> {}
}

function sameParams(a: Point, b: Point): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** What a worker needs of a study row. */
export interface QueuedStudy {
  id: number;
  strategy: string;
  config: StudyConfig;
  /** The strategy file's text when it was submitted (null when not stored: compile `config.file`). */
  source: string | null;
}

export async function loadQueuedStudy(db: Kysely<any>, studyId: number): Promise<QueuedStudy | null> {
  const row = (await sql<{ id: number; strategy: string; config: StudyConfig & { queueSource?: string } }>`SELECT id, strategy, config FROM studies WHERE id = ${studyId}`.execute(db)).rows[0];
  if (row === undefined) return null;
  const { queueSource, ...config } = row.config;
  return { id: Number(row.id), strategy: row.strategy, config, source: typeof queueSource === "string" ? queueSource : null };
}

/**
 * Removes a finished study's queue with the jobs `jobIds` (pg-boss 10's deleteQueue fails
 * while the queue still has jobs). Best effort: a queue left behind is only an empty queue.
 */
export async function deleteStudyQueue(boss: PgBoss, studyId: number, jobIds: readonly string[]): Promise<void> {
  const name = queueName(studyId);
  try {
    for (let i = 0; i < jobIds.length; i += 1000) await boss.deleteJob(name, jobIds.slice(i, i + 1000));
    await boss.deleteQueue(name);
  } catch {
    // jobs of an earlier run of the study remain; keep the queue
  }
}
