/**
 * An in-memory Broker (DESIGN.md §8) for the live runner's parity tests and dry runs: a manual
 * clock, a price feed set by hand, the NYSE calendar (src/data/nyse-calendar.ts), market day
 * orders filled at the current price (plus optional slippage), fractional shares and cash
 * accounting. No network, no timers, no randomness: the same calls give the same results.
 *
 * It behaves like the Alpaca adapter where the runner can tell: duplicate client order ids
 * are refused with DuplicateOrderError, orders sent while the market is closed wait
 * ("accepted") for the next session, day orders expire at their session's close, and
 * refusals (funds, quantity, asset) are non-transient BrokerErrors with Alpaca's statuses.
 * test/broker/contract.test.ts runs one suite against both.
 */
import { isIsoDate, sessionsBetween } from "../data/nyse-calendar.js";
import { type Account, type Asset, type Broker, type BrokerOrder, type LatestTrade, type MarketClock, type OrderRequest, type OrderStatus, type Position, type SessionDay } from "../ports/broker.js";
import { BrokerError, DuplicateOrderError, FINAL_ORDER_STATUSES } from "./broker-errors.js";
import { nyseClock, nyseSession } from "../data/market-hours.js";

// ---------------------------------------------------------------------------------------------
// New York time and the NYSE session clock

export type SimFillMode = "immediate" | "manual";

/** Starting state and behaviour of a {@link SimBroker}. */
export interface SimBrokerOptions {
  /** The broker's clock, ISO-8601 (required: a simulation never reads the system clock). */
  now: string;
  /** Starting cash (default 100 000). */
  cash?: number;
  /** Starting shares per symbol (default none). */
  positions?: Readonly<Record<string, number>> | ReadonlyMap<string, number>;
  /** Latest prices per symbol, stamped `now` (default none; see {@link SimBroker.setPrices}). */
  prices?: Readonly<Record<string, number>> | ReadonlyMap<string, number>;
  /** Assets that differ from the default (every priced symbol tradable and fractionable). */
  assets?: Readonly<Record<string, Partial<Omit<Asset, "symbol">>>>;
  /** Equity at the previous close (default the starting equity); rolls at each close the clock passes. */
  lastEquity?: number;
  /** Fill price penalty in basis points: buys pay price·(1+bps/10⁴), sells get price·(1−bps/10⁴) (default 0). */
  slippageBps?: number;
  /** Default "immediate". */
  fills?: SimFillMode;
  /** Refuse orders while the market is closed instead of queueing them (default false). */
  rejectWhenClosed?: boolean;
  /** True blocks all trading, like a restricted account (default false). */
  tradingBlocked?: boolean;
  /** Broker name in logs (default "sim"). */
  name?: string;
}

/** One queued refusal (see {@link SimBroker.rejectNext}). */
interface Rejection {
  symbol: string | undefined;
  reason: string;
  /** Accept the order, then reject it when it would fill (an exchange rejection). */
  later: boolean;
}

interface SimOrder {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: "buy" | "sell";
  qty: number;
  filledQty: number;
  /** Sum of qty·price over fills, for the average price. */
  filledNotional: number;
  status: OrderStatus;
  submittedAt: string;
  reason: string | null;
  /** Day order: expires when the clock reaches this close (ms since epoch). */
  expiresAt: number;
  /** The session the order lives in (YYYY-MM-DD). */
  session: string;
  rejectLater: string | null;
}

const DEFAULT_CASH = 100_000;
/** Quantities are kept to Alpaca's 9 decimals so sums of fractional fills stay exact enough. */
const QTY_SCALE = 1e9;
const EPSILON = 1e-9;

const round9 = (value: number): number => Math.round(value * QTY_SCALE) / QTY_SCALE;

function entries<T>(source: Readonly<Record<string, T>> | ReadonlyMap<string, T> | undefined): [string, T][] {
  if (source === undefined) return [];
  return source instanceof Map ? [...source] : Object.entries(source as Record<string, T>);
}

/**
 * The simulated broker. Port methods never throw for a reason Alpaca would not: refusals are
 * BrokerErrors with `transient` false and Alpaca's HTTP status (403 funds/quantity/blocked/closed,
 * 404 unknown order, 422 invalid request or asset, 422 DuplicateOrderError).
 */
export class SimBroker implements Broker {
  readonly name: string;
  private now: Date;
  private cash: number;
  private lastEquity: number;
  private readonly slippage: number;
  private fillMode: SimFillMode;
  private rejectWhenClosed: boolean;
  private tradingBlocked: boolean;
  private readonly prices = new Map<string, LatestTrade>();
  private readonly holdings = new Map<string, number>();
  private readonly assetOverrides = new Map<string, Partial<Omit<Asset, "symbol">>>();
  private readonly orders: SimOrder[] = [];
  private readonly byClientId = new Map<string, SimOrder>();
  private readonly rejections: Rejection[] = [];
  private sequence = 0;

