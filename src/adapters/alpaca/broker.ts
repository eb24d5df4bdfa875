/**
 * The Broker port (src/ports/broker.ts) over Alpaca's Trading API, through the SDK wrapper in
 * client.ts: its routing (APCA_API_BASE_URL / APCA_API_DATA_URL), retries of idempotent
 * requests and redacted errors. This file maps Alpaca's JSON (amounts as strings, times as
 * dates, its larger set of order statuses) to the port's types, and Alpaca's failures to
 * BrokerError / DuplicateOrderError.
 *
 * Paper trading unless `paper: false` is passed explicitly. Market orders only, by quantity,
 * time in force "day" — the orders the live runner places.
 */
import { addDays, isIsoDate } from "../../data/nyse-calendar.js";
import { DataError } from "../../data/errors.js";
import { type Account, type Asset, type Broker, type BrokerOrder, type LatestTrade, type MarketClock, type OrderRequest, type OrderStatus, type Position, type SessionDay } from "../../ports/broker.js";
import { BrokerError, DuplicateOrderError } from "../../trading/broker-errors.js";
import { fetchLatestTrades, type AlpacaFeed } from "./bar-source.js";
import { AlpacaRequestError, createAlpacaClient, type AlpacaClient, type AlpacaClientOptions } from "./client.js";

interface AlpacaBrokerTuning {
  /** Feed for latest trades (default "iex", the one every account may query). */
  feed?: AlpacaFeed;
}

/** Build the client from keys (see {@link AlpacaClientOptions}: hosts, retries, timeouts). */
export interface AlpacaBrokerKeyOptions extends AlpacaBrokerTuning, AlpacaClientOptions {
  client?: undefined;
}

/** Use an existing client (shared with the bar source, or pointed at a fake server). */
export interface AlpacaBrokerClientOptions extends AlpacaBrokerTuning {
  client: AlpacaClient;
}

/** Options for {@link createAlpacaBroker}. */
export type AlpacaBrokerOptions = AlpacaBrokerKeyOptions | AlpacaBrokerClientOptions;

/** The Alpaca broker, which also says which environment it trades in. */
export interface AlpacaBroker extends Broker {
  readonly name: "alpaca";
  /** True for the paper-trading environment. */
  readonly paper: boolean;
  readonly feed: AlpacaFeed;
  readonly client: AlpacaClient;
}

/** The SDK's types, reached through the client so this file does not import the SDK itself. */
type Sdk = AlpacaClient["sdk"];
type SdkOrder = Awaited<ReturnType<Sdk["trading"]["orders"]["getOrderByClientOrderId"]>>;
type SdkAccount = Awaited<ReturnType<Sdk["trading"]["account"]["getAccount"]>>;
type SdkPosition = Awaited<ReturnType<Sdk["trading"]["positions"]["getAllOpenPositions"]>>[number];

/** Alpaca's cap on `limit` for order lists. */
const MAX_ORDERS_PER_PAGE = 500;
/** Alpaca's cap on client order id length. */
const MAX_CLIENT_ORDER_ID = 128;

/**
 * Creates the Alpaca broker. With keys it builds its own client (paper unless `paper` is
 * exactly false); with `client` it uses that one and its environment. Every method rejects
 * only with a BrokerError (DuplicateOrderError from `submitOrder`); the messages name the
 * request and status and never contain the keys.
 */
