/**
 * Deterministic client order ids: the same strategy, trading date, symbol and leg always give
 * the same id, so a re-run or a restart after a crash resubmits under the same id and the
 * broker (which rejects duplicates) can never hold the order twice.
 */
import { sha256Hex } from "../ir/sha256.js";
import type { RunMode } from "../ports/store.js";

/** "strat-" + 32 hex characters (Alpaca allows up to 128). */
export function clientOrderId(strategy: string, mode: RunMode, tradingDate: string, symbol: string, leg: "buy" | "sell"): string {
  return `strat-${sha256Hex(`${strategy}\u0000${mode}\u0000${tradingDate}\u0000${symbol}\u0000${leg}`).slice(0, 32)}`;
}