  constructor(options: SimBrokerOptions) {
    this.name = options.name ?? "sim";
    this.now = parseInstant(options.now);
    this.cash = options.cash ?? DEFAULT_CASH;
    this.slippage = (options.slippageBps ?? 0) / 10_000;
    this.fillMode = options.fills ?? "immediate";
    this.rejectWhenClosed = options.rejectWhenClosed ?? false;
    this.tradingBlocked = options.tradingBlocked ?? false;
    for (const [symbol, price] of entries(options.prices)) this.prices.set(symbol, { price: checkPrice(symbol, price), time: this.now.toISOString() });
    for (const [symbol, qty] of entries(options.positions)) if (Math.abs(qty) > EPSILON) this.holdings.set(symbol, qty);
    for (const [symbol, asset] of entries(options.assets)) this.assetOverrides.set(symbol, asset);
    this.lastEquity = options.lastEquity ?? this.equity();
  }

  // ---- controls (tests and dry runs) ----------------------------------------------------------

  /**
   * Sets latest prices (merged into the feed), stamped `time` (default the broker's clock).
   * Positions are valued at these; orders fill at them.
   */
  setPrices(prices: Readonly<Record<string, number>> | ReadonlyMap<string, number>, time?: string): void {
    const stamp = time === undefined ? this.now.toISOString() : parseInstant(time).toISOString();
    for (const [symbol, price] of entries(prices)) this.prices.set(symbol, { price: checkPrice(symbol, price), time: stamp });
  }

  /**
   * Moves the clock (backwards is refused: sessions, expiries and equity snapshots only go one
   * way). Passing a close snapshots `lastEquity` and expires that session's open day orders;
   * landing in an open session fills its waiting orders in "immediate" mode.
   */
  setNow(iso: string): void {
    const next = parseInstant(iso);
    if (next.getTime() < this.now.getTime()) throw new RangeError(`the clock only moves forward (${this.now.toISOString()} → ${next.toISOString()})`);
    if (nyseClock(this.now).nextClose.getTime() <= next.getTime()) this.lastEquity = this.equity();
    this.now = next;
    for (const order of this.openOrderList()) {
      if (order.expiresAt <= next.getTime()) this.finish(order, "expired");
    }
    this.autoFill();
  }

  /** Switches between immediate and manual fills; switching to immediate fills what may fill now. */
  setFillMode(mode: SimFillMode): void {
    this.fillMode = mode;
    this.autoFill();
  }

  /** Whether orders sent while the market is closed are refused (403) rather than queued. */
  setRejectWhenClosed(reject: boolean): void {
    this.rejectWhenClosed = reject;
  }

  /** Blocks or unblocks trading on the account. */
  setTradingBlocked(blocked: boolean): void {
    this.tradingBlocked = blocked;
  }

  /**
   * Fills open orders now, whatever the clock says (the test decides): all of each remaining
   * quantity, or `partial` × the order's quantity (capped at what remains). Orders queued with
   * `rejectNext(…, { later: true })` are rejected instead. Orders without a price stay open.
   */
  fillPending(options: { partial?: number; symbol?: string } = {}): void {
    const partial = options.partial;
    if (partial !== undefined && !(partial > 0 && partial <= 1)) throw new RangeError(`partial must be in (0, 1], got ${partial}`);
    for (const order of this.openOrderList()) {
      if (options.symbol !== undefined && order.symbol !== options.symbol) continue;
      const remaining = round9(order.qty - order.filledQty);
      this.fill(order, partial === undefined ? remaining : Math.min(remaining, round9(order.qty * partial)));
    }
  }

  /**
   * Refuses the next order (for `symbol`, or any symbol) with `reason`: by default at
   * submission (a 403 BrokerError, no order recorded, like Alpaca); with `later`, the order is
   * accepted and turns "rejected" with this reason when it would have filled.
   */
  rejectNext(symbol: string | undefined, reason: string, options: { later?: boolean } = {}): void {
    this.rejections.push({ symbol, reason, later: options.later ?? false });
  }

  /** Every order ever accepted, oldest first (copies). */
  allOrders(): BrokerOrder[] {
    return this.orders.map(toBrokerOrder);
  }

  // ---- the port ---------------------------------------------------------------------------------

  async account(): Promise<Account> {
    const equity = this.equity();
    return { equity, cash: this.cash, buyingPower: this.buyingPower(), lastEquity: this.lastEquity, tradingBlocked: this.tradingBlocked };
  }

