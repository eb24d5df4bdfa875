/**
 * The editor server without a browser: workspace confinement (path traversal), save, import
 * resolution, the backtest endpoint and the Host/Origin guard. Never skipped.
 */
import { request } from "node:http";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultJson } from "../../src/backtest/report/json.js";
import { backtest } from "../../src/backtest/run.js";
import { CachedBarSource } from "../../src/data/cache.js";
import { SyntheticBarSource } from "../../src/data/synthetic.js";
import { allocationOf, sampleIndices } from "../../src/editor-server/backtest.js";
import { CLI_RUN_INPUTS } from "../../src/cli/editor-run-inputs.js";
import { startEditorServer, type EditorServer } from "../../src/editor-server/index.js";
import { compile } from "../../src/lang/compile.js";
import { runCli } from "../helpers/run-cli.js";
import { ROOT, tempWorkspace } from "./helpers.js";

let server: EditorServer;
let dir: string;

/** A raw request, so paths like `/../../etc/passwd` reach the server unnormalised. */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: "127.0.0.1", port: server.port, method, path, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => ok({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", fail);
    req.end(body);
  });
}

const api = (path: string, init?: RequestInit): Promise<Response> => fetch(new URL(path, server.url), init);
const put = (path: string, text: string): Promise<Response> =>
  api("/api/file", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ path, text }) });

beforeAll(async () => {
  dir = tempWorkspace();
  const assets = mkdtempSync(join(tmpdir(), "strat-editor-assets-"));
  writeFileSync(join(assets, "index.html"), "<!doctype html><title>test</title>");
  server = await startEditorServer({ dir, assetsDir: assets, packageRoot: ROOT, port: 0, inputs: CLI_RUN_INPUTS });
});

afterAll(async () => {
  await server?.close();
});

