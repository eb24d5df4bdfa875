/** `strat data fetch|import|ls` as a user runs them, on synthetic data and temporary folders. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REPO } from "../helpers/host.js";
import { runCli } from "../helpers/run-cli.js";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "strat-data-cli-"));
}

describe("strat data fetch", () => {
  it("fetches comma-separated tickers into the cache and prints what it holds", async () => {
    const cache = tempDir();
    const run = await runCli("data", "fetch", "spy,TQQQ", "--from", "2024-01-02", "--to", "2024-03-28", "--data", "synthetic", "--cache-dir", cache);
    expect(run).toEqual({
      code: 0,
      stdout: ["ticker  first       last        bars", "SPY     2024-01-02  2024-03-28    61", "TQQQ    2024-01-02  2024-03-28    61", `2 tickers cached in ${cache} (synthetic:seed=42)`, ""].join("\n"),
      stderr: "",
    });
    const list = await runCli("data", "ls", "--cache-dir", cache);
    expect(list.code).toBe(0);
    expect(list.stdout).toBe(
      [
        "ticker  first       last        bars  provider           fetched",
        "SPY     2024-01-02  2024-03-28    61  synthetic:seed=42  1970-01-01T00:00:00.000Z",
        "TQQQ    2024-01-02  2024-03-28    61  synthetic:seed=42  1970-01-01T00:00:00.000Z",
        `2 tickers in ${cache}`,
        "",
      ].join("\n"),
    );
  });

  it("fetches a strategy file's tickers and benchmark", async () => {
    const cache = tempDir();
    const run = await runCli("data", "fetch", join(REPO, "strategies", "tqqq_long_term.strat"), "--from", "2024-06-03", "--to", "2024-06-28", "--data", "synthetic:7", "--cache-dir", cache);
    expect(run.code).toBe(0);
    const tickers = run.stdout.split("\n").slice(1, -2).map((line) => line.split(/\s+/)[0]);
    expect(tickers).toEqual(["BIL", "BSV", "QQQ", "SHV", "SHY", "SPXL", "SPY", "SQQQ", "TECL", "TQQQ", "UPRO", "UVXY", "VIXY"]);
    expect(run.stdout).toContain(`13 tickers cached in ${cache} (synthetic:seed=7)\n`);
    const json = JSON.parse((await runCli("data", "ls", "--json", "--cache-dir", cache)).stdout) as { dir: string; tickers: { ticker: string; bars: number; source: string }[] };
    expect(json.dir).toBe(cache);
    expect(json.tickers.map((t) => t.ticker)).toEqual(tickers);
    expect(json.tickers.every((t) => t.bars === 19 && t.source === "seed=7")).toBe(true);
  });

  it("prints a file's compile errors and exits 1", async () => {
    const dir = tempDir();
    const file = join(dir, "bad.strat");
    writeFileSync(file, 'strategy "Bad" {\n  foo(\n}\n');
    const run = await runCli("data", "fetch", file, "--data", "synthetic", "--cache-dir", join(dir, "cache"));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}: does not compile; nothing fetched\n`);
  });

  describe("usage mistakes exit 2", () => {
    let saved: Record<string, string | undefined>;
    beforeEach(() => {
      saved = { id: process.env.APCA_API_KEY_ID, secret: process.env.APCA_API_SECRET_KEY };
      delete process.env.APCA_API_KEY_ID;
      delete process.env.APCA_API_SECRET_KEY;
    });
    afterEach(() => {
      if (saved.id !== undefined) process.env.APCA_API_KEY_ID = saved.id;
      if (saved.secret !== undefined) process.env.APCA_API_SECRET_KEY = saved.secret;
    });

    it.each([
      [["SPY", "--from", "2024-13-01", "--data", "synthetic"], "strat: --from 2024-13-01: not a date (expected YYYY-MM-DD)\n"],
      [["SPY", "--from", "2024-03-01", "--to", "2024-01-01", "--data", "synthetic"], "strat: --from 2024-03-01 is after --to 2024-01-01\n"],
      [["SPY", "--data", "yahoo"], "strat: unknown --data 'yahoo'; expected one of: synthetic, synthetic:SEED, csv:DIR, alpaca, cache\n"],
      [["SPY", "--data", "synthetic:x"], "strat: --data synthetic:x: the seed must be a non-negative integer (e.g. synthetic:7)\n"],
      [["SPY", "--data", "csv:data"], "strat: strat data fetch reads from alpaca or synthetic[:SEED], not 'csv:data' (use: strat data import DIR)\n"],
      [["SPY$", "--data", "synthetic"], "strat: 'SPY$' is not a ticker\n"],
      [["SPY"], "strat: --data alpaca needs Alpaca API keys in APCA_API_KEY_ID and APCA_API_SECRET_KEY (paper-account keys can read market data)\n"],
      [["nope.strat", "--data", "synthetic"], "strat: no such file: nope.strat\n"],
    ])("%j", async (args, message) => {
      const run = await runCli("data", "fetch", ...args, "--cache-dir", tempDir());
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(message);
    });
  });
});

describe("strat data import and ls", () => {
  it("imports a CSV folder and lists it", async () => {
    const csv = tempDir();
    writeFileSync(join(csv, "SPY.csv"), "Date,Close,Adj Close\n2024-01-02,472.65,470.1\n2024-01-03,468.79,466.3\n");
    const cache = tempDir();
    const run = await runCli("data", "import", csv, "--cache-dir", cache);
    expect(run).toEqual({ code: 0, stdout: `ticker  first       last        bars\nSPY     2024-01-02  2024-01-03     2\n1 ticker imported from ${csv} into ${cache}\n`, stderr: "" });
    const list = await runCli("data", "ls", "--json", "--cache-dir", cache);
    expect(JSON.parse(list.stdout).tickers[0]).toMatchObject({ ticker: "SPY", provider: "csv", source: csv, adjustment: "all", first: "2024-01-02", last: "2024-01-03", bars: 2 });
  });

  it("reports a bad CSV line with its location and exits 1", async () => {
    const csv = tempDir();
    writeFileSync(join(csv, "QQQ.csv"), "Date,Close\n2024-01-03,1\n2024-01-02,2\n");
    const run = await runCli("data", "import", csv, "--cache-dir", tempDir());
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`strat: ${join(csv, "QQQ.csv")}:3: QQQ 2024-01-02: dates out of order: 2024-01-02 comes after 2024-01-03 (line 2)\n`);
  });

  it("rejects a missing folder with exit 2 and lists an empty cache", async () => {
    const missing = join(tempDir(), "missing");
    expect(await runCli("data", "import", missing)).toEqual({ code: 2, stdout: "", stderr: `strat: no such folder: ${missing}\n` });
    expect(await runCli("data", "ls", "--cache-dir", missing)).toEqual({ code: 0, stdout: `no cached bars in ${missing}\n`, stderr: "" });
  });
});
