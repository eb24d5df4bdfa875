/**
 * The one door to Alpaca's REST APIs. Builds the SDK client, sends its requests to the hosts
 * Strat is configured for (APCA_API_BASE_URL / APCA_API_DATA_URL or explicit options), retries
 * transient failures, and turns failures into errors that name the request but never carry
 * credentials. Other modules import the SDK only through this file, so there is one copy of
 * its error classes and one place that knows how its transport is wired.
 *
 * Routing: the SDK's `Alpaca` facade has no base-URL option (its raw `Configuration.basePath`
 * is not passed through), but it does take a documented `fetchApi` replacement. We give it a
 * fetch that rewrites the SDK's fixed hosts to ours and refuses any other host, so the secret
 * headers can only ever reach a host we chose.
 *
 * Retries and timeouts live in that fetch too, not in the SDK: the SDK's own retry has random
 * jitter and a real `setTimeout`, which tests cannot observe, so it is turned off (`retry:
 * false`, `timeoutMs: 0`) and this file is the only retry layer.
 */
import { Alpaca, ApiError, FetchError, marketData, trading } from "@alpacahq/alpaca-trade-api";

/** Alpaca's paper-trading REST host (the SDK's default when `paper` is true). */
export const ALPACA_PAPER_URL: string = trading.TRADING_PAPER_HOST;
/** Alpaca's live-trading REST host. */
export const ALPACA_LIVE_URL: string = trading.TRADING_LIVE_HOST;
/** Alpaca's market-data REST host (paper and live accounts share it). */
export const ALPACA_DATA_URL: string = marketData.MARKET_DATA_HOST;

/** A fetch-compatible function: what the SDK calls, and what we call underneath. */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/** Retry and timeout policy for every Alpaca request. */
export interface AlpacaRetryOptions {
  /** Attempts per request, the first included (default 5; 1 disables retries). */
  maxAttempts?: number;
  /** Backoff before the first retry in ms; doubles per retry (default 500). */
  baseDelayMs?: number;
  /** Cap on one computed backoff in ms (default 16_000). */
  maxDelayMs?: number;
  /** A 429 asking to wait longer than this (ms) is not retried but reported (default 60_000). */
  maxRetryAfterMs?: number;
  /** Per-attempt deadline in ms covering connect, headers and body (default 30_000; 0 disables). */
  timeoutMs?: number;
  /** Waits between attempts; injectable so tests see the delays without waiting (default setTimeout). */
  sleep?: (ms: number) => Promise<void>;
  /** Clock for HTTP-date Retry-After and X-RateLimit-Reset (default the system clock). */
  now?: () => Date;
  /** Observes each retry before its wait: for logs and tests. Must not throw. */
  onRetry?: (event: AlpacaRetryEvent) => void;
}

/** One retry about to happen. */
export interface AlpacaRetryEvent {
  method: string;
  /** URL path, without host or query. */
  path: string;
  /** 1-based number of the attempt that failed. */
  attempt: number;
  /** Wait before the next attempt, in ms. */
  delayMs: number;
  /** HTTP status, when the failure was a response. */
  status?: number;
  /** What went wrong, in words ("HTTP 503", "timeout after 30000 ms", "connection failed (ECONNRESET)"). */
  reason: string;
}

/** Options for {@link createAlpacaClient}. */
export interface AlpacaClientOptions extends AlpacaRetryOptions {
  keyId: string;
  secretKey: string;
  /** Paper trading (default true). Only selects the default trading host; market data ignores it. */
  paper?: boolean;
  /** Trading host override; wins over APCA_API_BASE_URL. */
  baseUrl?: string;
  /** Market-data host override; wins over APCA_API_DATA_URL. */
  dataUrl?: string;
  /** Where APCA_API_BASE_URL / APCA_API_DATA_URL are read from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The fetch underneath routing and retries (default the global fetch, looked up per request). */
  fetch?: FetchFunction;
  /** The SDK's client-side token bucket (default: the SDK's ~200 requests/minute per host); false disables it. */
  rateLimit?: false | { maxRequests?: number; intervalMs?: number; maxConcurrent?: number };
}

