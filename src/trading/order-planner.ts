/**
 * Targets + holdings → orders, shared by the backtest and the live runner (DESIGN.md §3): sells
 * before buys, fractional quantities where allowed, trades below a minimum notional skipped and
 * reported, buys scaled down so they never spend more than the cash the sells leave.
 */
import { Book } from "./book.js";

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

/** The book's price of symbol `i`; throws when it is not positive (unknown, zero or NaN). */
function usablePrice(book: Book, i: number): number {
  const p = book.price[i]!;
  if (!(p > 0)) throw new Error(`no usable price for ${book.symbols[i]}`);
  return p;
}

/** Planning costs and limits of `planBook`; see PlanInput for each. */
export interface PlanCosts {
  minNotional: number;
  buyCostRate: number;
  sellCostRate: number;
}

/**
 * A plan in reusable parallel typed arrays (sells first, then buys, each in symbol order), so
 * the simulated account plans thousands of sessions without allocating. `skipped` collects
 * skipped trades only when it is an array.
 */
export class PlanBuffer {
  /** Orders planned: entries `[0, count)` of the arrays below. */
  count = 0;
  readonly symbol: Int32Array;
  /** 1 for a buy, 0 for a sell. */
  readonly buy: Uint8Array;
  readonly qty: Float64Array;
  readonly notional: Float64Array;
  /** Equity the targets were sized on. */
  equity = 0;
  private buys = 0;
  private readonly buySymbol: Int32Array;
  private readonly buyQty: Float64Array;
  private readonly buyNotional: Float64Array;

  /** `capacity`: the book's number of symbols (each is traded at most once a session). */
  constructor(
    capacity: number,
    readonly skipped: SkippedTrade[] | null,
  ) {
    this.symbol = new Int32Array(capacity);
    this.buy = new Uint8Array(capacity);
    this.qty = new Float64Array(capacity);
    this.notional = new Float64Array(capacity);
    this.buySymbol = new Int32Array(capacity);
    this.buyQty = new Float64Array(capacity);
    this.buyNotional = new Float64Array(capacity);
  }

  /** Empties the buffer for the next session (skipped trades are the caller's to clear). */
  reset(): void {
    this.count = 0;
    this.buys = 0;
  }

  private push(symbol: number, buy: boolean, qty: number, notional: number): void {
    const k = this.count++;
    this.symbol[k] = symbol;
    this.buy[k] = buy ? 1 : 0;
    this.qty[k] = qty;
    this.notional[k] = notional;
  }

  /**
   * Plans the orders that move the book's holdings to its targets (see the module comment), at
   * the book's prices. Throws when a symbol in play has no positive price.
   */
  plan(book: Book, cash: number, costs: PlanCosts): void {
    this.reset();
    const { minNotional } = costs;
    const prices = book.price;
    let equity = cash;
    for (let k = 0; k < book.heldCount; k++) {
      const i = book.heldOrder[k]!;
      if (book.held[i] !== 0) equity += book.held[i]! * usablePrice(book, i);
    }
    this.equity = equity;
    let available = 0;
    let wanted = 0;
    const order = book.symbolOrder;
    for (let o = 0; o < order.length; o++) {
      const i = order[o]!;
      if (book.isHeld[i] === 0 && book.isTarget[i] === 0) continue;
      const held = book.held[i]!;
      const target = book.target[i]! * equity;
      const p = usablePrice(book, i);
      const delta = target - held * p;
      if (delta < 0) {
        // Selling out completely closes the exact position, whatever its notional.
        const qty = target <= 0 ? held : Math.min(held, floorQty(-delta / p, book.whole[i] === 1));
        const notional = qty * p;
        if (qty <= 0) continue;
        if (notional < minNotional && target > 0) this.skipped?.push({ symbol: book.symbols[i]!, side: "sell", notional, reason: `below the minimum notional of ${minNotional}` });
        else {
          this.push(i, false, qty, notional);
          available += notional * (1 - costs.sellCostRate);
        }
      } else if (delta > 0) {
        if (delta < minNotional) this.skipped?.push({ symbol: book.symbols[i]!, side: "buy", notional: delta, reason: `below the minimum notional of ${minNotional}` });
        else {
          const b = this.buys++;
          this.buySymbol[b] = i;
          this.buyQty[b] = delta / p;
          this.buyNotional[b] = delta;
          wanted += delta * (1 + costs.buyCostRate);
        }
      }
    }
    available = cash + available;
    // The tiny margin keeps rounding from ever spending a cent more than the cash there is.
    const scale = wanted > available ? (Math.max(0, available) / wanted) * (1 - 1e-12) : 1;
    for (let b = 0; b < this.buys; b++) {
      const i = this.buySymbol[b]!;
      const qty = floorQty(this.buyQty[b]! * scale, book.whole[i] === 1);
      const notional = qty * prices[i]!;
      if (qty <= 0 || notional < minNotional) {
        const reason = qty <= 0 ? "less than one tradable unit" : `below the minimum notional of ${minNotional} once scaled to the cash available`;
        this.skipped?.push({ symbol: book.symbols[i]!, side: "buy", notional: this.buyNotional[b]! * scale, reason });
      } else {
        this.push(i, true, qty, notional);
      }
    }
  }

  /** The buffer as the Map interface's Plan. */
  toPlan(book: Book): Plan {
    const orders: PlannedOrder[] = [];
    for (let k = 0; k < this.count; k++) orders.push({ symbol: book.symbols[this.symbol[k]!]!, side: this.buy[k] === 1 ? "buy" : "sell", qty: this.qty[k]!, notional: this.notional[k]! });
    return { orders, skipped: this.skipped ?? [], equity: this.equity };
  }
}

/** Plans the orders that move `holdings` to `targets`. */
export function planOrders(input: PlanInput): Plan {
  const book = Book.fromMaps(input.holdings, input.targets, input.prices, input.wholeShares);
  const buffer = new PlanBuffer(book.symbols.length, []);
  buffer.plan(book, input.cash, { minNotional: input.minNotional ?? 1, buyCostRate: input.buyCostRate ?? 0, sellCostRate: input.sellCostRate ?? 0 });
  return buffer.toPlan(book);
}
