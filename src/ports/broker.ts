/**
 * The narrow broker interface the live runner needs (DESIGN.md §8). Implemented by the Alpaca
 * adapter (src/adapters/alpaca/broker.ts) and by the simulated broker used in tests and
 * dry runs. Quantities are shares (fractional allowed), money in account currency (USD),
 * times ISO-8601, dates YYYY-MM-DD (New York).
 */

export interface Account {
  /** Cash + positions at market, in currency. */
  equity: number;
  cash: number;
  buyingPower: number;
  /** Equity at the previous session's close, for the daily-loss rail. */
  lastEquity: number;
  /** True when the broker blocks trading on the account. */
  tradingBlocked: boolean;
}

export interface MarketClock {
  /** The broker's current time. */
  timestamp: string;
  isOpen: boolean;
  nextOpen: string;
  nextClose: string;
}

/** One trading session of the market calendar; times are New York wall-clock "HH:MM". */
export interface SessionDay {
  date: string;
  open: string;
  close: string;
}

export interface Asset {
  symbol: string;
  tradable: boolean;
  fractionable: boolean;
}

export interface Position {
  symbol: string;
  qty: number;
  /** Value at the broker's latest price. */
  marketValue: number;
}

export type OrderStatus =
  | "new"
  | "accepted"
  | "pending_new"
  | "partially_filled"
  | "filled"
  | "canceled"
  | "expired"
  | "rejected"
  | "done_for_day"
  | "pending_cancel"
  | "replaced";

export interface OrderRequest {
  /** Deterministic id (strategy, trading date, symbol, leg): resubmitting it can never double an order. */
  clientOrderId: string;
  symbol: string;
  side: "buy" | "sell";
  /** Shares; fractional for fractionable assets. */
  qty: number;
}

export interface BrokerOrder {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: "buy" | "sell";
  qty: number;
  filledQty: number;
  /** Average fill price, null before the first fill. */
  filledAvgPrice: number | null;
  status: OrderStatus;
  submittedAt: string;
  /** Why the broker rejected or canceled it, when it says. */
  reason: string | null;
}

export interface LatestTrade {
  price: number;
  time: string;
}

export interface Broker {
  readonly name: string;
  account(): Promise<Account>;
  clock(): Promise<MarketClock>;
  /** Sessions between two dates (inclusive). */
  calendar(from: string, to: string): Promise<SessionDay[]>;
  /** Tradability of symbols; unknown symbols are absent from the map. */
  assets(symbols: readonly string[]): Promise<Map<string, Asset>>;
  positions(): Promise<Position[]>;
  openOrders(): Promise<BrokerOrder[]>;
  /** Submits a market day order. Rejects with DuplicateOrderError when the client id exists. */
  submitOrder(order: OrderRequest): Promise<BrokerOrder>;
  /** The order with this client id, or null when the broker has none. */
  orderByClientId(clientOrderId: string): Promise<BrokerOrder | null>;
  cancelOrder(id: string): Promise<void>;
  /** The latest trade price of each symbol (live evaluation appends it as today's bar). */
  latestTrades(symbols: readonly string[]): Promise<Map<string, LatestTrade>>;
}
