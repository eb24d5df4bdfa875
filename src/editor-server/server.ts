/**
 * The `strat editor` HTTP server: the built Monaco app plus a small JSON API over one workspace
 * folder. It listens on 127.0.0.1 only, and refuses requests whose Host or Origin is another
 * site (a web page the user visits must not be able to read or write their strategies).
 */
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { DEFAULT_CACHE_DIR } from "../data/cache-store.js";
import { runEditorBacktest, runEditorExplain, tickerRange } from "./backtest.js";
import { listDataSources } from "./data-sources.js";
import { listFiles, readWorkspaceFile, resolveForBrowser, saveWorkspaceFile } from "./files.js";
import { HttpError, readJson, sendJson, stringField } from "./http.js";
import type { SourceRoots } from "./imports.js";
import type { RunInputs } from "./run-inputs.js";
import { runSettingsOf } from "./run-settings.js";
import { serveStatic } from "./static.js";

export interface EditorServerOptions {
  /** The workspace folder whose `.strat`/`.clj` files are edited. */
  dir: string;
  /** The built app (dist/editor). */
  assetsDir: string;
  /** The package root, for `stdlib/` imports. */
  packageRoot: string;
  /** Port to listen on; 0 picks a free one. */
  port?: number;
  /**
   * The local bar cache the backtest panel may pick. Default: `.strat/data` in `dir` when that
   * exists, else in the working directory, where `strat backtest --data cache` looks.
   */
  cacheDir?: string;
  /** The CLI's `--param`/date parsers and `--data` wiring (see run-inputs.ts). */
  inputs: RunInputs;
}

export interface EditorServer {
  /** e.g. http://127.0.0.1:4780/ */
  url: string;
  port: number;
  close(): Promise<void>;
}

function sameHost(req: IncomingMessage, port: number): boolean {
  const allowed = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!allowed.includes(req.headers.host ?? "")) return false;
  const origin = req.headers.origin;
  return origin === undefined || allowed.some((h) => origin === `http://${h}`);
}

async function route(req: IncomingMessage, res: ServerResponse, roots: SourceRoots, assetsDir: string, cacheDir: string, inputs: RunInputs): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const method = req.method ?? "GET";
  const query = (name: string): string => {
    const value = url.searchParams.get(name);
    if (value === null) throw new HttpError(400, `missing query parameter '${name}'`);
    return value;
  };
  if (url.pathname === "/api/files" && method === "GET") return sendJson(res, 200, listFiles(roots));
  if (url.pathname === "/api/file" && method === "GET") return sendJson(res, 200, readWorkspaceFile(roots, query("path")));
  if (url.pathname === "/api/file" && (method === "PUT" || method === "POST")) {
    const body = await readJson(req);
    return sendJson(res, 200, saveWorkspaceFile(roots, stringField(body, "path"), stringField(body, "text")));
  }
  if (url.pathname === "/api/resolve" && method === "GET") return sendJson(res, 200, resolveForBrowser(roots, query("path"), query("from")));
  if (url.pathname === "/api/data" && method === "GET") return sendJson(res, 200, await listDataSources(cacheDir));
  if (url.pathname === "/api/backtest" && method === "POST") {
    const body = await readJson(req);
    const strategy = typeof body.strategy === "string" ? body.strategy : undefined;
    const run = { settings: runSettingsOf(body, inputs), cacheDir, inputs };
    return sendJson(res, 200, await runEditorBacktest(roots, stringField(body, "path"), stringField(body, "text"), strategy, run));
  }
  if (url.pathname === "/api/explain" && method === "POST") {
    const body = await readJson(req);
    const strategy = typeof body.strategy === "string" ? body.strategy : undefined;
    const run = { settings: runSettingsOf(body, inputs), cacheDir, inputs };
    return sendJson(res, 200, await runEditorExplain(roots, stringField(body, "path"), stringField(body, "text"), stringField(body, "date"), strategy, run));
  }
  if (url.pathname.startsWith("/api/ticker/") && method === "GET") {
    let name: string;
    try {
      name = decodeURIComponent(url.pathname.slice("/api/ticker/".length));
    } catch {
      throw new HttpError(400, "malformed ticker");
    }
    return sendJson(res, 200, await tickerRange(name));
  }
  if (url.pathname.startsWith("/api/")) throw new HttpError(404, `no API ${method} ${url.pathname}`);
  if (method !== "GET" && method !== "HEAD") throw new HttpError(405, "method not allowed");
  // The raw path, not the URL-normalised one: `/../../etc/passwd` must be seen and refused.
  const rawPath = (req.url ?? "/").split("?")[0] ?? "/";
  return serveStatic(res, assetsDir, rawPath);
}

function defaultCacheDir(root: string): string {
  const inWorkspace = join(root, DEFAULT_CACHE_DIR);
  return existsSync(inWorkspace) ? inWorkspace : resolve(DEFAULT_CACHE_DIR);
}

/** Starts the server; resolves once it listens. */
export async function startEditorServer(options: EditorServerOptions): Promise<EditorServer> {
  const roots: SourceRoots = { root: resolve(options.dir), packageRoot: resolve(options.packageRoot) };
  const assetsDir = resolve(options.assetsDir);
  const cacheDir = resolve(options.cacheDir ?? defaultCacheDir(roots.root));
  let port = options.port ?? 0;
  const server: Server = createServer((req, res) => {
    if (!sameHost(req, port)) {
      sendJson(res, 403, { error: "requests from other hosts or origins are refused" });
      return;
    }
    route(req, res, roots, assetsDir, cacheDir, options.inputs).catch((error: unknown) => {
      if (error instanceof HttpError) sendJson(res, error.status, { error: error.message, ...error.details });
      else sendJson(res, 500, { error: `internal error: ${(error as Error).message}` });
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => ok());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
