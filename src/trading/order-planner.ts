/**
 * Targets + holdings → orders, shared by the backtest and the live runner (DESIGN.md §3): sells
 * before buys, fractional quantities where allowed, trades below a minimum notional skipped and
 * reported, buys scaled down so they never spend more than the cash the sells leave.
 */

export type Side = "buy" | "sell";

export interface PlannedOrder {
  symbol: string;
  side: Side;
  /** Shares, > 0; fractional unless the symbol trades in whole shares. */
  qty: number;
  /** qty × the planning price, in currency. */
  notional: number;
}

export interface SkippedTrade {
  symbol: string;
  side: Side;
  notional: number;
  reason: string;
}

export interface PlanInput {
  /** Target weights (fractions summing to 1, or none: all cash). */
  targets: ReadonlyMap<string, number>;
  /** Shares held now. */
  holdings: ReadonlyMap<string, number>;
  cash: number;
  /** Price each order is planned at (the decision close, or the latest trade live). */
  prices: ReadonlyMap<string, number>;
  /** Smallest trade worth making, in currency (default 1). */
  minNotional?: number;
  /** Symbols that trade only in whole shares (default: none). */
  wholeShares?: ReadonlySet<string>;
  /** Extra cost per unit of buy notional (slippage and fees), so buys fit the cash (default 0). */
  buyCostRate?: number;
  /** Cost per unit of sell notional, deducted from what sells free (default 0). */
  sellCostRate?: number;
}

export interface Plan {
  /** Sells first, then buys; each group in symbol order for determinism. */
  orders: PlannedOrder[];
  skipped: SkippedTrade[];
  /** Equity the targets were sized on: cash + holdings at the planning prices. */
  equity: number;
}

/** Fractional share precision: Alpaca accepts up to 9 decimals; 6 keeps sums exact enough. */
const QTY_DECIMALS = 1e6;

function floorQty(qty: number, whole: boolean): number {
  return whole ? Math.floor(qty + 1e-9) : Math.floor(qty * QTY_DECIMALS + 1e-6) / QTY_DECIMALS;
}

/** Plans the orders that move `holdings` to `targets`. */
export function planOrders(input: PlanInput): Plan {
  const minNotional = input.minNotional ?? 1;
  const whole = input.wholeShares ?? new Set<string>();
  const price = (symbol: string): number => {
    const p = input.prices.get(symbol);
    if (p === undefined || !(p > 0)) throw new Error(`no usable price for ${symbol}`);
    return p;
  };
  let equity = input.cash;
  for (const [symbol, qty] of input.holdings) if (qty !== 0) equity += qty * price(symbol);

  const symbols = [...new Set([...input.holdings.keys(), ...input.targets.keys()])].sort();
  const sells: PlannedOrder[] = [];
  const buys: PlannedOrder[] = [];
  const skipped: SkippedTrade[] = [];
  for (const symbol of symbols) {
    const held = input.holdings.get(symbol) ?? 0;
    const target = (input.targets.get(symbol) ?? 0) * equity;
    const p = price(symbol);
    const delta = target - held * p;
    if (delta < 0) {
      // Selling out completely closes the exact position, whatever its notional.
      const qty = target <= 0 ? held : Math.min(held, floorQty(-delta / p, whole.has(symbol)));
      const notional = qty * p;
      if (qty <= 0) continue;
      if (notional < minNotional && target > 0) skipped.push({ symbol, side: "sell", notional, reason: `below the minimum notional of ${minNotional}` });
      else sells.push({ symbol, side: "sell", qty, notional });
    } else if (delta > 0) {
      if (delta < minNotional) skipped.push({ symbol, side: "buy", notional: delta, reason: `below the minimum notional of ${minNotional}` });
      else buys.push({ symbol, side: "buy", qty: delta / p, notional: delta });
    }
  }
  const sellCost = input.sellCostRate ?? 0;
  const buyCost = input.buyCostRate ?? 0;
  const available = input.cash + sells.reduce((sum, o) => sum + o.notional * (1 - sellCost), 0);
  const wanted = buys.reduce((sum, o) => sum + o.notional * (1 + buyCost), 0);
  // The tiny margin keeps rounding from ever spending a cent more than the cash there is.
  const scale = wanted > available ? (Math.max(0, available) / wanted) * (1 - 1e-12) : 1;
  const sizedBuys: PlannedOrder[] = [];
  for (const order of buys) {
    const qty = floorQty(order.qty * scale, whole.has(order.symbol));
    const notional = qty * price(order.symbol);
    if (qty <= 0 || notional < minNotional) {
      const reason = qty <= 0 ? "less than one tradable unit" : `below the minimum notional of ${minNotional} once scaled to the cash available`;
      skipped.push({ symbol: order.symbol, side: "buy", notional: order.notional * scale, reason });
    } else {
      sizedBuys.push({ symbol: order.symbol, side: "buy", qty, notional });
    }
  }
  return { orders: [...sells, ...sizedBuys], skipped, equity };
}