/** A configured Alpaca connection. */
export interface AlpacaClient {
  /** The SDK client; its requests go through our routing and retries. Prefer {@link AlpacaClient.call}. */
  readonly sdk: Alpaca;
  /** Trading host actually used (override or Alpaca's paper/live host). */
  readonly tradingUrl: string;
  /** Market-data host actually used (override or Alpaca's). */
  readonly dataUrl: string;
  readonly paper: boolean;
  /**
   * Runs SDK calls and rethrows any Alpaca failure as an {@link AlpacaRequestError} (method,
   * path, status; credentials redacted). Other errors pass through unchanged.
   */
  call<T>(run: (sdk: Alpaca) => Promise<T>): Promise<T>;
}

/** Fields of an {@link AlpacaRequestError}. */
export interface AlpacaRequestErrorInit {
  method: string;
  path: string;
  /** HTTP status of the final response; undefined for network failures and timeouts. */
  status?: number;
  /** Alpaca's error code from the `{ code, message }` body, when present. */
  code?: number | string;
  /** Alpaca's message or the network failure, already free of credentials. */
  reason: string;
  /** Attempts made, the first included. */
  attempts: number;
  /** Alpaca's X-Request-ID, for support tickets. */
  requestId?: string;
  /**
   * Whether repeating the request later could succeed. Defaults from `status`: 408, 429 and
   * 5xx are transient, other statuses are not; without a status (network failure, timeout)
   * transient unless said otherwise (a refused host or a caller's abort is not).
   */
  transient?: boolean;
}

/**
 * A failed Alpaca request: HTTP error after retries, network failure, timeout, or a refused
 * host. The message names method, path and status and never contains headers or keys.
 */
export class AlpacaRequestError extends Error {
  override readonly name = "AlpacaRequestError";
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly code: number | string | undefined;
  readonly attempts: number;
  readonly requestId: string | undefined;
  /** Worth retrying later (429, 5xx, timeouts, dropped connections); see {@link AlpacaRequestErrorInit.transient}. */
  readonly transient: boolean;

  constructor(init: AlpacaRequestErrorInit) {
    const status = init.status !== undefined ? `HTTP ${init.status}` : "no response";
    const tries = init.attempts > 1 ? ` (after ${init.attempts} attempts)` : "";
    super(`Alpaca ${init.method} ${init.path} failed: ${status}: ${init.reason}${tries}`);
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.code = init.code;
    this.attempts = init.attempts;
    this.requestId = init.requestId;
    this.transient = init.transient ?? (init.status === undefined ? true : init.status === 408 || init.status === 429 || init.status >= 500);
  }
}

/** The hosts a client will use, and whether each came from an override. */
export interface AlpacaUrls {
  tradingUrl: string;
  dataUrl: string;
  tradingOverridden: boolean;
  dataOverridden: boolean;
}

/**
 * Resolves the trading and data hosts: explicit option, else APCA_API_BASE_URL /
 * APCA_API_DATA_URL from `env`, else Alpaca's own hosts (paper or live by `paper`, default
 * paper). Throws on a value that is not a plain http(s) URL.
 */
export function resolveAlpacaUrls(options: {
  paper?: boolean;
  baseUrl?: string;
  dataUrl?: string;
  env?: Readonly<Record<string, string | undefined>>;
}): AlpacaUrls {
  const env = options.env ?? process.env;
  const trading = nonEmpty(options.baseUrl) ?? nonEmpty(env["APCA_API_BASE_URL"]);
  const data = nonEmpty(options.dataUrl) ?? nonEmpty(env["APCA_API_DATA_URL"]);
  const tradingLabel = nonEmpty(options.baseUrl) !== undefined ? "baseUrl" : "APCA_API_BASE_URL";
  const dataLabel = nonEmpty(options.dataUrl) !== undefined ? "dataUrl" : "APCA_API_DATA_URL";
  return {
    tradingUrl:
      trading !== undefined ? normalizeUrl(trading, tradingLabel) : options.paper === false ? ALPACA_LIVE_URL : ALPACA_PAPER_URL,
    dataUrl: data !== undefined ? normalizeUrl(data, dataLabel) : ALPACA_DATA_URL,
    tradingOverridden: trading !== undefined,
    dataOverridden: data !== undefined,
  };
}

/**
 * Creates the SDK client with our routing, retries and error translation (see the file
 * comment). Throws if a key is missing or an override URL is malformed; never echoes keys.
 */
