/**
 * One live decision (`strat run`): check the calendar, take the strategy's lock, reconcile the
 * broker with the store, load history and today's prices, evaluate exactly as a backtest
 * would for today, re-check previous decisions, plan with the shared rebalance step, record the
 * plan, submit under deterministic client order ids, wait for fills, record everything.
 *
 * Crash safety: the plan (orders with their client ids) is recorded before anything is
 * submitted, and a run found unfinished is resumed from its recorded orders — each looked up by
 * client id before it is (re)submitted — so no restart can ever place an order twice.
 */
import { evaluate } from "../engine/evaluate.js";
import { resolveParams } from "../engine/params.js";
import { SeriesCache } from "../engine/series-cache.js";
import type { IrParam, IrStrategy } from "../ir/types.js";
import type { Broker } from "../ports/broker.js";
import type { BarSource } from "../ports/bar-source.js";
import type { DecisionRecord, NewOrder, OrderRecord, RunMode, RunRecord, Store } from "../ports/store.js";
import type { Plan } from "../trading/order-planner.js";
import { rebalanceStep, type TradingCosts } from "../trading/rebalance-step.js";
import { clientOrderId } from "./client-order-id.js";
import { printPlan, takenBranches } from "./decision-report.js";
import { submitAll, waitForFills } from "./order-submission.js";
import { FINAL_RUN_STATES } from "./run-states.js";
import { recheckDecisions } from "./recheck.js";
import { liveMarket } from "./live-market.js";
import { newYorkTime } from "../data/market-hours.js";
import { Refusal } from "./refusal.js";
import { withRetry, type RetryPolicy, DEFAULT_RETRY } from "./retry.js";
import { checkDailyLoss, checkKillSwitch, checkOrderNotional, type SafetyLimits } from "./safety.js";

export interface RunOnceOptions {
  strategy: IrStrategy;
  /** Declared params of the program (defaults), and overrides. */
  params: readonly IrParam[];
  paramOverrides?: Record<string, number>;
  /** The strategy's source text, stored with its version. */
  source: string;
  mode: RunMode;
  broker: Broker;
  store: Store;
  bars: BarSource;
  /** Budget: a fixed amount, or a fraction of the account's equity (default 1). */
  capital?: number;
  fraction?: number;
  costs: TradingCosts;
  limits: SafetyLimits;
  /** How long to wait for fills, and how often to look. */
  fillTimeoutMs?: number;
  fillPollMs?: number;
  retry?: RetryPolicy;
  log: (line: string) => void;
  /** Called at every step boundary (crash tests kill the process here). */
  onStep?: (step: string) => void;
}

export type RunOutcome =
  | { status: "market-closed"; date: string }
  | { status: "locked" }
  | { status: "already-ran"; run: RunRecord }
  | { status: "refused"; run: RunRecord; reason: string }
  | { status: "completed"; run: RunRecord; orders: OrderRecord[] };

const EPSILON = 1e-6;

