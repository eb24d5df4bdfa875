/**
 * The editor server without a browser: workspace confinement (path traversal), save, import
 * resolution, the backtest endpoint and the Host/Origin guard. Never skipped.
 */
import { request } from "node:http";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backtest } from "../../src/backtest/run.js";
import { SyntheticBarSource } from "../../src/data/synthetic.js";
import { allocationOf, sampleIndices } from "../../src/editor-server/backtest.js";
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
  server = await startEditorServer({ dir, assetsDir: assets, packageRoot: ROOT, port: 0 });
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
