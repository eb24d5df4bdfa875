/**
 * The TTY progress bar of `strat optimize`: exact lines for a scripted clock on a fake TTY,
 * nothing on a pipe, and the real CLI's bar in a pseudo-terminal (util-linux `script`).
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { formatDuration, progressBar, progressLine } from "../../src/cli/commands/optimize-progress.js";
import { makeFixture } from "./fixture.js";

/** A fake TTY that records what is written. */
function fakeTty(isTTY = true): { isTTY: boolean; text: string; write(t: string): boolean } {
  return {
    isTTY,
    text: "",
    write(t: string) {
      this.text += t;
      return true;
    },
  };
}

/** A clock that returns the given milliseconds in turn. */
function clock(...ms: number[]): () => number {
  let i = 0;
  return () => ms[Math.min(i++, ms.length - 1)]!;
}

describe("progress bar", () => {
  it("draws trials done, best so far, rate and ETA, rewriting one line", () => {
    const tty = fakeTty();
    // Created at t=0; updates at 0 s, 2 s, 4 s and 5 s.
    const bar = progressBar(40, { stream: tty, now: clock(0, 0, 2000, 4000, 5000) });
    bar.update(0, null);
    bar.update(8, 0.5);
    bar.update(16, 1.23456);
    bar.update(40, 1.5);
    bar.done();
    bar.done();
    bar.update(41, 2); // after done: ignored
    expect(tty.text.split("\r")).toEqual([
      "",
      "0/40 trials  best —  —/s  ETA —\x1b[K",
      "8/40 trials  best 0.5  4.0/s  ETA 8s\x1b[K",
      "16/40 trials  best 1.235  4.0/s  ETA 6s\x1b[K",
      "40/40 trials  best 1.5  8.0/s  ETA 0s\x1b[K\n",
    ]);
  });

  it("counts the rate from a resumed study's stored trials on, and labels windows", () => {
    const tty = fakeTty();
    const bar = progressBar(100, { stream: tty, now: clock(0, 0, 3000), label: "window 2/6: " });
    bar.update(60, 0.25);
    bar.update(63, 0.25);
    bar.done();
    expect(tty.text).toBe("\rwindow 2/6: 60/100 trials  best 0.25  —/s  ETA —\x1b[K\rwindow 2/6: 63/100 trials  best 0.25  1.0/s  ETA 37s\x1b[K\n");
  });

  it("draws nothing when the stream is not a TTY", () => {
    const pipe = fakeTty(false);
    const bar = progressBar(10, { stream: pipe, now: clock(0, 1000) });
    bar.update(5, 1);
    bar.done();
    expect(pipe.text).toBe("");
  });

  it("formats durations and lines", () => {
    expect([0, 0.2, 59, 59.5, 60, 185, 3599, 3600, 3725].map(formatDuration)).toEqual(["0s", "1s", "59s", "1m 00s", "1m 00s", "3m 05s", "59m 59s", "1h 00m", "1h 02m"]);
    expect(progressLine("", 1, 1000, -0.0123456, 2)).toBe("1/1000 trials  best -0.01235  2.0/s  ETA 8m 20s");
  });
});

const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const ROOT = join(import.meta.dirname, "..", "..");
const HAS_SCRIPT = spawnSync("script", ["--version"]).status === 0;

describe.skipIf(!HAS_SCRIPT)("strat optimize in a pseudo-terminal", () => {
  it("draws the bar on stderr and ends it before the summary", async () => {
    const fx = await makeFixture();
    const cmd = [process.execPath, "--import", TSX, "src/cli/bin.ts", "optimize", fx.file, "--data", fx.data, "--from", "2018-01-02", "--to", "2021-12-31", "--param", "n=[5,10,20,40]", "--no-store"];
    const quoted = cmd.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    const run = spawnSync("script", ["-qefc", quoted, "/dev/null"], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    expect(run.status, run.stdout).toBe(0);
    // The pty turns \n into \r\n; the bar's lines are the \r-separated pieces before the summary.
    const text = run.stdout.replace(/\r\n/g, "\n");
    const [bar, ...rest] = text.split("\n");
    const lines = bar!.split("\r").filter((l) => l !== "");
    // 12 trials in batches of 8: the empty start, then 8, then 12 (rates and ETA vary with load).
    expect(lines.map((l) => l.replace(/ {2}[\d.—]+\/s {2}ETA .*$/, ""))).toEqual(["0/12 trials  best —", expect.stringMatching(/^8\/12 trials  best -?\d/), expect.stringMatching(/^12\/12 trials  best -?\d/)]);
    expect(lines.at(-1)).toMatch(/ETA 0s\x1b\[K$/);
    expect(rest[0]).toMatch(/^Pick: 12 trials \(12 feasible\), grid search, maximising sharpe$/);
  }, 60_000);
});
