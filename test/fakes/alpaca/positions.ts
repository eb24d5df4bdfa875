/**
 * Positions of the fake Alpaca server: `GET /v2/positions` and `GET /v2/positions/{symbol}`,
 * valued at the latest trade (explicit, else the last bar's close). Orders change them
 * (orders.ts); tests may edit `server.state.positions` directly.
 */
import { assetOf } from "./assets.js";
import { latestTradeOf } from "./market-data.js";
import { apiError, type FakeRequest, type FakeResponse, type Router } from "./router.js";
import { wireNumber, type FakeAlpacaState, type FakePosition } from "./state.js";

/** Registers the position routes. */
export function registerPositions(router: Router): void {
  router.add("GET", "/v2/positions", listPositions).add("GET", "/v2/positions/:symbol", getPosition);
}

/** The price a position is valued at: the latest trade, else its average cost. */
export function markPrice(state: FakeAlpacaState, position: FakePosition): number {
  return latestTradeOf(state, position.symbol)?.p ?? (position.qty === 0 ? 0 : position.costBasis / position.qty);
}

/** Shares of `symbol` already promised to open sell orders. */
export function reservedQty(state: FakeAlpacaState, symbol: string): number {
  return state.orders
    .filter((o) => o.symbol === symbol && o.side === "sell" && isOpenStatus(o.status))
    .reduce((sum, o) => sum + (o.qty - o.filledQty), 0);
}

/** Statuses in which an order may still fill (Alpaca's non-final ones). */
export function isOpenStatus(status: string): boolean {
  return !["filled", "canceled", "expired", "rejected", "done_for_day", "replaced", "calculated"].includes(status);
}

/** A position in Alpaca's JSON. */
export function toWirePosition(state: FakeAlpacaState, position: FakePosition): Record<string, unknown> {
  const price = markPrice(state, position);
  const marketValue = position.qty * price;
  const pl = marketValue - position.costBasis;
  const asset = assetOf(state, position.symbol);
  return {
    asset_id: asset?.id ?? "",
    symbol: position.symbol,
    exchange: asset?.exchange ?? "ARCA",
    asset_class: "us_equity",
    asset_marginable: asset?.marginable ?? true,
    qty: wireNumber(position.qty),
    qty_available: wireNumber(position.qty - reservedQty(state, position.symbol)),
    avg_entry_price: wireNumber(position.qty === 0 ? 0 : position.costBasis / position.qty),
    side: position.qty < 0 ? "short" : "long",
    market_value: wireNumber(marketValue),
    cost_basis: wireNumber(position.costBasis),
    unrealized_pl: wireNumber(pl),
    unrealized_plpc: wireNumber(position.costBasis === 0 ? 0 : pl / position.costBasis),
    unrealized_intraday_pl: wireNumber(pl),
    unrealized_intraday_plpc: wireNumber(position.costBasis === 0 ? 0 : pl / position.costBasis),
    current_price: wireNumber(price),
    lastday_price: wireNumber(price),
    change_today: "0",
  };
}

function listPositions(_req: FakeRequest, state: FakeAlpacaState): FakeResponse {
  const positions = [...state.positions.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  return { status: 200, body: positions.map((p) => toWirePosition(state, p)) };
}

function getPosition(req: FakeRequest, state: FakeAlpacaState): FakeResponse {
  const position = state.positions.get(req.params["symbol"]!);
  if (position === undefined) return apiError(404, 40410000, "position does not exist");
  return { status: 200, body: toWirePosition(state, position) };
}
