/**
 * Ctrl+C in `strat optimize`: the study stops after the trials in flight, exits with 130,
 * stores and writes (CSV/JSON) the trials done, and `--resume` completes it, walk-forward
 * windows included, to exactly the uninterrupted result. In-process runs call the command's
 * own SIGINT handler at a chosen batch (deterministic counts); a child process in a
 * pseudo-terminal gets a real SIGINT.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { EXIT_STOPPED } from "../../src/cli/commands/optimize.js";
import { BacktestEvaluator } from "../../src/optimize/backtest-evaluator.js";
import { runCli } from "../helpers/run-cli.js";
import { makeFixture, type Fixture } from "./fixture.js";

interface TrialJson {
  number: number;
  params: Record<string, number>;
  objective: number | null;
}
interface StudyDoc {
  study: number | null;
  trials: TrialJson[];
  best: TrialJson | null;
  stopped: boolean;
  overfitting: unknown;
  walkForward: { windows: unknown[] } | null;
}

let fx: Fixture;
const range = ["--from", "2018-01-02", "--to", "2021-12-31"];
beforeAll(async () => {
  fx = await makeFixture();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * Counts the in-process evaluator's batches and points; during batch `stopAt` it calls the
 * SIGINT handler `strat optimize` registered (the newest), as Ctrl+C would.
 */
function interruptAt(stopAt: number): { batches: number; points: number } {
  const count = { batches: 0, points: 0 };
  const run = BacktestEvaluator.prototype.run;
  vi.spyOn(BacktestEvaluator.prototype, "run").mockImplementation(function (this: BacktestEvaluator, points, window) {
    count.batches++;
    count.points += points.length;
    if (count.batches === stopAt) (process.listeners("SIGINT").at(-1) as () => void)();
    return run.call(this, points, window);
  });
  return count;
}

function csvRows(dir: string): string[] {
  return readFileSync(join(dir, "trials.csv"), "utf8").trim().split("\n").slice(1);
}

/** The document without the study id (a stored study has one, a --no-store run not). */
function comparable(doc: StudyDoc): Omit<StudyDoc, "study"> {
  const { study: _, ...rest } = doc;
  return rest;
}

describe("Ctrl+C and --resume", () => {
  it("stops after the batch in flight, keeps it, and resumes a walk-forward study to the uninterrupted result", async () => {
    // 87 points; 20 trials = batches of 8, 8, 4 for the study and for each window.
    const study = [fx.file, "--data", fx.data, ...range, "--param", "n=2..30 step 1", "--search", "random", "--seed", "3", "--trials", "20", "--walk-forward", "1y/6m"];
    const whole = JSON.parse((await runCli("optimize", ...study, "--no-store", "--json")).stdout) as StudyDoc;
    const windows = whole.walkForward!.windows.length;
    expect(windows).toBe(6);
    const db = join(fx.dir, "db-wf");
    const out = join(fx.dir, "out-wf");

    // Ctrl+C during the study's 2nd batch: 16 trials stored and written, no walk-forward.
    interruptAt(2);
    const first = await runCli("optimize", ...study, "--db-dir", db, "--json", "--out", out);
    vi.restoreAllMocks();
    expect(first.code, first.stderr).toBe(EXIT_STOPPED);
    expect(first.stderr).toContain("stopping after the trials in flight; the done ones are kept");
    const a = JSON.parse(first.stdout) as StudyDoc;
    expect(a.stopped).toBe(true);
    expect(a.trials).toEqual(whole.trials.slice(0, 16));
    expect(a.walkForward).toBeNull();
    expect(JSON.parse(readFileSync(join(out, "study.json"), "utf8"))).toEqual(a);
    expect(csvRows(out).map((r) => Number(r.split(",")[0]))).toEqual([...Array(16).keys()]);

    // Resumed, then Ctrl+C again in window 3's 2nd batch (batches: 1 for the study, 3 per window).
    interruptAt(1 + 3 + 3 + 2);
    const second = await runCli("optimize", "--resume", String(a.study), "--db-dir", db, "--json");
    vi.restoreAllMocks();
    expect(second.code, second.stderr).toBe(EXIT_STOPPED);
    expect(second.stderr).toContain(`study ${a.study}: resuming with 16 of 20 trials done, then walk-forward 1y/6m`);
    const b = JSON.parse(second.stdout) as StudyDoc;
    expect(b.study).toBe(a.study);
    expect(b.trials).toEqual(whole.trials);
    expect(b.stopped).toBe(true);
    expect(b.walkForward!.windows).toEqual(whole.walkForward!.windows.slice(0, 2));

    // Resumed to the end: only window 3's last batch and the 3 later windows run.
    const count = interruptAt(0);
    const third = await runCli("optimize", "--resume", String(a.study), "--db-dir", db, "--json");
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toContain(`study ${a.study}: walk-forward resumes with 2 of ${windows} windows done`);
    expect(count.points).toBe(4 + 20 * (windows - 3));
    const c = JSON.parse(third.stdout) as StudyDoc;
    expect(c.study).toBe(a.study);
    expect(comparable(c)).toEqual(comparable(whole));

    // Done: a further --resume runs nothing and prints the same study.
    const again = interruptAt(0);
    const fourth = await runCli("optimize", "--resume", String(a.study), "--db-dir", db, "--json");
    expect(fourth.code).toBe(0);
    expect(again.points).toBe(0);
    expect(JSON.parse(fourth.stdout)).toEqual(c);
  }, 120_000);

  it("adds a walk-forward to a finished study on --resume, and refuses a different one", async () => {
    const study = [fx.file, "--data", fx.data, ...range, "--objective", "cagr"];
    const db = join(fx.dir, "db-add");
    const plain = JSON.parse((await runCli("optimize", ...study, "--db-dir", db, "--json")).stdout) as StudyDoc;
    const whole = JSON.parse((await runCli("optimize", ...study, "--walk-forward", "1y/6m", "--no-store", "--json")).stdout) as StudyDoc;
    const count = interruptAt(0);
    const walked = await runCli("optimize", "--resume", String(plain.study), "--walk-forward", "1y/6m", "--db-dir", db, "--json");
    expect(walked.code, walked.stderr).toBe(0);
    expect(count.points).toBe(9 * whole.walkForward!.windows.length);
    expect(comparable(JSON.parse(walked.stdout) as StudyDoc)).toEqual(comparable(whole));
    // Stored with the study: a plain --resume walks forward too, and another spec is refused.
    expect((JSON.parse((await runCli("optimize", "--resume", String(plain.study), "--db-dir", db, "--json")).stdout) as StudyDoc).walkForward).toEqual(whole.walkForward);
    const other = await runCli("optimize", "--resume", String(plain.study), "--walk-forward", "2y/1y", "--db-dir", db);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`study ${plain.study} walks forward with 1y/6m; drop --walk-forward or give the same`);
    // A window's own study is resumed through its parent.
    const bad = await runCli("optimize", "--resume", String(plain.study! + 1), "--db-dir", db);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`study ${plain.study! + 1} is window 1 of walk-forward study ${plain.study}: resume ${plain.study}`);
  }, 120_000);
});

