/**
 * Orders of the fake Alpaca server: `POST /v2/orders` (market day orders by quantity),
 * `GET /v2/orders`, `GET /v2/orders:by_client_order_id`, `GET /v2/orders/{id}` and
 * `DELETE /v2/orders/{id}`, plus the controls tests drive through the server: fills
 * (`fillPending`), refusals (`rejectNext`) and the clock (`advanceClock`).
 *
 * Fill price: the symbol's latest trade (`state.latestTrades`), else its last daily bar's
 * close, read at the moment of the fill. An order without either stays open.
 * Timing: with fill mode "immediate" an order sent while the market is open fills before the
 * response (faster than Alpaca, which answers "new" and fills a moment later); an order sent
 * while closed is "accepted" and fills when `setClock` reaches its session's open. With
 * "manual", orders wait for `fillPending`. Day orders expire at their session's close.
 */
import { assetOf } from "./assets.js";
import { buyingPowerOf, equityOf } from "./account.js";
import { marketState } from "./clock.js";
import { latestTradeOf } from "./market-data.js";
import { isOpenStatus, reservedQty } from "./positions.js";
import { apiError, type FakeRequest, type FakeResponse, type Router } from "./router.js";
import { wireNumber, type FakeAlpacaState, type FakeOrder } from "./state.js";

/** Registers the order routes. */
export function registerOrders(router: Router): void {
  router
    .add("POST", "/v2/orders", submit)
    .add("GET", "/v2/orders", list)
    .add("GET", "/v2/orders:by_client_order_id", byClientOrderId)
    .add("GET", "/v2/orders/:id", byId)
    .add("DELETE", "/v2/orders/:id", cancel);
}

const EPSILON = 1e-9;
const round9 = (value: number): number => Math.round(value * 1e9) / 1e9;

/** Alpaca's answer to a reused client order id. */
export const DUPLICATE_CLIENT_ORDER_ID_MESSAGE = "client_order_id must be unique";

/** An order in Alpaca's JSON. */
export function toWireOrder(order: FakeOrder): Record<string, unknown> {
  return {
    id: order.id,
    client_order_id: order.clientOrderId,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    submitted_at: order.submittedAt,
    filled_at: order.filledAt,
    expired_at: order.expiredAt,
    canceled_at: order.canceledAt,
    failed_at: order.failedAt,
    replaced_at: null,
    replaced_by: null,
    replaces: null,
    asset_id: assetIdOf(order.symbol),
    symbol: order.symbol,
    asset_class: "us_equity",
    notional: null,
    qty: wireNumber(order.qty),
    filled_qty: wireNumber(order.filledQty),
    filled_avg_price: order.filledQty > 0 ? wireNumber(order.filledNotional / order.filledQty) : null,
    order_class: "",
    order_type: "market",
    type: "market",
    side: order.side,
    position_intent: order.side === "buy" ? "buy_to_open" : "sell_to_close",
    time_in_force: "day",
    limit_price: null,
    stop_price: null,
    status: order.status,
    extended_hours: false,
    legs: null,
    trail_percent: null,
    trail_price: null,
    hwm: null,
    subtag: null,
    source: null,
    expires_at: order.expiresAt,
  };
}

function assetIdOf(symbol: string): string {
  return `00000000-0000-4000-a000-${Buffer.from(symbol, "utf8").toString("hex").padEnd(12, "0").slice(0, 12)}`;
}

function stamp(state: FakeAlpacaState): string {
  return state.now().toISOString();
}

// ---- controls -----------------------------------------------------------------------------------

/**
 * Fills open orders now, whatever the clock says: each order's remaining quantity, or
 * `partial` × its quantity (capped at what remains). Orders marked to be rejected later are
 * rejected instead. `symbol` limits it to one symbol.
 */
export function fillPending(state: FakeAlpacaState, options: { partial?: number; symbol?: string } = {}): void {
  const partial = options.partial;
  if (partial !== undefined && !(partial > 0 && partial <= 1)) throw new RangeError(`partial must be in (0, 1], got ${partial}`);
  for (const order of state.orders) {
    if (!isOpenStatus(order.status) || (options.symbol !== undefined && order.symbol !== options.symbol)) continue;
    const remaining = round9(order.qty - order.filledQty);
    fill(state, order, partial === undefined ? remaining : Math.min(remaining, round9(order.qty * partial)));
  }
}

