/**
 * The simulated account: each session, the evaluator's target is traded (when the rebalance rule
 * says so) at that session's close plus slippage, through the shared order planner; the account
 * then earns close to close. No leverage, no shorting, cash earns nothing.
 */
import type { Evaluation } from "../engine/evaluate.js";
import type { Market } from "../engine/market.js";
import { Book } from "../trading/book.js";
import { PlanBuffer, type SkippedTrade } from "../trading/order-planner.js";
import { regulatorySellFees, type FeeModel } from "../trading/fees.js";
import { periodStartsOf } from "../trading/rebalance.js";
import { bookStep, planCosts } from "../trading/rebalance-step.js";

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
  /**
   * Keep the per-session weights, targets, fills and skipped trades (default true). Optimizer
   * trials read only the equity and the totals, so they skip them; the numbers are the same.
   */
  record?: boolean;
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
  /** Empty when not recorded (`record: false`); `trades` and `tradedNotional` are always kept. */
  fills: Fill[];
  /** Number of fills. */
  trades: number;
  /** Sum of the fills' notional, in fill order, in currency. */
  tradedNotional: number;
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
  const record = options.record !== false;
  const rule = evaluation.strategy.rebalance;
  const book = new Book(evaluation.universe);
  const empty = new Float64Array(0);
  const closes = evaluation.universe.map((symbol) => market.close.get(symbol) ?? empty);
  const calendar = periodStartsOf(rule.mode, market.dates);
  const costs = planCosts(options);
  const plan = new PlanBuffer(book.symbols.length, record ? [] : null);
  const scratch = new Float64Array(book.symbols.length);
  let cash = options.capital;
  const out: Simulation = {
    dates: market.dates.slice(evaluation.start, last + 1),
    equity: new Float64Array(Math.max(0, last - evaluation.start + 1)),
    weights: [],
    targets: [],
    fills: [],
    trades: 0,
    tradedNotional: 0,
    skipped: [],
    rebalances: 0,
    feesPaid: 0,
    slippagePaid: 0,
    emptyTargets: [],
  };
  const noClose = (i: number, day: number): Error => new Error(`no close for ${book.symbols[i]} on ${market.dates[day]}`);
  // Running totals in locals (the session loop is the optimizer's hot path); stored at the end.
  let trades = 0;
  let tradedNotional = 0;
  let feesPaid = 0;
  let slippagePaid = 0;
  for (let day = evaluation.start; day <= last; day++) {
    const allocation = evaluation.allocations[day - evaluation.start]!;
    book.setTargets(allocation.tickers, allocation.weights);
    if (allocation.tickers.length === 0) out.emptyTargets.push(market.dates[day]!);
    for (let k = 0; k < book.heldCount; k++) {
      const i = book.heldOrder[k]!;
      const close = closes[i]![day]!;
      if (!(close > 0)) throw noClose(i, day);
      book.price[i] = close;
    }
    for (let k = 0; k < book.targetCount; k++) {
      const i = book.targetOrder[k]!;
      const close = closes[i]![day]!;
      if (!(close > 0)) throw noClose(i, day);
      book.price[i] = close;
    }
    if (bookStep(rule, calendar[day] === 1, day === evaluation.start, book, cash, costs, plan, scratch)) {
      const date = market.dates[day]!;
      if (plan.skipped !== null) {
        for (const s of plan.skipped) out.skipped.push({ ...s, date });
        plan.skipped.length = 0;
      }
      if (plan.count > 0) out.rebalances++;
      for (let k = 0; k < plan.count; k++) {
        const i = plan.symbol[k]!;
        const buy = plan.buy[k]!;
        const qty = plan.qty[k]!;
        const close = book.price[i]!;
        const price = buy ? close * (1 + slip) : close * (1 - slip);
        const notional = qty * price;
        const fees = !buy && options.fees === "regulatory" ? regulatorySellFees(qty, notional) : 0;
        // Brokers keep positions to 9 decimals (Alpaca does); so does the simulated account, so the
        // shares it sells out are the shares a live ledger holds.
        const held = Math.round((book.held[i]! + (buy ? qty : -qty)) * 1e9) / 1e9;
        if (Math.abs(held) < 1e-9) book.removeHolding(i);
        else book.setHolding(i, held);
        cash += buy ? -notional - fees : notional - fees;
        const slippage = qty * close * slip;
        feesPaid += fees;
        slippagePaid += slippage;
        trades++;
        tradedNotional += notional;
        if (record) out.fills.push({ date, symbol: book.symbols[i]!, side: buy ? "buy" : "sell", qty, price, notional, fees, slippage });
      }
    }
    let value = cash;
    for (let k = 0; k < book.heldCount; k++) value += book.held[book.heldOrder[k]!]! * book.price[book.heldOrder[k]!]!;
    out.equity[day - evaluation.start] = value;
    if (record) {
      const weights = new Map<string, number>();
      for (let k = 0; k < book.heldCount; k++) {
        const i = book.heldOrder[k]!;
        weights.set(book.symbols[i]!, value > 0 ? (book.held[i]! * book.price[i]!) / value : 0);
      }
      out.weights.push(weights);
      const targets = new Map<string, number>();
      for (let k = 0; k < book.targetCount; k++) targets.set(book.symbols[book.targetOrder[k]!]!, book.target[book.targetOrder[k]!]!);
      out.targets.push(targets);
    }
  }
  out.trades = trades;
  out.tradedNotional = tradedNotional;
  out.feesPaid = feesPaid;
  out.slippagePaid = slippagePaid;
  return out;
}