/** Runs one decision now. Resolves with what happened; rejects only on unexpected errors (recorded as failed runs when a run exists). */
export async function runOnce(options: RunOnceOptions): Promise<RunOutcome> {
  const { broker, store, strategy, mode, log } = options;
  const step = (name: string): void => options.onStep?.(name);
  const retry = options.retry ?? DEFAULT_RETRY;

  step("calendar");
  const clock = await withRetry(() => broker.clock(), retry);
  const now = newYorkTime(new Date(clock.timestamp));
  const today = now.date;
  const recent = await withRetry(() => broker.calendar(addDays(today, -10), today), retry);
  const session = recent.find((s) => s.date === today);
  if (session === undefined) {
    log(`${today} is not a trading day: nothing to do`);
    return { status: "market-closed", date: today };
  }
  const previousSession = [...recent].reverse().find((s) => s.date < today)?.date ?? null;

  step("lock");
  const lock = await store.tryLock(`strategy:${strategy.name}:${mode}`);
  if (lock === null) {
    log(`another run of "${strategy.name}" (${mode}) holds the lock: not running`);
    return { status: "locked" };
  }
  try {
    const { strategyId, versionId } = await store.ensureStrategy(strategy.name, strategy.hash, options.source);
    const existing = await store.findRun(strategyId, today, mode);
    if (existing !== null && FINAL_RUN_STATES.has(existing.state)) {
      log(`"${strategy.name}" already ran on ${today} (${existing.state}${existing.reason === null ? "" : `: ${existing.reason}`})`);
      return { status: "already-ran", run: existing };
    }
    let run: RunRecord;
    if (existing !== null) {
      log(`resuming the unfinished run of ${today} (${existing.state})`);
      run = existing;
      await store.event(run.id, "resume", `resumed in state ${existing.state}`);
    } else {
      const refusalRun = async (reason: string): Promise<RunOutcome> => {
        const closed = await store.createClosedRun({ strategyId, versionId, tradingDate: today, mode, state: "refused", reason });
        await store.event(closed.id, "refused", reason);
        log(`refused: ${reason}`);
        return { status: "refused", run: closed, reason };
      };
      try {
        const planned = await planToday({ ...options, strategyId, today, previousSession, isOpen: clock.isOpen, retry, step });
        step("record");
        run = await store.createPlannedRun({ strategyId, versionId, tradingDate: today, mode, orders: planned.orders, decision: planned.decision });
        await store.event(run.id, "planned", `${planned.orders.length} orders planned on data ${planned.decision.dataHash.slice(0, 12)}`);
        for (const line of planned.changed) await store.event(run.id, "decision-changed", line);
        if (mode === "dry-run") {
          await store.setRunState(run.id, "reconciled", "dry run: nothing submitted");
          log("dry run: nothing submitted");
          return { status: "completed", run: { ...run, state: "reconciled" }, orders: await store.orders(run.id) };
        }
      } catch (error) {
        if (error instanceof Refusal) return await refusalRun(error.reason);
        throw error;
      }
    }
    try {
      await submitAll(options, run, retry, step);
      step("submitted");
      await store.setRunState(run.id, "submitted");
      const orders = await waitForFills(options, run, retry);
      step("fills");
      const complete = orders.every((o) => o.status === "filled" || o.status === "rejected" || o.status === "failed");
      await store.setRunState(run.id, complete ? "filled" : "partially_filled");
      step("snapshot");
      const [account, positions] = await Promise.all([withRetry(() => broker.account(), retry), withRetry(() => broker.positions(), retry)]);
      await store.snapshot(run.id, positions, account.equity, account.cash);
      await store.setRunState(run.id, "reconciled");
      await store.event(run.id, "reconciled", `equity ${account.equity.toFixed(2)}, cash ${account.cash.toFixed(2)}`);
      step("done");
      return { status: "completed", run: { ...run, state: "reconciled" }, orders };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const now = await store.findRun(run.strategyId, run.tradingDate, run.mode);
      if (now !== null && !FINAL_RUN_STATES.has(now.state)) await store.setRunState(run.id, "failed", reason);
      await store.event(run.id, "failed", reason);
      throw error;
    }
  } finally {
    await lock.release();
  }
}

interface PlanContext extends RunOnceOptions {
  strategyId: number;
  today: string;
  previousSession: string | null;
  isOpen: boolean;
  retry: RetryPolicy;
  step: (name: string) => void;
}