/**
 * Sets the server's clock to `iso`. Moving forward past a close rolls `last_equity` and
 * expires open day orders of that session; landing in an open session fills waiting orders
 * in "immediate" mode. Moving backwards (e.g. from the default system clock to a test date)
 * only sets the time: nothing is undone or expired.
 */
export function advanceClock(state: FakeAlpacaState, iso: string): void {
  const next = new Date(iso);
  if (Number.isNaN(next.getTime())) throw new RangeError(`not an ISO-8601 instant: '${iso}'`);
  const previous = state.now();
  state.now = () => new Date(next.getTime());
  if (next.getTime() < previous.getTime()) return;
  // Equity at the close passed, valued at the prices the test has set by now.
  if (marketState(state, previous).nextClose.getTime() <= next.getTime()) state.account.lastEquity = equityOf(state);
  for (const order of state.orders) {
    if (isOpenStatus(order.status) && Date.parse(order.expiresAt) <= next.getTime()) {
      order.status = "expired";
      order.expiredAt = order.updatedAt = next.toISOString();
    }
  }
  autoFill(state);
}

/** Immediate mode while open: fill every waiting order of the current session. */
export function autoFill(state: FakeAlpacaState): void {
  if (state.fillMode !== "immediate") return;
  const market = marketState(state, state.now());
  if (!market.isOpen) return;
  for (const order of state.orders) {
    if (isOpenStatus(order.status) && order.session === market.session) fill(state, order, round9(order.qty - order.filledQty));
  }
}

function fill(state: FakeAlpacaState, order: FakeOrder, qty: number): void {
  const now = stamp(state);
  if (order.rejectLater !== null) {
    order.status = "rejected";
    order.failedAt = order.updatedAt = now;
    return;
  }
  const price = latestTradeOf(state, order.symbol)?.p;
  if (price === undefined || qty <= 0) return;
  order.filledQty = round9(order.filledQty + qty);
  order.filledNotional += qty * price;
  order.updatedAt = now;
  if (order.filledQty >= order.qty - EPSILON) {
    order.status = "filled";
    order.filledAt = now;
  } else {
    order.status = "partially_filled";
  }
  const signed = order.side === "buy" ? qty : -qty;
  const position = state.positions.get(order.symbol) ?? { symbol: order.symbol, qty: 0, costBasis: 0 };
  // Sells reduce the cost basis at the average entry price; buys add what they paid.
  const avg = position.qty === 0 ? 0 : position.costBasis / position.qty;
  position.costBasis += order.side === "buy" ? qty * price : -qty * avg;
  position.qty = round9(position.qty + signed);
  if (Math.abs(position.qty) <= EPSILON) state.positions.delete(order.symbol);
  else state.positions.set(order.symbol, position);
  state.account.cash -= signed * price;
}

// ---- routes ---------------------------------------------------------------------------------------

