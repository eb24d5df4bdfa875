/**
 * One session's trading decision, shared by the backtest's simulated account and the live
 * runner, so both trade the same way (the parity test holds them to it): whether the
 * rebalance rule calls for trading today, and if so the orders, planned with the same cost
 * assumptions the simulation fills at.
 */
import type { Rebalance } from "../ir/types.js";
import { Book } from "./book.js";
import type { FeeModel } from "./fees.js";
import { PlanBuffer, type Plan, type PlanCosts } from "./order-planner.js";
import { driftCallsForTrade, shouldRebalance } from "./rebalance.js";

export interface TradingCosts {
  /** Slippage assumed (backtest) or expected (live) on every fill, in basis points. */
  slippageBps: number;
  fees: FeeModel;
  /** Smallest trade, in currency. */
  minNotional: number;
}

export interface RebalanceStepInput {
  rule: Rebalance;
  date: string;
  /** The previous session, or null on the strategy's first session. */
  previousDate: string | null;
  targets: ReadonlyMap<string, number>;
  holdings: ReadonlyMap<string, number>;
  cash: number;
  prices: ReadonlyMap<string, number>;
  costs: TradingCosts;
  wholeShares?: ReadonlySet<string>;
}

const EMPTY: ReadonlyMap<string, number> = new Map();

/** Headroom kept for regulatory fees on sells when sizing buys, as a fraction of sell notional. */
const FEE_HEADROOM = 0.0001;

/** The planner's cost rates for the given trading costs. */
export function planCosts(costs: TradingCosts): PlanCosts {
  const slip = costs.slippageBps / 10_000;
  return { minNotional: costs.minNotional, buyCostRate: slip, sellCostRate: slip + (costs.fees === "regulatory" ? FEE_HEADROOM : 0) };
}

/**
 * Whether a drift rule (`none`, `threshold`) calls for trading the book today: current weights
 * are the holdings at today's prices over cash plus holdings. `scratch` holds them (length ≥ the
 * universe), so the simulation allocates nothing.
 */
export function bookDrifted(rule: Rebalance, book: Book, cash: number, scratch: Float64Array): boolean {
  let equity = cash;
  for (let k = 0; k < book.heldCount; k++) equity += book.held[book.heldOrder[k]!]! * book.price[book.heldOrder[k]!]!;
  scratch.fill(0);
  for (let k = 0; k < book.heldCount; k++) {
    const i = book.heldOrder[k]!;
    scratch[i] = equity > 0 ? (book.held[i]! * book.price[i]!) / equity : 0;
  }
  // Symbols neither held nor targeted weigh 0 on both sides, so every index can be checked.
  return driftCallsForTrade(rule, book.symbolOrder, scratch, book.target);
}

/**
 * One session on a book: `calendarSays` is whether a calendar rule's period starts today (true
 * on the first session and for daily). Plans into `buffer` and returns true when the rule says
 * to trade; false leaves the buffer empty.
 */
export function bookStep(rule: Rebalance, calendarSays: boolean, first: boolean, book: Book, cash: number, costs: PlanCosts, buffer: PlanBuffer, scratch: Float64Array): boolean {
  const trade = first || (rule.mode === "threshold" || rule.mode === "none" ? bookDrifted(rule, book, cash, scratch) : calendarSays);
  if (!trade) {
    buffer.reset();
    return false;
  }
  buffer.plan(book, cash, costs);
  return true;
}

/** The plan for `date`, or null when the rebalance rule says not to trade. */
export function rebalanceStep(input: RebalanceStepInput): Plan | null {
  const book = Book.fromMaps(input.holdings, input.targets, input.prices, input.wholeShares);
  const first = input.previousDate === null;
  const calendarSays = first || (input.rule.mode !== "threshold" && input.rule.mode !== "none" && shouldRebalance(input.rule, input.date, input.previousDate, { current: EMPTY, targets: input.targets }));
  const buffer = new PlanBuffer(book.symbols.length, []);
  return bookStep(input.rule, calendarSays, first, book, input.cash, planCosts(input.costs), buffer, new Float64Array(book.symbols.length)) ? buffer.toPlan(book) : null;
}
