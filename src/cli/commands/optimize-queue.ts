/**
 * The submitting side of `strat optimize --queue`: for each study it runs (the study itself,
 * then each walk-forward window study), stores the strategy's source with it, creates its
 * pg-boss queue and hands back the evaluator that enqueues trial points and waits for the
 * trials `strat worker` processes store.
 */
import { readFileSync } from "node:fs";
import type { QueueEvaluator } from "../../optimize/queue.js";
import type { TrialWindow } from "../../optimize/trial.js";
import { err } from "../output.js";

/** Opened once per `strat optimize --queue` run; `close()` always, `finish()` once all is in. */
export interface StudyQueues {
  /**
   * The evaluator of study `studyId`: trial numbers start at `firstNumber` (its stored prefix),
   * `range` is a window study's train sessions, `label` prefixes its progress lines.
   */
  evaluatorFor(studyId: number, firstNumber: number, options?: { range?: TrialWindow; label?: string }): Promise<QueueEvaluator>;
  /** Deletes the queues of the studies run, with the jobs this run enqueued. */
  finish(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects to the server at `databaseUrl`. `file` is the strategy (its text goes to the
 * workers), `expireInSeconds` how long a job may run before it is retried elsewhere,
 * `shouldStop` is polled while waiting (true: the evaluator throws QueueStopped).
 */
export async function openStudyQueues(databaseUrl: string, file: string, expireInSeconds: number, shouldStop: () => boolean): Promise<StudyQueues> {
  const { openDatabase } = await import("../../adapters/postgres/database.js");
  const { createStudyQueue, DEFAULT_TIMING, deleteStudyQueue, QueueEvaluator, queueName, startBoss, storeStudySource } = await import("../../optimize/queue.js");
  const source = readFileSync(file, "utf8");
  const db = await openDatabase({ databaseUrl, maxConnections: 2 });
  let boss;
  try {
    boss = await startBoss(databaseUrl, { supervise: false });
  } catch (error) {
    await db.close();
    throw error;
  }
  const b = boss;
  const tty = process.stderr.isTTY === true;
  const runs: { studyId: number; evaluator: QueueEvaluator }[] = [];
  let announced = false;
  return {
    async evaluatorFor(studyId, firstNumber, options = {}) {
      await storeStudySource(db.db, studyId, source);
      await createStudyQueue(b, studyId, { ...DEFAULT_TIMING, expireInSeconds, retryDelaySeconds: Math.min(DEFAULT_TIMING.retryDelaySeconds, expireInSeconds) });
      const name = queueName(studyId);
      const label = options.label ?? "";
      const evaluator = new QueueEvaluator({
        boss: b,
        db: db.db,
        studyId,
        firstNumber,
        shouldStop,
        ...(options.range === undefined ? {} : { range: options.range }),
        onProgress: (done, total) => {
          // One hint for the whole run: the windows' queues are served by the same workers.
          if (!announced) {
            announced = true;
            err(`study ${studyId}: ${total} trials queued on ${name}; run \`strat worker\` (same DATABASE_URL) to process them`);
          }
          if (tty) process.stderr.write(`\r${label}${done}/${total} trials stored\x1b[K`);
          else err(`${label}${done}/${total} trials stored`);
          if (tty && done === total) process.stderr.write("\n");
        },
      });
      runs.push({ studyId, evaluator });
      return evaluator;
    },
    async finish() {
      for (const r of runs) await deleteStudyQueue(b, r.studyId, r.evaluator.jobIds);
    },
    async close() {
      await b.stop({ graceful: false, close: true, wait: true }).catch(() => {});
      await db.close();
    },
  };
}
