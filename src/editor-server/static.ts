/** Serves the built editor app (dist/editor) read-only; nothing outside that folder. */
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import type { ServerResponse } from "node:http";
import { HttpError } from "./http.js";
import { isFile, resolveInside } from "./paths.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".ttf": "font/ttf",
  ".svg": "image/svg+xml",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

/** Answers GET `urlPath` from `assetsDir`; 403 outside it, 404 when missing. */
export function serveStatic(res: ServerResponse, assetsDir: string, urlPath: string): void {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath).replace(/^\/+/, "");
  } catch {
    throw new HttpError(400, "malformed path");
  }
  if (rel === "") rel = "index.html";
  const full = resolveInside(assetsDir, rel);
  if (full === null) throw new HttpError(403, "outside the editor's files");
  if (!isFile(full)) throw new HttpError(404, `no such file: ${rel}`);
  res.writeHead(200, { "content-type": TYPES[extname(full)] ?? "application/octet-stream", "cache-control": "no-cache" });
  res.end(readFileSync(full));
}