describe("editor server", () => {
  it("listens on 127.0.0.1 and serves the app", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await api("/");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<title>test</title>");
  });

  it("lists the workspace's .strat and .clj files only", async () => {
    const body = (await (await api("/api/files")).json()) as { files: string[] };
    expect(body.files).toEqual(["dual_momentum_gem.strat", "holy_grail.clj", "rsi_dip_buyer.strat", "sixty_forty_trend.strat"]);
  });

  it("reads a file", async () => {
    const body = (await (await api("/api/file?path=sixty_forty_trend.strat")).json()) as { text: string };
    expect(body.text).toBe(readFileSync(join(dir, "sixty_forty_trend.strat"), "utf8"));
  });

  it.each(["../../etc/passwd", "/etc/passwd", "..%2F..%2Fetc%2Fpasswd", "sub/../../outside.strat", "notes.txt"])("refuses to read %s (403)", async (path) => {
    const res = await api(`/api/file?path=${path.includes("%") ? path : encodeURIComponent(path)}`);
    expect(res.status).toBe(403);
  });

  it.each(["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd"])("refuses static path %s (403)", async (path) => {
    expect((await raw("GET", path, { host: `127.0.0.1:${server.port}` })).status).toBe(403);
  });

  it("saves a file inside the workspace", async () => {
    const res = await put("new/strategy.strat", 'strategy "X" { SPY }\n');
    expect(res.status).toBe(200);
    expect(readFileSync(join(dir, "new", "strategy.strat"), "utf8")).toBe('strategy "X" { SPY }\n');
  });

  it.each(["../../etc/passwd", "../escape.strat", "/tmp/escape.strat", "notes.txt", "script.js"])("refuses to save %s (403)", async (path) => {
    expect((await put(path, "x")).status).toBe(403);
  });

  it("refuses requests with another Host or Origin (403)", async () => {
    expect((await raw("GET", "/api/files", { host: "evil.example:80" })).status).toBe(403);
    expect((await raw("GET", "/api/files", { host: `127.0.0.1:${server.port}`, origin: "http://evil.example" })).status).toBe(403);
  });

  it("resolves imports from the workspace and the bundled stdlib", async () => {
    const res = await api("/api/resolve?path=stdlib/hedges.strat&from=rsi_dip_buyer.strat");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { file: string; text: string };
    expect(body.text).toBe(readFileSync(join(ROOT, "stdlib", "hedges.strat"), "utf8"));
    expect((await api("/api/resolve?path=../../etc/passwd&from=a.strat")).status).toBe(404);
  });

  it("backtests the posted text on synthetic data", async () => {
    const text = readFileSync(join(dir, "sixty_forty_trend.strat"), "utf8");
    const res = await api("/api/backtest", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ path: "sixty_forty_trend.strat", text }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { report: { strategy: string; metrics: Record<string, unknown> }; series: { dates: string[]; equity: number[]; benchmark: number[]; drawdown: number[] } };
    expect(body.report.strategy).toBe("60/40 Trend");
    expect(typeof body.report.metrics.cagr).toBe("number");
    expect(body.series.dates.length).toBeGreaterThan(100);
    expect(body.series.equity).toHaveLength(body.series.dates.length);
    expect(body.series.benchmark).toHaveLength(body.series.dates.length);
    expect(Math.max(...body.series.drawdown)).toBeLessThanOrEqual(0);
  });

  it("adds the allocation over time, sampled to 500 sessions, to the backtest reply", async () => {
    const text = readFileSync(join(dir, "sixty_forty_trend.strat"), "utf8");
    const res = await api("/api/backtest", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ path: "sixty_forty_trend.strat", text }) });
    const { series } = (await res.json()) as { series: { dates: string[]; allocation: { dates: string[]; tickers: string[]; weights: number[][] } } };
    const { allocation } = series;
    // The library's own run: weights at each close after the trades.
    const result = await backtest(compile(text, { file: "sixty_forty_trend.strat" }).ir!, new SyntheticBarSource());
    const { dates, weights } = result.simulation;
    expect(series.dates).toEqual(dates);
    expect(dates.length).toBeGreaterThan(500);
    expect(allocation.dates).toHaveLength(500);
    expect(allocation.dates[0]).toBe(dates[0]);
    expect(allocation.dates[499]).toBe(dates[dates.length - 1]);
    // Three holdings, by average weight, no "other".
    const mean = (t: string): number => weights.reduce((s, w) => s + (w.get(t) ?? 0), 0);
    expect([...allocation.tickers].sort()).toEqual(["BIL", "BND", "VTI"]);
    expect(allocation.tickers.map(mean)).toEqual([...allocation.tickers.map(mean)].sort((a, b) => b - a));
    expect(allocation.weights).toHaveLength(3);
    allocation.dates.forEach((date, i) => {
      const day = dates.indexOf(date);
      allocation.tickers.forEach((t, k) => expect(allocation.weights[k]![i]).toBe(weights[day]!.get(t) ?? 0));
    });
  });

  it("keeps the top 10 tickers and sums the rest into other", () => {
    expect(sampleIndices(3, 500)).toEqual([0, 1, 2]);
    const kept = sampleIndices(3775, 500);
    expect(kept).toHaveLength(500);
    expect([kept[0], kept[499]]).toEqual([0, 3774]);
    expect(new Set(kept).size).toBe(500);
    // 12 tickers: T0 holds 12 parts, T1 11, ..., T11 1 (of 78) every day.
    const names = Array.from({ length: 12 }, (_, i) => `T${i}`);
    const day = new Map(names.map((t, i) => [t, (12 - i) / 78]));
    const out = allocationOf(["2020-01-02", "2020-01-03"], [day, day]);
    expect(out.dates).toEqual(["2020-01-02", "2020-01-03"]);
    expect(out.tickers).toEqual([...names.slice(0, 10), "other"]);
    expect(out.weights[0]).toEqual([12 / 78, 12 / 78]);
    expect(out.weights[10]).toEqual([2 / 78 + 1 / 78, 2 / 78 + 1 / 78]);
  });

  it("explains a session: the tree, its values and the open file's lines", async () => {
    const text = readFileSync(join(dir, "sixty_forty_trend.strat"), "utf8");
    const post = (date: string): Promise<Response> =>
      api("/api/explain", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ path: "sixty_forty_trend.strat", text, date }) });
    const res = await post("2020-03-20");
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      strategy: string;
      date: string;
      weights: Record<string, number>;
      lines: number[];
      tree: { kind: string; at: string; condition: { holds: boolean; terms: { text: string; display: string }[] }; children: { kind: string; at: string; children: { label: string; share: number }[] }[] };
    };
    expect(body.strategy).toBe("60/40 Trend");
    expect(body.date).toBe("2020-03-20");
    expect(body.weights).toEqual({ BIL: 0.6, BND: 0.4 });
    expect(body.tree.kind).toBe("if");
    expect(body.tree.at).toBe("sixty_forty_trend.strat:16");
    expect(body.tree.condition.holds).toBe(false);
    expect(body.tree.condition.terms.map((t) => t.text)).toEqual(["ema(SPY, fast)", "ema(SPY, slow)", "max_drawdown(SPY, 63)", "max_dd"]);
    expect(body.tree.condition.terms.map((t) => t.display)).toEqual(["88.0612", "86.1614", "12.3435%", "10%"]);
    expect(body.tree.children[0]!.at).toBe("sixty_forty_trend.strat:19");
    expect(body.tree.children[0]!.children.map((c) => [c.label, c.share])).toEqual([["BIL", 0.6], ["BND", 0.4]]);
    // The if and the else branch taken: lines 16 and 19.
    expect(body.lines).toEqual([16, 19]);
    // The same decision as `strat explain --json`.
    const cli = await runCli("explain", join(dir, "sixty_forty_trend.strat"), "--date", "2020-03-20", "--json");
    expect(cli.code).toBe(0);
    const strip = (value: unknown): string => JSON.stringify(value, (k, v: unknown) => (k === "at" && typeof v === "string" ? v.slice(v.lastIndexOf(":")) : k === "lines" ? undefined : v));
    expect(strip(body)).toBe(strip(JSON.parse(cli.stdout)));
    // A Saturday, a malformed date, a date before the first decision.
    expect((await post("2020-03-21")).status).toBe(422);
    expect((await post("20-03-2020")).status).toBe(400);
    const early = await post("2010-01-05");
    expect(early.status).toBe(422);
    expect(((await early.json()) as { error: string }).error).toContain("not enough history");
  });

  it("answers a ticker's first and last bar date in the synthetic data", async () => {
    const res = await api("/api/ticker/SPY");
    expect(res.status).toBe(200);
    const loaded = (await new SyntheticBarSource().load({ tickers: ["SPY"] })).bars.get("SPY")!;
    expect(await res.json()).toEqual({ ticker: "SPY", first: "2010-01-04", last: "2025-12-31", bars: loaded.dates.length });
    expect(loaded.dates[0]).toBe("2010-01-04");
    expect(loaded.dates[loaded.dates.length - 1]).toBe("2025-12-31");
    expect((await api("/api/ticker/..%2Fetc")).status).toBe(400);
  });

  it("answers 422 with the diagnostics when the strategy does not compile", async () => {
    const res = await api("/api/backtest", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ path: "x.strat", text: 'strategy "X" { if rsi(SPY, 2) < 3 {' }) });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: string; diagnostics: { code: string }[] };
    expect(body.diagnostics.length).toBeGreaterThan(0);
    expect(body.diagnostics[0]!.code).toMatch(/^S\d{4}$/);
  });

  it("rejects malformed bodies (400)", async () => {
    expect((await api("/api/file", { method: "PUT", body: "not json" })).status).toBe(400);
  });
});

