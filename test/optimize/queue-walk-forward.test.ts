/**
 * `--walk-forward` with `--queue` on a real Postgres server (TEST_DATABASE_URL): each window's
 * train trials go through the pg-boss queue as the window's own study and `strat worker`
 * processes run them; the result equals the local run. A submitter stopped with SIGINT in the
 * middle of the windows exits 130, and `--resume` finishes the study to the same result.
 */
import { dirname, join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_STOPPED } from "../../src/cli/commands/optimize.js";
import { runCli } from "../helpers/run-cli.js";
import { SERVER_URL, spawnStrat, throwawayDatabase, until, writeQueueStrategy } from "./queue-fixture.js";

const file = writeQueueStrategy("strat-queue-wf-");
const study = [file, "--data", "synthetic", "--from", "2019-01-02", "--to", "2020-12-31", "--walk-forward", "6m/3m"];

interface StudyDoc {
  study: number | null;
  trials: unknown[];
  best: unknown;
  stopped: boolean;
  overfitting: unknown;
  walkForward: { windows: unknown[] } | null;
}

function comparable(doc: StudyDoc): Omit<StudyDoc, "study"> {
  const { study: _, ...rest } = doc;
  return rest;
}

it("--queue --walk-forward without a Postgres server is still a usage error", async () => {
  const run = await runCli("optimize", ...study, "--queue", "--db-dir", join(dirname(file), "pglite"));
  expect(run.code).toBe(2);
  expect(run.stderr).toContain("--queue needs a Postgres server");
});

describe.skipIf(SERVER_URL === undefined)("walk-forward through the queue", () => {
  let url = "";
  let drop = async (): Promise<void> => {};
  let local: StudyDoc;

  beforeAll(async () => {
    ({ url, drop } = await throwawayDatabase("strat_queue_wf"));
    const run = await runCli("optimize", ...study, "--no-store", "--json");
    expect(run.code, run.stderr).toBe(0);
    local = JSON.parse(run.stdout) as StudyDoc;
    expect(local.trials).toHaveLength(12);
    expect(local.walkForward!.windows).toHaveLength(6);
  }, 60_000);

  afterAll(() => drop());

  const strat = (...args: string[]) => spawnStrat(args, "pipe");

  async function query<T extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<T[]> {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query<T>(text, values)).rows;
    } finally {
      await c.end();
    }
  }
  /** Trial rows per window study of `parent` (window index → rows, distinct numbers). */
  async function windowRows(parent: number): Promise<{ index: number; rows: number; distinct: number }[]> {
    const rows = await query<{ index: number; rows: string; distinct: string }>(
      `SELECT (s.config->'window'->>'index')::int AS index, count(t.number) AS rows, count(DISTINCT t.number) AS distinct
       FROM studies s LEFT JOIN trials t ON t.study_id = s.id WHERE (s.config->'window'->>'study')::bigint = $1 GROUP BY 1 ORDER BY 1`,
      [parent],
    );
    return rows.map((r) => ({ index: r.index, rows: Number(r.rows), distinct: Number(r.distinct) }));
  }
  const all12 = [0, 1, 2, 3, 4, 5].map((index) => ({ index, rows: 12, distinct: 12 }));

  it("a strat worker runs every window's train trials; the result equals the local run", async () => {
    const submit = runCli("optimize", ...study, "--queue", "--database-url", url, "--json");
    const w = strat("worker", "--database-url", url);
    const run = await submit;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("window 6/6: 12/12 trials stored");
    await until(() => /waiting for trial jobs/.test(w.stderr), 60_000);
    w.child.kill("SIGTERM");
    expect(await w.exit, w.stderr).toBe(0);
    expect(Number(/stored (\d+) trials/.exec(w.stderr)?.[1])).toBe(12 * 7);
    const doc = JSON.parse(run.stdout) as StudyDoc & { study: number };
    expect(comparable(doc)).toEqual(comparable(local));
    expect(await windowRows(doc.study)).toEqual(all12);
    // Every study's queue is deleted once its trials are in.
    expect(await query("SELECT name FROM pgboss.queue WHERE name LIKE 'strat-study-%'", [])).toEqual([]);
  }, 120_000);

  it("a submitter stopped (before and during the windows) exits 130; --resume --queue finishes it to the same result", async () => {
    // No worker yet: the study's trials wait on the queue, so the stop lands before any is stored.
    const idle = strat("optimize", ...study, "--queue", "--database-url", url, "--json");
    let out = "";
    idle.child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    await until(() => /12 trials queued/.test(idle.stderr), 60_000);
    idle.child.kill("SIGINT");
    expect(await idle.exit, idle.stderr).toBe(EXIT_STOPPED);
    expect(idle.stderr).toContain("stopped waiting: 12 trials stay on queue");
    const parent = (JSON.parse(out) as StudyDoc & { study: number }).study;
    expect(JSON.parse(out)).toMatchObject({ stopped: true, trials: [], best: null, walkForward: null });

    // A worker takes the queued trials; the resumed submitter is stopped in window 2.
    const w = strat("worker", "--database-url", url);
    const submit = strat("optimize", "--resume", String(parent), "--queue", "--database-url", url, "--json");
    await until(() => /window 2\/6: /.test(submit.stderr), 90_000);
    submit.child.kill("SIGINT");
    expect(await submit.exit, submit.stderr).toBe(EXIT_STOPPED);
    expect(submit.stderr).toMatch(/stopped waiting|stopping after the trials in flight/);
    expect((await query<{ status: string }>("SELECT status FROM studies WHERE id = $1", [parent]))[0]!.status).toBe("stopped");

    const resumed = await runCli("optimize", "--resume", String(parent), "--queue", "--database-url", url, "--json");
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`study ${parent}: walk-forward resumes with [1-6] of 6 windows done`));
    w.child.kill("SIGTERM");
    expect(await w.exit, w.stderr).toBe(0);
    const doc = JSON.parse(resumed.stdout) as StudyDoc & { study: number };
    expect(doc.study).toBe(parent);
    expect(comparable(doc)).toEqual(comparable(local));
    // Windows kept, not redone: each window study holds its 12 trials once.
    expect(await windowRows(parent)).toEqual(all12);
  }, 150_000);
});