  async clock(): Promise<MarketClock> {
    const clock = nyseClock(this.now);
    return { timestamp: this.now.toISOString(), isOpen: clock.isOpen, nextOpen: clock.nextOpen.toISOString(), nextClose: clock.nextClose.toISOString() };
  }

  async calendar(from: string, to: string): Promise<SessionDay[]> {
    for (const [label, date] of [["from", from], ["to", to]] as const) {
      if (!isIsoDate(date)) throw new BrokerError(`calendar '${label}' must be a YYYY-MM-DD date, got '${date}'`, false, 422);
    }
    return from > to ? [] : sessionsBetween(from, to).map((date) => nyseSession(date)!);
  }

  async assets(symbols: readonly string[]): Promise<Map<string, Asset>> {
    const out = new Map<string, Asset>();
    for (const symbol of symbols) {
      const asset = this.assetOf(symbol);
      if (asset !== undefined) out.set(symbol, asset);
    }
    return out;
  }

  async positions(): Promise<Position[]> {
    return [...this.holdings]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([symbol, qty]) => ({ symbol, qty, marketValue: qty * (this.prices.get(symbol)?.price ?? 0) }));
  }

  async openOrders(): Promise<BrokerOrder[]> {
    return this.openOrderList().map(toBrokerOrder);
  }

  /**
   * Accepts a market day order, or refuses it with a BrokerError (never transient: a
   * simulation has no lost responses). Fills at once when the mode is "immediate" and the
   * market is open; otherwise the order waits ("new" while open, "accepted" while closed).
   */
  async submitOrder(request: OrderRequest): Promise<BrokerOrder> {
    validateRequest(request);
    if (this.byClientId.has(request.clientOrderId)) throw new DuplicateOrderError(request.clientOrderId);
    const { symbol, side, qty } = request;
    const asset = this.assetOf(symbol);
    if (asset === undefined) throw new BrokerError(`asset ${symbol} not found`, false, 422);
    if (!asset.tradable) throw new BrokerError(`asset ${symbol} is not tradable`, false, 422);
    if (!asset.fractionable && Math.abs(qty - Math.round(qty)) > EPSILON) throw new BrokerError(`asset ${symbol} is not fractionable`, false, 422);
    if (this.tradingBlocked) throw new BrokerError("trading is blocked on this account", false, 403);
    const clock = nyseClock(this.now);
    if (!clock.isOpen && this.rejectWhenClosed) throw new BrokerError("market is closed", false, 403);

    const rejectionIndex = this.rejections.findIndex((r) => r.symbol === undefined || r.symbol === symbol);
    const rejection = rejectionIndex >= 0 ? this.rejections.splice(rejectionIndex, 1)[0] : undefined;
    if (rejection !== undefined && !rejection.later) throw new BrokerError(rejection.reason, false, 403);

    const price = this.prices.get(symbol)?.price;
    if (side === "buy" && price !== undefined && qty * this.fillPrice(side, price) > this.buyingPower() + EPSILON) {
      throw new BrokerError("insufficient buying power", false, 403);
    }
    if (side === "sell") {
      const available = round9((this.holdings.get(symbol) ?? 0) - this.reservedQty(symbol));
      if (qty > available + EPSILON) throw new BrokerError(`insufficient qty available for order (requested: ${qty}, available: ${available})`, false, 403);
    }

    const order: SimOrder = {
      id: `sim-${String(++this.sequence).padStart(6, "0")}`,
      clientOrderId: request.clientOrderId,
      symbol,
      side,
      qty: round9(qty),
      filledQty: 0,
      filledNotional: 0,
      status: clock.isOpen ? "new" : "accepted",
      submittedAt: this.now.toISOString(),
      reason: null,
      expiresAt: clock.nextClose.getTime(),
      session: clock.session,
      rejectLater: rejection?.reason ?? null,
    };
    this.orders.push(order);
    this.byClientId.set(order.clientOrderId, order);
    this.autoFill();
    return toBrokerOrder(order);
  }

  async orderByClientId(clientOrderId: string): Promise<BrokerOrder | null> {
    const order = this.byClientId.get(clientOrderId);
    return order === undefined ? null : toBrokerOrder(order);
  }

  async cancelOrder(id: string): Promise<void> {
    const order = this.orders.find((o) => o.id === id);
    if (order === undefined) throw new BrokerError(`order ${id} not found`, false, 404);
    if (FINAL_ORDER_STATUSES.has(order.status)) throw new BrokerError(`order ${id} is not cancelable (status ${order.status})`, false, 422);
    this.finish(order, "canceled");
  }

  /** The latest price of each symbol; a symbol without one is left out of the map (as Alpaca's adapter does). */
  async latestTrades(symbols: readonly string[]): Promise<Map<string, LatestTrade>> {
    const out = new Map<string, LatestTrade>();
    for (const symbol of symbols) {
      const trade = this.prices.get(symbol);
      if (trade !== undefined) out.set(symbol, { ...trade });
    }
    return out;
  }

  // ---- internals ----------------------------------------------------------------------------------

  private assetOf(symbol: string): Asset | undefined {
    const override = this.assetOverrides.get(symbol);
    if (override === undefined && !this.prices.has(symbol)) return undefined;
    return { symbol, tradable: override?.tradable ?? true, fractionable: override?.fractionable ?? true };
  }

  private openOrderList(): SimOrder[] {
    return this.orders.filter((o) => !FINAL_ORDER_STATUSES.has(o.status));
  }

  private equity(): number {
    let value = this.cash;
    for (const [symbol, qty] of this.holdings) value += qty * (this.prices.get(symbol)?.price ?? 0);
    return value;
  }

  /** Cash less what open buys will spend at today's prices, as Alpaca holds it back. */
  private buyingPower(): number {
    let reserved = 0;
    for (const order of this.openOrderList()) {
      const price = this.prices.get(order.symbol)?.price;
      if (order.side === "buy" && price !== undefined) reserved += (order.qty - order.filledQty) * this.fillPrice("buy", price);
    }
    return this.cash - reserved;
  }

  /** Shares of `symbol` already promised to open sells. */
  private reservedQty(symbol: string): number {
    return this.openOrderList()
      .filter((o) => o.side === "sell" && o.symbol === symbol)
      .reduce((sum, o) => sum + (o.qty - o.filledQty), 0);
  }

  private fillPrice(side: "buy" | "sell", price: number): number {
    return side === "buy" ? price * (1 + this.slippage) : price * (1 - this.slippage);
  }

  /** Immediate mode, market open: fill every waiting order of the current session. */
  private autoFill(): void {
    if (this.fillMode !== "immediate") return;
    const clock = nyseClock(this.now);
    if (!clock.isOpen) return;
    for (const order of this.openOrderList()) {
      if (order.session === clock.session) this.fill(order, round9(order.qty - order.filledQty));
    }
  }

  private fill(order: SimOrder, qty: number): void {
    if (order.rejectLater !== null) {
      order.reason = order.rejectLater;
      this.finish(order, "rejected");
      return;
    }
    const quote = this.prices.get(order.symbol)?.price;
    if (quote === undefined || qty <= 0) return;
    const price = this.fillPrice(order.side, quote);
    order.filledQty = round9(order.filledQty + qty);
    order.filledNotional += qty * price;
    order.status = order.filledQty >= order.qty - EPSILON ? "filled" : "partially_filled";
    const signed = order.side === "buy" ? qty : -qty;
    const held = round9((this.holdings.get(order.symbol) ?? 0) + signed);
    if (Math.abs(held) <= EPSILON) this.holdings.delete(order.symbol);
    else this.holdings.set(order.symbol, held);
    this.cash -= signed * price;
  }

  private finish(order: SimOrder, status: OrderStatus): void {
    order.status = status;
  }
}

