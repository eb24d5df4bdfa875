/**
 * The account of the fake Alpaca server (`GET /v2/account`): a cash account (multiplier 1)
 * whose equity is cash plus positions at their latest prices and whose buying power is cash
 * less what open buy orders will spend, as Alpaca holds it back.
 */
import { latestTradeOf } from "./market-data.js";
import { isOpenStatus, markPrice } from "./positions.js";
import type { FakeRequest, FakeResponse, Router } from "./router.js";
import { wireNumber, type FakeAlpacaState } from "./state.js";

/** Registers `GET /v2/account`. */
export function registerAccount(router: Router): void {
  router.add("GET", "/v2/account", account);
}

/** Cash plus every position at its mark price. */
export function equityOf(state: FakeAlpacaState): number {
  let equity = state.account.cash;
  for (const position of state.positions.values()) equity += position.qty * markPrice(state, position);
  return equity;
}

/** Cash less the remaining notional of open buys at the latest prices. */
export function buyingPowerOf(state: FakeAlpacaState): number {
  let reserved = 0;
  for (const order of state.orders) {
    if (order.side !== "buy" || !isOpenStatus(order.status)) continue;
    reserved += (order.qty - order.filledQty) * (latestTradeOf(state, order.symbol)?.p ?? 0);
  }
  return state.account.cash - reserved;
}

function account(_req: FakeRequest, state: FakeAlpacaState): FakeResponse {
  const a = state.account;
  const equity = equityOf(state);
  const buyingPower = wireNumber(buyingPowerOf(state));
  return {
    status: 200,
    body: {
      id: a.id,
      admin_configurations: {},
      user_configurations: null,
      account_number: a.accountNumber,
      status: a.status,
      crypto_status: "INACTIVE",
      options_approved_level: 0,
      options_trading_level: 0,
      currency: "USD",
      buying_power: buyingPower,
      regt_buying_power: buyingPower,
      daytrading_buying_power: "0",
      effective_buying_power: buyingPower,
      non_marginable_buying_power: buyingPower,
      options_buying_power: buyingPower,
      bod_dtbp: "0",
      cash: wireNumber(a.cash),
      accrued_fees: "0",
      portfolio_value: wireNumber(equity),
      pattern_day_trader: false,
      trading_blocked: a.tradingBlocked,
      transfers_blocked: false,
      account_blocked: a.accountBlocked,
      created_at: "2024-01-01T00:00:00Z",
      trade_suspended_by_user: a.tradeSuspendedByUser,
      multiplier: "1",
      shorting_enabled: false,
      equity: wireNumber(equity),
      last_equity: wireNumber(a.lastEquity),
      long_market_value: wireNumber(equity - a.cash),
      short_market_value: "0",
      position_market_value: wireNumber(equity - a.cash),
      initial_margin: "0",
      maintenance_margin: "0",
      last_maintenance_margin: "0",
      sma: "0",
      daytrade_count: 0,
      balance_asof: "2024-01-01",
      crypto_tier: 0,
      intraday_adjustments: "0",
      pending_reg_taf_fees: "0",
    },
  };
}