export function createAlpacaClient(options: AlpacaClientOptions): AlpacaClient {
  if (!options.keyId || !options.secretKey) {
    throw new Error("Alpaca needs both a key id and a secret key (APCA_API_KEY_ID, APCA_API_SECRET_KEY)");
  }
  const paper = options.paper ?? true;
  const urls = resolveAlpacaUrls({ ...options, paper });
  const redact = redactor([options.secretKey, options.keyId]);
  const fetchApi = routedFetch(routeTable(urls), options, redact);
  const sdk = new Alpaca({
    keyId: options.keyId,
    secret: options.secretKey,
    paper,
    fetchApi,
    // One retry layer (ours), one deadline (ours): see the file comment.
    retry: false,
    timeoutMs: 0,
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
  });
  return {
    sdk,
    tradingUrl: urls.tradingUrl,
    dataUrl: urls.dataUrl,
    paper,
    async call<T>(run: (sdk: Alpaca) => Promise<T>): Promise<T> {
      try {
        return await run(sdk);
      } catch (error) {
        throw translateError(error, redact);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Routing

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

function normalizeUrl(raw: string, label: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${label} is not a valid URL`);
  }
  // The value itself stays out of the messages: a URL with user:password@ would leak it.
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`${label} must be an http(s) URL`);
  if (url.username !== "" || url.password !== "") throw new Error(`${label} must not contain credentials`);
  if (url.search !== "" || url.hash !== "") throw new Error(`${label} must not have a query or fragment`);
  // The SDK's paths already start with /v2, and APCA_API_BASE_URL is often written with it.
  const path = url.pathname.replace(/\/+$/, "").replace(/\/v2$/, "");
  return `${url.origin}${path}`;
}

/** SDK origin → the base URL its requests go to instead. */
function routeTable(urls: AlpacaUrls): Map<string, string> {
  const sandbox = marketData.MARKET_DATA_SANDBOX_HOST;
  return new Map([
    [new URL(ALPACA_PAPER_URL).origin, urls.tradingOverridden ? urls.tradingUrl : ALPACA_PAPER_URL],
    [new URL(ALPACA_LIVE_URL).origin, urls.tradingOverridden ? urls.tradingUrl : ALPACA_LIVE_URL],
    [new URL(ALPACA_DATA_URL).origin, urls.dataUrl],
    [new URL(sandbox).origin, urls.dataOverridden ? urls.dataUrl : sandbox],
  ]);
}

// ---------------------------------------------------------------------------------------------
// Transport: routing, per-attempt deadline, retries

/** Method and path of a final non-2xx response handed to the SDK, for error translation. */
const failedResponses = new WeakMap<Response, { method: string; path: string; attempts: number }>();

/** Safe to repeat after an ambiguous failure: a POST that timed out may have placed an order. */
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS"]);
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

function routedFetch(routes: Map<string, string>, options: AlpacaClientOptions, redact: (text: string) => string): FetchFunction {
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 5));
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 16_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? (() => new Date());
  const backoff = (attempt: number): number => Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));

  return async (rawUrl, init) => {
    const method = (init.method ?? "GET").toUpperCase();
    const source = new URL(rawUrl);
    const path = source.pathname;
    const base = routes.get(source.origin);
    if (base === undefined) {
      throw new AlpacaRequestError({ method, path, reason: `refusing to send credentials to ${source.origin}`, attempts: 0, transient: false });
    }
    const target = `${base}${source.pathname}${source.search}`;
    const fetchImpl = options.fetch ?? globalThis.fetch;
    const callerSignal = init.signal ?? undefined;

    for (let attempt = 1; ; attempt++) {
      const outcome = await attemptOnce(fetchImpl, target, init, callerSignal, timeoutMs);
      const last = attempt >= maxAttempts;
      if (outcome.kind === "error") {
        // The caller gave up: not ours to retry.
        if (callerSignal?.aborted) throw new AlpacaRequestError({ method, path, reason: "aborted by the caller", attempts: attempt, transient: false });
        const reason = redact(outcome.reason);
        if (last || !IDEMPOTENT.has(method)) throw new AlpacaRequestError({ method, path, reason, attempts: attempt });
        const delayMs = backoff(attempt);
        notify(options.onRetry, { method, path, attempt, delayMs, reason });
        await sleep(delayMs);
        continue;
      }
      const response = outcome.response;
      if (response.ok) return response;
      const status = response.status;
      // 429 means Alpaca refused the request unprocessed, so even a POST may be repeated.
      const retryable = status === 429 || (status >= 500 && IDEMPOTENT.has(method));
      if (retryable && !last) {
        const delayMs = status === 429 ? (rateLimitDelay(response.headers, now()) ?? backoff(attempt)) : backoff(attempt);
        if (delayMs <= maxRetryAfterMs) {
          notify(options.onRetry, { method, path, attempt, delayMs, status, reason: `HTTP ${status}` });
          await sleep(delayMs);
          continue;
        }
      }
      // Handed to the SDK so it builds its typed ApiError; we remember what the request was.
      failedResponses.set(response, { method, path, attempts: attempt });
      return response;
    }
  };
}

type AttemptOutcome = { kind: "response"; response: Response } | { kind: "error"; error: unknown; reason: string };

/**
 * One request with its own deadline. The body is read here, inside the deadline, so a
 * connection dropped mid-body is retried like one dropped before the headers.
 */
async function attemptOnce(
  fetchImpl: FetchFunction,
  url: string,
  init: RequestInit,
  callerSignal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<AttemptOutcome> {
  const controller = new AbortController();
  let timedOut = false;
  const timer =
    timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeoutMs)
      : undefined;
  const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) controller.abort(callerSignal.reason);
  else callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  try {
    const raw = await fetchImpl(url, { ...init, signal: controller.signal });
    const body = NULL_BODY_STATUS.has(raw.status) ? null : await raw.arrayBuffer();
    return { kind: "response", response: new Response(body, { status: raw.status, statusText: raw.statusText, headers: raw.headers }) };
  } catch (error) {
    return { kind: "error", error, reason: timedOut ? `timeout after ${timeoutMs} ms` : networkReason(error) };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    callerSignal?.removeEventListener("abort", onCallerAbort);
  }
}

/** A short, credential-free description of a fetch failure (undici hides the errno in `cause`). */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  const detail = code ?? (typeof cause?.message === "string" ? cause.message : error instanceof Error ? error.message : String(error));
  return `connection failed (${detail})`;
}

/** Wait asked for by a 429, in ms: Retry-After (seconds or HTTP date), else X-RateLimit-Reset (unix seconds). */
function rateLimitDelay(headers: Headers, now: Date): number | undefined {
  const retryAfter = headers.get("Retry-After");
  if (retryAfter !== null && retryAfter.trim() !== "") {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const when = Date.parse(retryAfter);
    if (!Number.isNaN(when)) return Math.max(0, when - now.getTime());
  }
  const reset = Number(headers.get("X-RateLimit-Reset") ?? Number.NaN);
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now.getTime());
  return undefined;
}

function notify(onRetry: ((event: AlpacaRetryEvent) => void) | undefined, event: AlpacaRetryEvent): void {
  try {
    onRetry?.(event);
  } catch {
    // An observer must never change whether a request succeeds.
  }
}

// ---------------------------------------------------------------------------------------------
// Errors

function redactor(secrets: string[]): (text: string) => string {
  // Short values would redact ordinary words; real Alpaca keys are 20+ characters.
  const targets = secrets.filter((s) => s.length >= 8);
  return (text) => targets.reduce((out, secret) => out.split(secret).join("[redacted]"), text);
}

/** SDK failure → AlpacaRequestError; anything that is not an Alpaca failure passes through. */
function translateError(error: unknown, redact: (text: string) => string): unknown {
  if (error instanceof AlpacaRequestError) return error;
  // The SDK wraps whatever our fetch throws in a FetchError; ours is the cause.
  if (error instanceof FetchError) {
    if (error.cause instanceof AlpacaRequestError) return error.cause;
    return new AlpacaRequestError({ method: "?", path: "?", reason: redact(error.cause?.message ?? error.message), attempts: 1 });
  }
  if (error instanceof ApiError) {
    const request = failedResponses.get(error.response);
    return new AlpacaRequestError({
      method: request?.method ?? "?",
      path: request?.path ?? "?",
      status: error.status,
      code: error.code,
      reason: redact(error.message),
      attempts: request?.attempts ?? 1,
      requestId: error.requestId,
    });
  }
  return error;
}