function toBrokerOrder(order: SimOrder): BrokerOrder {
  return {
    id: order.id,
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    qty: order.qty,
    filledQty: order.filledQty,
    filledAvgPrice: order.filledQty > 0 ? order.filledNotional / order.filledQty : null,
    status: order.status,
    submittedAt: order.submittedAt,
    reason: order.reason,
  };
}

/** The checks Alpaca makes before looking at the account; the same messages in both brokers. */
function validateRequest(request: OrderRequest): void {
  if (request.clientOrderId === "" || request.clientOrderId.length > 128) {
    throw new BrokerError("client order id must be 1 to 128 characters", false, 422);
  }
  if (request.symbol.trim() === "") throw new BrokerError("symbol is required", false, 422);
  if (request.side !== "buy" && request.side !== "sell") throw new BrokerError(`invalid side '${String(request.side)}'`, false, 422);
  if (!Number.isFinite(request.qty) || request.qty <= 0) throw new BrokerError(`qty must be a positive number, got ${request.qty}`, false, 422);
}

function parseInstant(iso: string): Date {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`not an ISO-8601 instant: '${iso}'`);
  return instant;
}

function checkPrice(symbol: string, price: number): number {
  if (!Number.isFinite(price) || price <= 0) throw new RangeError(`price of ${symbol} must be positive, got ${price}`);
  return price;
}