function submit(req: FakeRequest, state: FakeAlpacaState): FakeResponse {
  const body = req.body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return apiError(400, 40010000, "request body format is invalid");
  const fields = body as Record<string, unknown>;
  const symbol = typeof fields["symbol"] === "string" ? fields["symbol"] : "";
  const side = fields["side"];
  const rawQty = fields["qty"];
  if (symbol === "") return apiError(422, 40010001, "symbol is required");
  if (side !== "buy" && side !== "sell") return apiError(422, 40010001, "side must be buy or sell");
  if (fields["type"] !== "market") return apiError(422, 40010001, "the fake accepts market orders only");
  if (fields["time_in_force"] !== "day") return apiError(422, 40010001, "the fake accepts day orders only");
  if (fields["notional"] !== undefined) return apiError(422, 40010001, "the fake does not take notional orders");
  // Alpaca takes qty as a decimal string (fractional) or a number.
  const qty = typeof rawQty === "string" && /^\d+(\.\d+)?$/.test(rawQty) ? Number(rawQty) : typeof rawQty === "number" ? rawQty : Number.NaN;
  if (!(qty > 0)) return apiError(422, 40010001, "qty must be > 0");
  const rawClientId = fields["client_order_id"];
  const clientOrderId = typeof rawClientId === "string" && rawClientId !== "" ? rawClientId : `fake-client-${state.sequence + 1}`;
  if (clientOrderId.length > 128) return apiError(422, 40010001, "client_order_id must be no more than 128 characters");
  if (state.orders.some((o) => o.clientOrderId === clientOrderId)) return apiError(422, 40010001, DUPLICATE_CLIENT_ORDER_ID_MESSAGE);

  const asset = assetOf(state, symbol);
  if (asset === undefined) return apiError(422, 40010001, `asset "${symbol}" not found`);
  if (!asset.tradable || asset.status !== "active") return apiError(422, 40010001, `asset ${symbol} is not tradable`);
  if (!asset.fractionable && Math.abs(qty - Math.round(qty)) > EPSILON) return apiError(422, 40010001, `asset ${symbol} is not fractionable`);
  const account = state.account;
  if (account.tradingBlocked || account.accountBlocked || account.tradeSuspendedByUser) return apiError(403, 40310000, "trading is blocked on this account");
  const now = state.now();
  const market = marketState(state, now);
  if (!market.isOpen && state.rejectWhenClosed) return apiError(403, 40310000, "market is closed");

  const index = state.rejections.findIndex((r) => r.symbol === undefined || r.symbol === symbol);
  const rejection = index >= 0 ? state.rejections.splice(index, 1)[0] : undefined;
  if (rejection !== undefined && !rejection.later) return apiError(403, 40310000, rejection.reason);

  const price = latestTradeOf(state, symbol)?.p;
  if (side === "buy" && price !== undefined && qty * price > buyingPowerOf(state) + EPSILON) {
    return apiError(403, 40310000, "insufficient buying power");
  }
  if (side === "sell") {
    const available = round9((state.positions.get(symbol)?.qty ?? 0) - reservedQty(state, symbol));
    if (qty > available + EPSILON) return apiError(403, 40310000, `insufficient qty available for order (requested: ${qty}, available: ${available})`);
  }

  const sequence = ++state.sequence;
  const at = now.toISOString();
  const order: FakeOrder = {
    id: `61e69015-8549-4bfd-b9c3-${String(sequence).padStart(12, "0")}`,
    clientOrderId,
    symbol,
    side,
    qty: round9(qty),
    filledQty: 0,
    filledNotional: 0,
    status: market.isOpen ? "new" : "accepted",
    createdAt: at,
    submittedAt: at,
    updatedAt: at,
    filledAt: null,
    canceledAt: null,
    expiredAt: null,
    failedAt: null,
    expiresAt: market.nextClose.toISOString(),
    session: market.session,
    rejectLater: rejection?.reason ?? null,
  };
  state.orders.push(order);
  autoFill(state);
  return { status: 200, body: toWireOrder(order) };
}

function list(req: FakeRequest, state: FakeAlpacaState): FakeResponse {
  const status = req.query.get("status") ?? "open";
  if (!["open", "closed", "all"].includes(status)) return apiError(422, 40010001, "invalid status");
  const limit = req.query.has("limit") ? Number(req.query.get("limit")) : 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) return apiError(422, 40010001, "invalid limit");
  const direction = req.query.get("direction") ?? "desc";
  if (direction !== "asc" && direction !== "desc") return apiError(422, 40010001, "invalid direction");
  const symbols = req.query.get("symbols");
  const wanted = symbols === null || symbols === "" ? undefined : new Set(symbols.split(","));
  let orders = state.orders.filter(
    (o) => (status === "all" || (status === "open") === isOpenStatus(o.status)) && (wanted === undefined || wanted.has(o.symbol)),
  );
  if (direction === "desc") orders = [...orders].reverse();
  return { status: 200, body: orders.slice(0, limit).map(toWireOrder) };
}

function byClientOrderId(req: FakeRequest, state: FakeAlpacaState): FakeResponse {
  const clientOrderId = req.query.get("client_order_id");
  if (clientOrderId === null || clientOrderId === "") return apiError(422, 40010001, "client_order_id is missing");
  const order = state.orders.find((o) => o.clientOrderId === clientOrderId);
  return order === undefined ? apiError(404, 40410000, "order not found") : { status: 200, body: toWireOrder(order) };
}

function byId(req: FakeRequest, state: FakeAlpacaState): FakeResponse {
  const order = state.orders.find((o) => o.id === req.params["id"]);
  return order === undefined ? apiError(404, 40410000, "order not found") : { status: 200, body: toWireOrder(order) };
}

function cancel(req: FakeRequest, state: FakeAlpacaState): FakeResponse {
  const order = state.orders.find((o) => o.id === req.params["id"]);
  if (order === undefined) return apiError(404, 40410000, "order not found");
  if (!isOpenStatus(order.status)) return apiError(422, 42210000, `order is not cancelable (status ${order.status})`);
  order.status = "canceled";
  order.canceledAt = order.updatedAt = stamp(state);
  return { status: 204 };
}