export function createAlpacaBroker(options: AlpacaBrokerOptions): AlpacaBroker {
  let client: AlpacaClient;
  let redact: (text: string) => string = (text) => text;
  if (options.client !== undefined) {
    client = options.client;
  } else {
    // Live only on an explicit `false`: a missing or odd value from configuration means paper.
    client = createAlpacaClient({ ...options, paper: options.paper !== false });
    const secrets = [options.secretKey, options.keyId].filter((s) => s.length >= 8);
    redact = (text) => secrets.reduce((out, secret) => out.split(secret).join("[redacted]"), text);
  }
  const feed = options.feed ?? "iex";
  const call = async <T>(run: (sdk: Sdk) => Promise<T>): Promise<T> => {
    try {
      return await client.call(run);
    } catch (error) {
      throw toBrokerError(error, redact);
    }
  };

  return {
    name: "alpaca",
    paper: client.paper,
    feed,
    client,

    async account(): Promise<Account> {
      return toAccount(await call((sdk) => sdk.trading.account.getAccount()));
    },

    async clock(): Promise<MarketClock> {
      // /v2/clock: the SDK's `clock()` is the multi-market /v3 clock; the US one is enough here.
      const clock = await call((sdk) => sdk.trading.clock.legacyClock());
      return {
        timestamp: isoOf(clock.timestamp, "clock timestamp"),
        isOpen: clock.isOpen === true,
        nextOpen: isoOf(clock.nextOpen, "clock next_open"),
        nextClose: isoOf(clock.nextClose, "clock next_close"),
      };
    },

    async calendar(from: string, to: string): Promise<SessionDay[]> {
      for (const [label, date] of [["from", from], ["to", to]] as const) {
        if (!isIsoDate(date)) throw new BrokerError(`calendar '${label}' must be a YYYY-MM-DD date, got '${date}'`, false, null);
      }
      if (from > to) return [];
      // The SDK sends instants, and Alpaca may read them as UTC or New York dates. Ask for a
      // day either side and keep exactly [from, to], so neither reading drops or adds a day.
      const days = await call((sdk) =>
        sdk.trading.calendar.legacyCalendar({ start: new Date(`${addDays(from, -1)}T12:00:00Z`), end: new Date(`${addDays(to, 1)}T12:00:00Z`) }),
      );
      return days
        .map((day) => ({ date: isoOf(day.date, "calendar date").slice(0, 10), open: hhmm(day.open, "calendar open"), close: hhmm(day.close, "calendar close") }))
        .filter((day) => day.date >= from && day.date <= to)
        .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    },

    async assets(symbols: readonly string[]): Promise<Map<string, Asset>> {
      const out = new Map<string, Asset>();
      // One request per symbol: the full asset list is tens of thousands of entries.
      for (const symbol of new Set(symbols)) {
        try {
          const asset = await call((sdk) => sdk.trading.assets.getV2AssetsSymbolOrAssetId({ symbolOrAssetId: symbol }));
          // An inactive asset cannot be traded whatever its `tradable` flag says.
          out.set(symbol, { symbol, tradable: asset.tradable === true && asset.status === "active", fractionable: asset.fractionable === true });
        } catch (error) {
          if (error instanceof BrokerError && error.status === 404) continue;
          throw error;
        }
      }
      return out;
    },

    async positions(): Promise<Position[]> {
      const positions = await call((sdk) => sdk.trading.positions.getAllOpenPositions());
      return positions.map(toPosition).sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
    },

    async openOrders(): Promise<BrokerOrder[]> {
      const orders = await call((sdk) => sdk.trading.orders.getAllOrders({ status: "open", limit: MAX_ORDERS_PER_PAGE, direction: "asc" }));
      // Paging by time could skip orders sharing a timestamp; a full page means we cannot
      // vouch for the list, and a runner must not act on a partial one.
      if (orders.length >= MAX_ORDERS_PER_PAGE) {
        throw new BrokerError(`Alpaca reports ${MAX_ORDERS_PER_PAGE} or more open orders; refusing to work from a partial list`, false, null);
      }
      return orders.map(toBrokerOrder);
    },

    /**
     * Places a market day order for `qty` shares (sent as a decimal string, so fractional
     * quantities are exact to 9 places) under `clientOrderId`.
     *
     * Never retried blindly: the client repeats a POST only on 429 (Alpaca refused it
     * unprocessed), never on 5xx, timeouts or dropped connections, because the order may have
     * been placed and only the answer lost. Such failures reject with a transient BrokerError;
     * the caller must then look the order up with {@link Broker.orderByClientId} before
     * submitting again (the live runner does). A resubmission with the same client id is
     * refused by Alpaca (422) and surfaces as DuplicateOrderError, so it can never double an
     * order. Refusals (buying power, quantity, asset, market closed) are non-transient
     * BrokerErrors carrying Alpaca's message and status, and no order exists afterwards.
     */
    async submitOrder(request: OrderRequest): Promise<BrokerOrder> {
      validateRequest(request);
      try {
        const placed = await call((sdk) =>
          sdk.trading.orders.market({
            symbol: request.symbol,
            side: request.side,
            qty: formatQty(request.qty),
            timeInForce: "day",
            clientOrderId: request.clientOrderId,
          }),
        );
        return toBrokerOrder(placed);
      } catch (error) {
        if (error instanceof BrokerError && isDuplicateClientOrderId(error)) throw new DuplicateOrderError(request.clientOrderId);
        throw error;
      }
    },

    async orderByClientId(clientOrderId: string): Promise<BrokerOrder | null> {
      try {
        return toBrokerOrder(await call((sdk) => sdk.trading.orders.getOrderByClientOrderId({ clientOrderId })));
      } catch (error) {
        if (error instanceof BrokerError && error.status === 404) return null;
        throw error;
      }
    },

    async cancelOrder(id: string): Promise<void> {
      // Alpaca answers 204 and cancels asynchronously; 422 means the order is no longer open.
      await call((sdk) => sdk.trading.orders.deleteOrderByOrderID({ orderId: id }));
    },

    /**
     * Latest trade per symbol on the configured feed. A symbol Alpaca has no (positive) trade
     * for is left out of the map, like an unknown asset in `assets`, so the caller decides
     * (the live runner refuses to trade on it).
     */
    async latestTrades(symbols: readonly string[]): Promise<Map<string, LatestTrade>> {
      let pending = [...new Set(symbols)];
      // fetchLatestTrades stops at the first symbol without a usable trade and names it: drop
      // that one and ask again for the rest (one extra request per such symbol, none usually).
      for (;;) {
        try {
          return pending.length === 0 ? new Map() : await fetchLatestTrades(client, pending, { feed });
        } catch (error) {
          const missing = error instanceof DataError ? error.location.ticker : undefined;
          if (missing === undefined || !pending.includes(missing)) throw toBrokerError(error, redact);
          pending = pending.filter((symbol) => symbol !== missing);
        }
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Errors

/**
 * Any failure → BrokerError. Alpaca request failures keep their status and are transient for
 * 408, 429, 5xx, timeouts and dropped connections (the client decides; see
 * AlpacaRequestError.transient); data problems (a symbol without a trade) and anything else
 * are not. The original error is kept as `cause`.
 */
export function toBrokerError(error: unknown, redact: (text: string) => string = (text) => text): BrokerError {
  if (error instanceof BrokerError) return error;
  let out: BrokerError;
  if (error instanceof AlpacaRequestError) out = new BrokerError(redact(error.message), error.transient, error.status ?? null);
  else if (error instanceof DataError) out = new BrokerError(redact(`Alpaca: ${error.message}`), false, null);
  else out = new BrokerError(redact(`Alpaca request failed: ${error instanceof Error ? error.message : String(error)}`), false, null);
  out.cause = error;
  return out;
}

/** Alpaca's 422 for a reused client order id ("client_order_id must be unique"). */
function isDuplicateClientOrderId(error: BrokerError): boolean {
  return error.status === 422 && /client[_ ]?order[_ ]?id/i.test(error.message) && /unique|already exists|duplicate/i.test(error.message);
}

// ---------------------------------------------------------------------------------------------
// Mapping

/**
 * Alpaca's order statuses → the port's. The port's own values pass through; Alpaca's rarer
 * ones map to what the runner must do about them: still working (accepted_for_bidding,
 * pending_replace, stopped, suspended, held → open, or partially_filled once shares filled),
 * or settled for the day (calculated → filled when complete, else done_for_day). An unknown
 * status counts as open, so the runner keeps watching rather than assuming an outcome.
 */
export function mapOrderStatus(status: string | undefined, filledQty: number, qty: number): OrderStatus {
  switch (status) {
    case "new":
    case "accepted":
    case "pending_new":
    case "partially_filled":
    case "filled":
    case "canceled":
    case "expired":
    case "rejected":
    case "done_for_day":
    case "pending_cancel":
    case "replaced":
      return status;
    case "calculated":
      return filledQty >= qty - 1e-9 ? "filled" : "done_for_day";
    case "accepted_for_bidding":
      return filledQty > 0 ? "partially_filled" : "pending_new";
    case "pending_replace":
    case "stopped":
      return filledQty > 0 ? "partially_filled" : "new";
    default:
      // suspended, held, and anything Alpaca adds later.
      return filledQty > 0 ? "partially_filled" : "accepted";
  }
}

/**
 * An SDK order → BrokerOrder. `reason` is always null: Alpaca's order object carries no
 * rejection or cancel reason (only the trade_updates stream does); refusals at submission
 * arrive as errors with Alpaca's message instead.
 */
export function toBrokerOrder(order: SdkOrder): BrokerOrder {
  const id = order.id;
  if (id === undefined || id === "") throw new BrokerError("Alpaca sent an order without an id", false, null);
  const qty = amount(order.qty, `order ${id} qty`);
  const filledQty = order.filledQty === undefined ? 0 : amount(order.filledQty, `order ${id} filled_qty`);
  const side = order.side;
  if (side !== "buy" && side !== "sell") throw new BrokerError(`Alpaca order ${id} has side '${String(side)}'`, false, null);
  return {
    id,
    clientOrderId: order.clientOrderId ?? "",
    symbol: order.symbol ?? "",
    side,
    qty,
    filledQty,
    filledAvgPrice: order.filledAvgPrice === undefined || order.filledAvgPrice === null ? null : amount(order.filledAvgPrice, `order ${id} filled_avg_price`),
    status: mapOrderStatus(order.status, filledQty, qty),
    submittedAt: isoOf(order.submittedAt ?? order.createdAt, `order ${id} submitted_at`),
    reason: null,
  };
}

/**
 * Trading counts as blocked when any of Alpaca's blocks is set or the account is not ACTIVE
 * (Alpaca: anything else means a problem); a live runner should stop rather than guess.
 */
function toAccount(account: SdkAccount): Account {
  return {
    equity: amount(account.equity, "account equity"),
    cash: amount(account.cash, "account cash"),
    buyingPower: amount(account.buyingPower, "account buying_power"),
    lastEquity: amount(account.lastEquity, "account last_equity"),
    tradingBlocked: account.tradingBlocked === true || account.accountBlocked === true || account.tradeSuspendedByUser === true || account.status !== "ACTIVE",
  };
}

/** Short positions have a negative quantity (Alpaca may send the size unsigned with side "short"). */
function toPosition(position: SdkPosition): Position {
  const qty = amount(position.qty, `position ${position.symbol} qty`);
  return {
    symbol: position.symbol,
    qty: position.side === "short" ? -Math.abs(qty) : qty,
    marketValue: amount(position.marketValue, `position ${position.symbol} market_value`),
  };
}

/** A decimal string (or number) from Alpaca → a finite number; anything else is a protocol error. */
function amount(value: unknown, what: string): number {
  const parsed = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
  if (!Number.isFinite(parsed)) throw new BrokerError(`Alpaca sent a non-numeric ${what}: ${JSON.stringify(value) ?? "undefined"}`, false, null);
  return parsed;
}

/** A date the SDK parsed → ISO-8601 UTC; an invalid or missing one is a protocol error. */
function isoOf(value: unknown, what: string): string {
  const instant = value instanceof Date ? value : typeof value === "string" ? new Date(value) : undefined;
  if (instant === undefined || Number.isNaN(instant.getTime())) throw new BrokerError(`Alpaca sent an invalid ${what}`, false, null);
  return instant.toISOString();
}

function hhmm(value: unknown, what: string): string {
  if (typeof value !== "string" || !/^\d{2}:\d{2}$/.test(value)) throw new BrokerError(`Alpaca sent an invalid ${what}: ${JSON.stringify(value) ?? "undefined"}`, false, null);
  return value;
}

/**
 * Shares as Alpaca's decimal string: at most 9 decimals, no exponent, no float noise
 * (0.1 + 0.2 → "0.3", 1e-7 → "0.0000001").
 */
export function formatQty(qty: number): string {
  return qty.toFixed(9).replace(/\.?0+$/, "");
}

/** What Alpaca would refuse anyway, refused before a request is sent. */
function validateRequest(request: OrderRequest): void {
  if (request.clientOrderId === "" || request.clientOrderId.length > MAX_CLIENT_ORDER_ID) {
    throw new BrokerError(`client order id must be 1 to ${MAX_CLIENT_ORDER_ID} characters`, false, null);
  }
  if (request.symbol.trim() === "") throw new BrokerError("symbol is required", false, null);
  if (request.side !== "buy" && request.side !== "sell") throw new BrokerError(`invalid side '${String(request.side)}'`, false, null);
  if (!Number.isFinite(request.qty) || request.qty <= 0) throw new BrokerError(`qty must be a positive number, got ${request.qty}`, false, null);
  if (formatQty(request.qty) === "0") throw new BrokerError(`qty ${request.qty} rounds to 0 at 9 decimals`, false, null);
}
