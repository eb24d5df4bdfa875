/**
 * A fake Alpaca HTTP server on 127.0.0.1 (random port) speaking Alpaca's wire format, for
 * adapter and broker contract tests. Trading and market-data routes share one server (their
 * paths do not overlap), so a test points both APCA_API_BASE_URL and APCA_API_DATA_URL at
 * `server.url`.
 *
 * Layout, so it can grow: `alpaca/state.ts` holds the in-memory state, `alpaca/router.ts` the
 * routing, `alpaca/faults.ts` fault injection, and one module per resource registers its
 * routes (`alpaca/<resource>.ts`: market data, account, clock, calendar, assets, positions,
 * orders), each listed in `RESOURCES` below.
 *
 * Trading controls: `setClock` moves the market clock (is_open comes from the calendar and
 * that time), `fillPending` fills waiting orders, `rejectNext` refuses an order, and
 * `inject({ …, serveFirst: true })` loses a response after the request took effect. Fill
 * prices are the symbol's latest trade, else its last bar's close (see alpaca/orders.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FaultInjector, faultBody, type FaultSpec } from "./alpaca/faults.js";
import { registerAccount } from "./alpaca/account.js";
import { registerAssets } from "./alpaca/assets.js";
import { registerCalendar } from "./alpaca/calendar.js";
import { registerClock } from "./alpaca/clock.js";
import { registerMarketData } from "./alpaca/market-data.js";
import { advanceClock, autoFill, fillPending, registerOrders } from "./alpaca/orders.js";
import { registerPositions } from "./alpaca/positions.js";
import { Router, apiError, type FakeResponse } from "./alpaca/router.js";
import { createState, type FakeAlpacaSeed, type FakeAlpacaState, type FakeFillMode } from "./alpaca/state.js";

export type { FaultSpec } from "./alpaca/faults.js";
export type {
  FakeAccount,
  FakeAlpacaSeed,
  FakeAlpacaState,
  FakeAsset,
  FakeFillMode,
  FakeOrder,
  FakePosition,
  FakeSession,
  WireBar,
  WireTrade,
} from "./alpaca/state.js";
export { dailyBar, linearBars, newYorkMidnight, weekdays } from "./alpaca/state.js";
export { DUPLICATE_CLIENT_ORDER_ID_MESSAGE } from "./alpaca/orders.js";

/** Every resource module's route registration, in matching order. */
const RESOURCES: ReadonlyArray<(router: Router) => void> = [
  registerMarketData,
  registerAccount,
  registerClock,
  registerCalendar,
  registerAssets,
  registerPositions,
  registerOrders,
];

/** Keys the fake accepts unless told otherwise. */
export const FAKE_KEY_ID = "FAKEKEYID00000000000";
export const FAKE_SECRET_KEY = "fake-secret-key-0123456789abcdefghijklmn";

/** Seed data plus the keys the server accepts (default FAKE_KEY_ID / FAKE_SECRET_KEY). */
export interface FakeAlpacaServerOptions extends FakeAlpacaSeed {
  keyId?: string;
  secretKey?: string;
}

/** One request as the server saw it (the secret header is never recorded). */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Query parameters, decoded. */
  query: Record<string, string>;
  /** Whether both key headers matched. */
  authorized: boolean;
  /** The injected fault that hit this request, if any: "status 429", "drop", "delay 500ms", … */
  fault?: string;
  body?: unknown;
}

/** A running fake server and its controls. */
export interface FakeAlpacaServer {
  /** Base URL, e.g. "http://127.0.0.1:54321" (no trailing slash). */
  readonly url: string;
  readonly keyId: string;
  readonly secretKey: string;
  readonly state: FakeAlpacaState;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Requests whose path equals `path` or matches the pattern. */
  requestsTo(path: string | RegExp): RecordedRequest[];
  /** Queues a fault (see FaultSpec): e.g. `{ status: 429, retryAfter: 1 }` for the next request. */
  inject(fault: FaultSpec): void;
  /** Faults injected but not yet used up. */
  readonly pendingFaults: number;
  /** Drops every queued fault. */
  clearFaults(): void;
  /**
   * Sets the server's clock to `iso`: the market opens and closes by the calendar. Moving
   * forward past a close expires that session's day orders and rolls `last_equity`; reaching
   * an open fills waiting orders in "immediate" mode. Moving backwards only sets the time.
   */
  setClock(iso: string): void;
  /** Fills open orders now at the latest price: all that remains, or `partial` × each order's qty. */
  fillPending(options?: { partial?: number; symbol?: string }): void;
  /**
   * Refuses the next order for `symbol` (any symbol when undefined) with `reason`: a 403 with
   * Alpaca's `{ code, message }` body and no order, or with `later` an accepted order that
   * turns "rejected" when it would fill.
   */
  rejectNext(symbol: string | undefined, reason: string, options?: { later?: boolean }): void;
  /** "immediate" (default) or "manual" fills; switching to immediate fills what may fill now. */
  setFillMode(mode: FakeFillMode): void;
  /** Whether orders sent while the market is closed get a 403 instead of waiting for the open. */
  setRejectWhenClosed(reject: boolean): void;
  /** Stops listening, drops open connections and pending delayed responses. */
  close(): Promise<void>;
}

