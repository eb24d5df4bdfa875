/**
 * Safety rails (DESIGN.md §8): a kill switch, a maximum order notional and a maximum daily loss.
 * Each check throws a Refusal naming what tripped it; the runner records it and trades nothing.
 */
import { existsSync } from "node:fs";
import type { Account } from "../ports/broker.js";
import type { PlannedOrder } from "../trading/order-planner.js";
import { Refusal } from "./refusal.js";

export interface SafetyLimits {
  /** Largest single order, in currency (default: no limit). */
  maxOrderNotional?: number;
  /** Largest loss since the previous close, as a fraction of that close's equity (e.g. 0.05). */
  maxDailyLoss?: number;
  /** A file whose existence stops all trading. */
  killSwitchFile?: string;
  /** Environment (default process.env): STRAT_KILL_SWITCH=1 also stops trading. */
  env?: Readonly<Record<string, string | undefined>>;
}

export function checkKillSwitch(limits: SafetyLimits): void {
  const env = limits.env ?? process.env;
  if (env.STRAT_KILL_SWITCH === "1") throw new Refusal("the kill switch is on (STRAT_KILL_SWITCH=1)");
  if (limits.killSwitchFile !== undefined && existsSync(limits.killSwitchFile)) throw new Refusal(`the kill switch is on (${limits.killSwitchFile} exists)`);
}

export function checkDailyLoss(limits: SafetyLimits, account: Account): void {
  if (limits.maxDailyLoss === undefined || !(account.lastEquity > 0)) return;
  const loss = (account.lastEquity - account.equity) / account.lastEquity;
  if (loss > limits.maxDailyLoss) {
    throw new Refusal(`the account is down ${(loss * 100).toFixed(2)}% since the previous close, more than the ${(limits.maxDailyLoss * 100).toFixed(2)}% limit`);
  }
}

export function checkOrderNotional(limits: SafetyLimits, orders: readonly PlannedOrder[]): void {
  if (limits.maxOrderNotional === undefined) return;
  const big = orders.find((o) => o.notional > limits.maxOrderNotional!);
  if (big !== undefined) {
    throw new Refusal(`the ${big.side} of ${big.symbol} ($${big.notional.toFixed(2)}) is above the maximum order notional of $${limits.maxOrderNotional.toFixed(2)}`);
  }
}
