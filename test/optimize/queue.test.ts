/**
 * `strat optimize --queue` and `strat worker` on a real Postgres server (TEST_DATABASE_URL):
 * trials go out as pg-boss jobs, worker processes store each exactly once, a SIGKILLed
 * worker's job is expired and retried, and the study equals the local run. Each test file run
 * uses its own throwaway database (created and dropped here).
 */
import { dirname, join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { SERVER_URL, spawnStrat, throwawayDatabase, until, writeQueueStrategy, type StratProcess } from "./queue-fixture.js";

const file = writeQueueStrategy("strat-queue-");
const study = [file, "--data", "synthetic", "--from", "2019-01-02", "--to", "2020-12-31"];

interface TrialJson {
  number: number;
  params: Record<string, number>;
  objective: number | null;
  metrics: Record<string, unknown> | null;
}
interface StudyDoc {
  study: number | null;
  trials: TrialJson[];
  best: TrialJson | null;
  overfitting: unknown;
}

it("--queue without a Postgres server is a usage error", async () => {
  const run = await runCli("optimize", ...study, "--queue", "--db-dir", join(dirname(file), "pglite"));
  expect(run.code).toBe(2);
  expect(run.stderr).toContain("--queue needs a Postgres server (pg-boss does not run on PGlite): set DATABASE_URL");
});

describe.skipIf(SERVER_URL === undefined)("queue on a Postgres server", () => {
  let url = "";
  let drop = async (): Promise<void> => {};
  let local: StudyDoc;

  beforeAll(async () => {
    ({ url, drop } = await throwawayDatabase("strat_queue"));
    const run = await runCli("optimize", ...study, "--no-store", "--json");
    expect(run.code).toBe(0);
    local = JSON.parse(run.stdout) as StudyDoc;
    expect(local.trials).toHaveLength(12);
  }, 60_000);

  afterAll(() => drop());

  const worker = (...args: string[]): StratProcess => spawnStrat(["worker", "--database-url", url, ...args]);

  const stored = (w: StratProcess): number => Number(/stored (\d+) trials/.exec(w.stderr)?.[1] ?? NaN);

  async function trialRows(studyId: number): Promise<{ rows: number; distinct: number }> {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const r = await c.query<{ rows: string; distinct: string }>("SELECT count(*) AS rows, count(DISTINCT number) AS distinct FROM trials WHERE study_id = $1", [studyId]);
    await c.end();
    return { rows: Number(r.rows[0]!.rows), distinct: Number(r.rows[0]!.distinct) };
  }

  async function latestStudy(): Promise<number> {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const r = await c.query<{ id: string }>("SELECT max(id) AS id FROM studies");
    await c.end();
    return Number(r.rows[0]!.id);
  }

  function expectSameAsLocal(doc: StudyDoc): void {
    expect(doc.trials).toHaveLength(12);
    expect(doc.trials).toEqual(local.trials);
    expect(doc.best).toEqual(local.best);
    expect(doc.overfitting).toEqual(local.overfitting);
  }

  it("two strat worker processes complete a study, every trial exactly once", async () => {
    const submit = runCli("optimize", ...study, "--queue", "--database-url", url, "--json");
    const a = worker();
    const b = worker();
    const run = await submit;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("12/12 trials stored");
    // Stop both once they are up (a loaded machine may start one after the other did all the work).
    for (const w of [a, b]) await until(() => /waiting for trial jobs/.test(w.stderr), 60_000);
    for (const w of [a, b]) w.child.kill("SIGTERM");
    expect(await a.exit, a.stderr).toBe(0);
    expect(await b.exit, b.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as StudyDoc & { study: number };
    expect(stored(a) + stored(b)).toBe(12);
    expect(await trialRows(doc.study)).toEqual({ rows: 12, distinct: 12 });
    expectSameAsLocal(doc);
  }, 90_000);

  it("a SIGKILLed worker's job is retried after its expiry; still every trial once, same results", async () => {
    const submit = runCli("optimize", ...study, "--queue", "--queue-expire", "3", "--database-url", url, "--json");
    // The first worker takes 4 jobs and compiles the study (its threads still starting), then dies.
    const a = worker("--concurrency", "4");
    await until(() => /ready/.test(a.stderr), 60_000);
    a.child.kill("SIGKILL");
    expect(await a.exit).toBe(null);
    const studyId = await latestStudy();
    const byA = (await trialRows(studyId)).rows;
    const b = worker("--concurrency", "2");
    const run = await submit;
    expect(run.code, run.stderr).toBe(0);
    b.child.kill("SIGTERM");
    expect(await b.exit, b.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as StudyDoc & { study: number };
    expect(doc.study).toBe(studyId);
    // A's jobs in hand that it had not stored came back after their expiry and B stored them.
    expect(byA).toBeLessThan(4);
    expect(stored(b)).toBe(12 - byA);
    expect(await trialRows(doc.study)).toEqual({ rows: 12, distinct: 12 });
    expectSameAsLocal(doc);
  }, 90_000);
});
