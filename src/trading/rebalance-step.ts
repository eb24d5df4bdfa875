/**
 * One session's trading decision, shared by the backtest's simulated account and the live
 * runner, so both trade the same way (the parity test holds them to it): whether the
 * rebalance rule calls for trading today, and if so the orders, planned with the same cost
 * assumptions the simulation fills at.
 */
import type { Rebalance } from "../ir/types.js";
import type { FeeModel } from "./fees.js";
import { planOrders, type Plan } from "./order-planner.js";
import { shouldRebalance } from "./rebalance.js";

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

/** The plan for `date`, or null when the rebalance rule says not to trade. */
export function rebalanceStep(input: RebalanceStepInput): Plan | null {
  // Only the drift-based rules read current weights; calendar rules need not build them.
  if (input.rule.mode === "threshold" || input.rule.mode === "none") {
    let equity = input.cash;
    for (const [symbol, qty] of input.holdings) equity += qty * (input.prices.get(symbol) ?? 0);
    const current = new Map<string, number>();
    for (const [symbol, qty] of input.holdings) current.set(symbol, equity > 0 ? (qty * (input.prices.get(symbol) ?? 0)) / equity : 0);
    if (!shouldRebalance(input.rule, input.date, input.previousDate, { current, targets: input.targets })) return null;
  } else if (!shouldRebalance(input.rule, input.date, input.previousDate, { current: EMPTY, targets: input.targets })) {
    return null;
  }
  const slip = input.costs.slippageBps / 10_000;
  return planOrders({
    targets: input.targets,
    holdings: input.holdings,
    cash: input.cash,
    prices: input.prices,
    minNotional: input.costs.minNotional,
    buyCostRate: slip,
    sellCostRate: slip + (input.costs.fees === "regulatory" ? FEE_HEADROOM : 0),
    ...(input.wholeShares === undefined ? {} : { wholeShares: input.wholeShares }),
  });
}