/** POST /api/backtest of sixty_forty_trend.strat with the picker's fields. */
async function backtestWith(fields: Record<string, unknown>, target: EditorServer = server, workspace = dir): Promise<{ status: number; body: Record<string, unknown> }> {
  const text = readFileSync(join(workspace, "sixty_forty_trend.strat"), "utf8");
  const res = await fetch(new URL("/api/backtest", target.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ path: "sixty_forty_trend.strat", text, ...fields }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A report with coverage's `file:line` reduced to the line: the CLI names the file by its full path. */
const sameRun = (report: unknown): unknown => JSON.parse(JSON.stringify(report, (k, v: unknown) => (k === "at" && typeof v === "string" ? v.slice(v.lastIndexOf(":")) : v)));

type Report = { params: Record<string, number>; metrics: Record<string, unknown>; start: string; end: string; sessions: number; data: { provider: string } };

describe("backtest settings (the panel's picker)", () => {
  it("runs with params and dates exactly as strat backtest --param --from --to", async () => {
    const run = await backtestWith({ params: { fast: "30", max_dd: "15%" }, from: "2015-01-02", to: "2020-12-31" });
    expect(run.status).toBe(200);
    const report = run.body.report as Report;
    const cli = await runCli("backtest", join(dir, "sixty_forty_trend.strat"), "--param", "fast=30", "--param", "max_dd=15%", "--from", "2015-01-02", "--to", "2020-12-31", "--json");
    expect(cli.code).toBe(0);
    expect(sameRun(report)).toEqual(sameRun(JSON.parse(cli.stdout)));
    expect(report.params).toEqual({ fast: 30, slow: 200, max_dd: 0.15 });
    expect(report.start).toBe("2015-01-02");
    expect(report.end).toBe("2020-12-31");
    // And the defaults are another run: the params reached the evaluation.
    const defaults = (await backtestWith({ from: "2015-01-02", to: "2020-12-31" })).body.report as Report;
    expect(defaults.params).toEqual({ fast: 50, slow: 200, max_dd: 0.1 });
    expect(defaults.metrics.totalReturn).not.toBe(report.metrics.totalReturn);
    const cliDefaults = await runCli("backtest", join(dir, "sixty_forty_trend.strat"), "--from", "2015-01-02", "--to", "2020-12-31", "--json");
    expect(sameRun(defaults)).toEqual(sameRun(JSON.parse(cliDefaults.stdout)));
  });

  it("takes a choice of a set-valued param and a value on a percent grid", async () => {
    const report = (await backtestWith({ params: { slow: "150", max_dd: "17.5%" } })).body.report as Report;
    const cli = await runCli("backtest", join(dir, "sixty_forty_trend.strat"), "--param", "slow=150", "--param", "max_dd=17.5%", "--json");
    expect(sameRun(report)).toEqual(sameRun(JSON.parse(cli.stdout)));
    expect(report.params).toEqual({ fast: 50, slow: 150, max_dd: 0.175 });
  });

  it.each([
    [{ data: "alpaca" }, 400, `'data' must be one of synthetic, cache, not "alpaca"`],
    [{ from: "2020-13-01" }, 400, "'from' takes a date as YYYY-MM-DD, not '2020-13-01'"],
    [{ to: 20200101 }, 400, "'to' must be a date as YYYY-MM-DD"],
    [{ from: "2021-01-04", to: "2020-01-02" }, 400, "the range is empty: 'from' 2021-01-04 is after 'to' 2020-01-02"],
    [{ params: [1] }, 400, "'params' must be an object of NAME: VALUE"],
    [{ params: { fast: "abc" } }, 400, "param 'fast' takes a number such as 50 or 10%, not 'abc'"],
    [{ params: { fast: "" } }, 400, "param 'fast' takes a number such as 50 or 10%, not ''"],
    [{ params: { fast: "120" } }, 422, "param 'fast' must be within its range 10..100, not 120"],
    [{ params: { max_dd: "2.5%" } }, 422, "param 'max_dd' must be within its range 5%..20%, not 2.5%"],
    [{ params: { slow: "300" } }, 422, "param 'slow' must be within its range 100..250, not 300"],
    [{ params: { fast: "35.5" } }, 422, "param 'fast' takes whole numbers, not 35.5"],
    [{ params: { nope: "1" } }, 422, "unknown param 'nope'; the params are fast, max_dd, slow"],
  ])("refuses %j with %i and a message for the panel", async (fields, status, message) => {
    const run = await backtestWith(fields);
    expect(run.status).toBe(status);
    expect(run.body.error).toBe(message);
  });

  it("refuses to vary a param declared without a range", async () => {
    const text = 'param hold = 5\nstrategy "Fixed" {\n  if rsi(SPY, 2) < hold { SPY } else { BIL }\n}\n';
    const post = (params: Record<string, string>): Promise<Response> =>
      api("/api/backtest", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ path: "fixed.strat", text, params }) });
    const res = await post({ hold: "6" });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toBe("param 'hold' is fixed at 5 (declare a range with 'in' to vary it), not 6");
    expect((await post({ hold: "5" })).status).toBe(200);
  });

  it("lists synthetic data only, and answers 422 for the cache, when there is no cache", async () => {
    expect(await (await api("/api/data")).json()).toEqual({ sources: [{ id: "synthetic", label: "Synthetic (seed 42)", first: "2010-01-04", last: "2025-12-31" }] });
    const run = await backtestWith({ data: "cache" });
    expect(run.status).toBe(422);
    expect(run.body.error).toMatch(/^there is no local bar cache in .*\.strat\/data; fill it with: strat data fetch/);
  });

  it("offers and backtests the local cache, as --data cache reads it", async () => {
    const workspace = tempWorkspace();
    const cacheDir = join(workspace, ".strat", "data");
    // Seed 7, not the default 42: a cache run cannot pass for a synthetic one.
    await new CachedBarSource(new SyntheticBarSource({ seed: 7 }), { dir: cacheDir, provider: "synthetic", source: "seed=7" }).load({ tickers: ["AOR", "BIL", "BND", "SPY", "VTI"] });
    const withCache = await startEditorServer({ dir: workspace, assetsDir: ROOT, packageRoot: ROOT, port: 0, inputs: CLI_RUN_INPUTS });
    try {
      const sources = ((await (await fetch(new URL("/api/data", withCache.url))).json()) as { sources: { id: string; label: string }[] }).sources;
      expect(sources.map((s) => [s.id, s.label])).toEqual([
        ["synthetic", "Synthetic (seed 42)"],
        ["cache", "Local cache (5 tickers)"],
      ]);
      const run = await backtestWith({ data: "cache", params: { fast: "30" } }, withCache, workspace);
      expect(run.status).toBe(200);
      const report = run.body.report as Report;
      expect(report.data.provider).toBe("cache");
      const text = readFileSync(join(workspace, "sixty_forty_trend.strat"), "utf8");
      const expected = await backtest(compile(text, { file: "sixty_forty_trend.strat" }).ir!, new CachedBarSource(null, { dir: cacheDir }), { params: { fast: 30 } });
      expect(report.metrics).toEqual(JSON.parse(JSON.stringify(resultJson(expected).metrics)));
      const synthetic = (await backtestWith({ params: { fast: "30" } }, withCache, workspace)).body.report as Report;
      expect(synthetic.metrics.totalReturn).not.toBe(report.metrics.totalReturn);
    } finally {
      await withCache.close();
    }
  });

  it("explains a session with the picked params", async () => {
    const text = readFileSync(join(dir, "sixty_forty_trend.strat"), "utf8");
    const post = async (params: Record<string, string>): Promise<{ tree: { condition: { terms: { text: string; display: string }[] } } }> =>
      (await api("/api/explain", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ path: "sixty_forty_trend.strat", text, date: "2020-03-20", params }) })).json() as never;
    const terms = (await post({ max_dd: "15%" })).tree.condition.terms;
    expect(terms.find((t) => t.text === "max_dd")!.display).toBe("15%");
  });
});

describe("strat editor", () => {
  it("refuses a folder that does not exist (usage error)", async () => {
    const run = await runCli("editor", join(dir, "missing"), "--port", "0");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is not a folder");
  });

  it("refuses a bad port (usage error)", async () => {
    const run = await runCli("editor", dir, "--port", "http");
    expect(run.code).toBe(2);
  });
});
