/**
 * Trading costs of the simulated broker: slippage on every fill and, optionally, the US
 * regulatory fees on sells that brokers pass through (commission-free brokers such as Alpaca
 * charge nothing else).
 */

export type FeeModel = "none" | "regulatory";

/** SEC Section 31 fee on sell notional: $27.80 per million (rate in force from 2024-05-22). */
export const SEC_FEE_RATE = 27.8 / 1_000_000;
/** FINRA Trading Activity Fee on shares sold: $0.000166 per share, at most $8.30 per trade (2024). */
export const FINRA_TAF_PER_SHARE = 0.000166;
export const FINRA_TAF_MAX = 8.3;

/** Regulatory fees of one sell, in currency, rounded up to the cent as brokers bill them. */
export function regulatorySellFees(qty: number, notional: number): number {
  const sec = Math.ceil(notional * SEC_FEE_RATE * 100) / 100;
  const taf = Math.min(Math.ceil(qty * FINRA_TAF_PER_SHARE * 100) / 100, FINRA_TAF_MAX);
  return sec + taf;
}
