/**
 * The editor server without a browser: workspace confinement (path traversal), save, import
 * resolution, the backtest endpoint and the Host/Origin guard. Never skipped.
 */
import { request } from "node:http";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEditorServer, type EditorServer } from "../../src/editor-server/index.js";
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