/** Starts a fake Alpaca server on 127.0.0.1 with a random port. */
export async function startFakeAlpacaServer(options: FakeAlpacaServerOptions = {}): Promise<FakeAlpacaServer> {
  const keyId = options.keyId ?? FAKE_KEY_ID;
  const secretKey = options.secretKey ?? FAKE_SECRET_KEY;
  const state = createState(options);
  const router = new Router();
  for (const register of RESOURCES) register(router);
  const faults = new FaultInjector();
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let requestIds = 0;

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const send = (res: ServerResponse, response: FakeResponse): void => {
    if (res.destroyed || res.writableEnded) return; // the client gave up (timeout) meanwhile
    const body = response.body === undefined ? "" : JSON.stringify(response.body);
    res.writeHead(response.status, {
      "Content-Type": "application/json; charset=UTF-8",
      "X-Request-ID": `fake-${++requestIds}`,
      ...response.headers,
    });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = (req.method ?? "GET").toUpperCase();
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    const authorized = req.headers["apca-api-key-id"] === keyId && req.headers["apca-api-secret-key"] === secretKey;
    const record: RecordedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), authorized };
    if (body !== undefined) record.body = body;
    requests.push(record);

    const fault = faults.take(method, url.pathname);
    if (fault !== undefined) {
      const kinds: string[] = [];
      let served: FakeResponse | undefined;
      if (fault.serveFirst) {
        // The request takes effect (only when it would have been served), then its answer is
        // lost (status, drop) or only late (delay alone, e.g. past the client's timeout).
        kinds.push("served");
        const match = authorized ? router.match(method, url.pathname) : undefined;
        if (match !== undefined) {
          served = await match.handler({ method, path: url.pathname, query: url.searchParams, headers: req.headers, params: match.params, body }, state);
        }
      }
      if (fault.delayMs !== undefined) kinds.push(`delay ${fault.delayMs}ms`);
      if (fault.drop) kinds.push(fault.drop === "mid-body" ? "drop mid-body" : "drop");
      else if (fault.status !== undefined) kinds.push(`status ${fault.status}`);
      record.fault = kinds.join(", ");
      if (fault.delayMs !== undefined) await wait(fault.delayMs);
      if (fault.drop === "mid-body") {
        if (res.destroyed) return;
        res.writeHead(200, { "Content-Type": "application/json; charset=UTF-8", "Content-Length": "1000" });
        res.write('{"bars":{"');
        // Give the headers and the partial body time to leave before the reset.
        setImmediate(() => req.socket.destroy());
        return;
      }
      if (fault.drop) {
        req.socket.destroy();
        return;
      }
      if (fault.status !== undefined) {
        const headers: Record<string, string> = fault.retryAfter !== undefined ? { "Retry-After": String(fault.retryAfter) } : {};
        send(res, { status: fault.status, body: fault.body ?? faultBody(fault.status), headers });
        return;
      }
      // Already served: never run the handler twice.
      if (served !== undefined) {
        send(res, served);
        return;
      }
    }

    if (!authorized) {
      send(res, apiError(401, 40110000, "request is not authorized"));
      return;
    }
    const match = router.match(method, url.pathname);
    if (match === undefined) {
      send(res, apiError(404, 40410000, "endpoint not found"));
      return;
    }
    const response = await match.handler({ method, path: url.pathname, query: url.searchParams, headers: req.headers, params: match.params, body }, state);
    send(res, response);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      send(res, apiError(500, 50000000, `fake server error: ${error instanceof Error ? error.message : String(error)}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    keyId,
    secretKey,
    state,
    requests,
    requestsTo: (path) => requests.filter((r) => (typeof path === "string" ? r.path === path : path.test(r.path))),
    inject: (fault) => faults.inject(fault),
    get pendingFaults() {
      return faults.pending;
    },
    clearFaults: () => faults.clear(),
    setClock: (iso) => advanceClock(state, iso),
    fillPending: (options) => fillPending(state, options),
    rejectNext: (symbol, reason, options) => {
      state.rejections.push({ symbol, reason, later: options?.later ?? false });
    },
    setFillMode: (mode) => {
      state.fillMode = mode;
      autoFill(state);
    },
    setRejectWhenClosed: (reject) => {
      state.rejectWhenClosed = reject;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
