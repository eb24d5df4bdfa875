/**
 * The simulated account: each session, the evaluator's target is traded (when the rebalance rule
 * says so) at that session's close plus slippage, through the shared order planner; the account
 * then earns close to close. No leverage, no shorting, cash earns nothing.
 */
import type { Evaluation } from "../engine/evaluate.js";
import type { Market } from "../engine/market.js";
import type { SkippedTrade } from "../trading/order-planner.js";
import { regulatorySellFees, type FeeModel } from "../trading/fees.js";
import { rebalanceStep } from "../trading/rebalance-step.js";

export interface SimulationOptions {
  /** Starting cash, in currency. */
  capital: number;
  /** Slippage in basis points of the close, against the trader on every fill. */
  slippageBps: number;
  fees: FeeModel;
  /** Smallest trade worth making, in currency. */
  minNotional: number;
  /** Last session index to simulate (inclusive); default the last one. */
  to?: number;
}

export interface Fill {
  date: string;
  symbol: string;
  side: "buy" | "sell";
  qty: number;
  /** Fill price: the close moved by slippage. */
  price: number;
  /** qty × price. */
  notional: number;
  fees: number;
  /** Cost of slippage on this fill, in currency. */
  slippage: number;
}

export interface Simulation {
  /** Sessions simulated, from the evaluation's start. */
  dates: string[];
  /** Account value at each session's close after its trades (cash + holdings at the close). */
  equity: Float64Array;
  /** Holdings' weights at each session's close after its trades. */
  weights: Map<string, number>[];
  /** Target weights decided at each session's close. */
  targets: Map<string, number>[];
  fills: Fill[];
  skipped: (SkippedTrade & { date: string })[];
  /** Sessions on which the account traded. */
  rebalances: number;
  feesPaid: number;
  slippagePaid: number;
  /** Sessions whose target was empty (the account held cash). */
  emptyTargets: string[];
}

/** Runs the account over the evaluation's sessions. */
export function simulate(evaluation: Evaluation, market: Market, options: SimulationOptions): Simulation {
  const slip = options.slippageBps / 10_000;
  const last = options.to ?? market.dates.length - 1;
  const holdings = new Map<string, number>();
  let cash = options.capital;
  const out: Simulation = { dates: [], equity: new Float64Array(Math.max(0, last - evaluation.start + 1)), weights: [], targets: [], fills: [], skipped: [], rebalances: 0, feesPaid: 0, slippagePaid: 0, emptyTargets: [] };
  const closeOf = (symbol: string, day: number): number => {
    const close = market.close.get(symbol)?.[day];
    if (close === undefined || !(close > 0)) throw new Error(`no close for ${symbol} on ${market.dates[day]}`);
    return close;
  };
  for (let day = evaluation.start; day <= last; day++) {
    const date = market.dates[day]!;
    const allocation = evaluation.allocations[day - evaluation.start]!;
    const targets = new Map<string, number>();
    allocation.tickers.forEach((t, k) => targets.set(evaluation.universe[t]!, allocation.weights[k]!));
    if (targets.size === 0) out.emptyTargets.push(date);
    const prices = new Map<string, number>();
    for (const symbol of new Set([...holdings.keys(), ...targets.keys()])) prices.set(symbol, closeOf(symbol, day));
    const plan = rebalanceStep({
      rule: evaluation.strategy.rebalance,
      date,
      previousDate: day === evaluation.start ? null : market.dates[day - 1]!,
      targets,
      holdings,
      cash,
      prices,
      costs: options,
    });
    if (plan !== null) {
      for (const s of plan.skipped) out.skipped.push({ ...s, date });
      if (plan.orders.length > 0) out.rebalances++;
      for (const order of plan.orders) {
        const close = prices.get(order.symbol)!;
        const price = order.side === "buy" ? close * (1 + slip) : close * (1 - slip);
        const notional = order.qty * price;
        const fees = order.side === "sell" && options.fees === "regulatory" ? regulatorySellFees(order.qty, notional) : 0;
        // Brokers keep positions to 9 decimals (Alpaca does); so does the simulated account, so the
        // shares it sells out are the shares a live ledger holds.
        const held = Math.round(((holdings.get(order.symbol) ?? 0) + (order.side === "buy" ? order.qty : -order.qty)) * 1e9) / 1e9;
        if (Math.abs(held) < 1e-9) holdings.delete(order.symbol);
        else holdings.set(order.symbol, held);
        cash += order.side === "buy" ? -notional - fees : notional - fees;
        const slippage = order.qty * close * slip;
        out.feesPaid += fees;
        out.slippagePaid += slippage;
        out.fills.push({ date, symbol: order.symbol, side: order.side, qty: order.qty, price, notional, fees, slippage });
      }
    }
    let value = cash;
    for (const [symbol, qty] of holdings) value += qty * prices.get(symbol)!;
    const weights = new Map<string, number>();
    for (const [symbol, qty] of holdings) weights.set(symbol, value > 0 ? (qty * prices.get(symbol)!) / value : 0);
    out.dates.push(date);
    out.equity[day - evaluation.start] = value;
    out.weights.push(weights);
    out.targets.push(targets);
  }
  return out;
}
