/**
 * A very small router for the fake Alpaca server: method + path pattern ("/v2/stocks/:symbol/bars")
 * → handler. Each resource module registers its routes on one Router.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { FakeAlpacaState } from "./state.js";

/** A parsed request as handlers see it. */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Values of the pattern's `:name` segments, URL-decoded. */
  params: Record<string, string>;
  /** Parsed JSON body, undefined when there is none. */
  body: unknown;
}

/** What a handler answers; `body` is sent as JSON. */
export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Serves one route against the shared state. */
export type Handler = (request: FakeRequest, state: FakeAlpacaState) => FakeResponse | Promise<FakeResponse>;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

/** Ordered route table: the first route whose method and segments match wins. */
export class Router {
  private readonly routes: Route[] = [];

  /** Registers `handler` for `method` and `pattern`; earlier routes win. */
  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method: method.toUpperCase(), segments: pattern.split("/").filter((s) => s !== ""), handler });
    return this;
  }

  /** The handler and path parameters for a request, or undefined (→ 404). */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | undefined {
    const parts = path.split("/").filter((s) => s !== "");
    for (const route of this.routes) {
      if (route.method !== method.toUpperCase() || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const ok = route.segments.every((segment, i) => {
        const part = parts[i]!;
        if (segment.startsWith(":")) {
          params[segment.slice(1)] = decodeURIComponent(part);
          return true;
        }
        return segment === part;
      });
      if (ok) return { handler: route.handler, params };
    }
    return undefined;
  }
}

/** Alpaca's error envelope: `{ code, message }` with the given status. */
export function apiError(status: number, code: number, message: string, headers?: Record<string, string>): FakeResponse {
  return { status, body: { code, message }, ...(headers ? { headers } : {}) };
}