const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const ROOT = join(import.meta.dirname, "..", "..");
const HAS_SCRIPT = spawnSync("script", ["--version"]).status === 0;

describe.skipIf(!HAS_SCRIPT)("a real SIGINT", () => {
  it("to the strat optimize process in a terminal: exit 130, trials stored and written, --resume completes", async () => {
    // 597 points, 400 trials in 50 batches of 8 (one thread): the signal lands while most batches are still to run.
    const study = [fx.file, "--data", fx.data, ...range, "--param", "n=2..200 step 1", "--search", "random", "--seed", "9", "--trials", "400", "--workers", "1"];
    const db = join(fx.dir, "db-sig");
    const out = join(fx.dir, "out-sig");
    const pidFile = join(fx.dir, "pid");
    const cmd = [process.execPath, "--import", TSX, "src/cli/bin.ts", "optimize", ...study, "--db-dir", db, "--out", out].map((a) => `'${a}'`).join(" ");
    // The shell writes its pid and execs node, so the pid is the strat process's.
    const child = spawn("script", ["-qefc", `echo $$ > '${pidFile}'; exec ${cmd}`, "/dev/null"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    // The bar's first batch: the handler is in place and the search is under way.
    while (!/\r8\/400 trials/.test(text)) {
      if (Date.now() > deadline) throw new Error(`no progress: ${text}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    process.kill(Number(readFileSync(pidFile, "utf8").trim()), "SIGINT");
    expect(await exit, text).toBe(EXIT_STOPPED);
    expect(text).toContain("stopping after the trials in flight; the done ones are kept");
    const doc = JSON.parse(readFileSync(join(out, "study.json"), "utf8")) as StudyDoc;
    expect(text).toContain(`stopped: continue with strat optimize --resume ${doc.study}`);
    const done = doc.trials.length;
    expect(doc.stopped).toBe(true);
    expect(done).toBeGreaterThanOrEqual(8);
    expect(done).toBeLessThan(400);
    expect(done % 8).toBe(0);
    expect(csvRows(out)).toHaveLength(done);

    const whole = JSON.parse((await runCli("optimize", ...study, "--no-store", "--json")).stdout) as StudyDoc;
    expect(doc.trials).toEqual(whole.trials.slice(0, done));
    const resumed = await runCli("optimize", "--resume", String(doc.study), "--db-dir", db, "--json");
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming with ${done} of 400 trials done`);
    expect(comparable(JSON.parse(resumed.stdout) as StudyDoc)).toEqual(comparable(whole));
  }, 120_000);
});