/** Reconcile, load, evaluate, re-check and plan; throws Refusal when a rail says no. */
async function planToday(ctx: PlanContext): Promise<{ orders: NewOrder[]; decision: DecisionRecord; changed: string[] }> {
  const { broker, store, strategy, mode, log } = ctx;
  checkKillSwitch(ctx.limits);
  if (mode !== "dry-run" && !ctx.isOpen) throw new Refusal("the market is closed now");
  if (ctx.previousSession === null) throw new Refusal("no previous session in the broker's calendar");

  ctx.step("reconcile");
  const [account, positions, open, ledger] = await Promise.all([
    withRetry(() => broker.account(), ctx.retry),
    withRetry(() => broker.positions(), ctx.retry),
    withRetry(() => broker.openOrders(), ctx.retry),
    store.ledger(ctx.strategyId, mode),
  ]);
  if (account.tradingBlocked && mode !== "dry-run") throw new Refusal("the broker blocks trading on this account");
  checkDailyLoss(ctx.limits, account);
  const held = new Map(positions.map((p) => [p.symbol, p.qty]));
  if (mode !== "dry-run") {
    for (const [symbol, qty] of ledger) {
      if (qty > EPSILON && (held.get(symbol) ?? 0) < qty - EPSILON) {
        throw new Refusal(`store/broker mismatch: the store says the strategy holds ${qty} ${symbol}, the broker holds ${held.get(symbol) ?? 0}`);
      }
    }
    const universe = new Set(strategy.tickers);
    const pending = open.filter((o) => universe.has(o.symbol) || ledger.has(o.symbol));
    if (pending.length > 0) throw new Refusal(`open orders at the broker for ${[...new Set(pending.map((o) => o.symbol))].join(", ")}`);
  }

  ctx.step("bars");
  const live = await liveMarket(strategy.tickers, ctx.bars, broker, ctx.today, ctx.previousSession);

  ctx.step("evaluate");
  const params = resolveParams(ctx.params.filter((p) => strategy.params.includes(p.name)), ctx.paramOverrides ?? {});
  const evaluation = evaluate(strategy, live.market, { params, cache: new SeriesCache(), trace: false });
  const last = evaluation.allocations[evaluation.allocations.length - 1]!;
  const targets = new Map<string, number>();
  last.tickers.forEach((t, k) => targets.set(evaluation.universe[t]!, last.weights[k]!));
  const branches = takenBranches(evaluation, live.market.dates.length - 1);
  const decision: DecisionRecord = { tradingDate: ctx.today, irHash: strategy.hash, dataHash: live.dataHash, allocation: Object.fromEntries(targets), branches };
  const changed = await recheckDecisions(store, ctx.strategyId, mode, evaluation, strategy.hash);
  for (const line of changed) log(`warning: ${line}`);

  ctx.step("plan");
  const holdings = new Map([...ledger].filter(([, q]) => Math.abs(q) > EPSILON));
  const prices = new Map(live.prices);
  for (const symbol of holdings.keys()) if (!prices.has(symbol)) prices.set(symbol, (await withRetry(() => broker.latestTrades([symbol]), ctx.retry)).get(symbol)?.price ?? Number.NaN);
  let holdingsValue = 0;
  for (const [symbol, qty] of holdings) holdingsValue += qty * prices.get(symbol)!;
  // The whole account by default (its cash as the broker states it, exactly); with a capital or
  // a fraction, what the budget leaves after the strategy's holdings, never more than the cash.
  const budget = ctx.capital ?? (ctx.fraction ?? 1) * account.equity;
  const cash = ctx.capital === undefined && ctx.fraction === undefined ? account.cash : Math.max(0, Math.min(budget - holdingsValue, account.cash));
  const assets = await withRetry(() => broker.assets([...targets.keys()]), ctx.retry);
  for (const symbol of targets.keys()) {
    const asset = assets.get(symbol);
    if (asset === undefined || !asset.tradable) throw new Refusal(`${symbol} is not tradable at the broker`);
  }
  const wholeShares = new Set([...assets.values()].filter((a) => !a.fractionable).map((a) => a.symbol));
  const previousRun = ledger.size > 0 || (await store.decisions(ctx.strategyId, mode, 1)).length > 0;
  const plan: Plan | null = rebalanceStep({
    rule: strategy.rebalance,
    date: ctx.today,
    previousDate: previousRun ? ctx.previousSession : null,
    targets,
    holdings,
    cash,
    prices,
    costs: ctx.costs,
    wholeShares,
  });
  printPlan(log, targets, holdings, prices, plan);
  const orders: NewOrder[] = (plan?.orders ?? []).map((o) => ({
    clientOrderId: clientOrderId(strategy.name, mode, ctx.today, o.symbol, o.side),
    symbol: o.symbol,
    side: o.side,
    qty: o.qty,
    price: prices.get(o.symbol)!,
    notional: o.notional,
  }));
  checkOrderNotional(ctx.limits, plan?.orders ?? []);
  return { orders, decision, changed };
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
