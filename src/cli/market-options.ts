/**
 * The options `strat backtest` and `strat optimize` share: where the bars come from, the sessions
 * to trade, and the simulated account's cash and costs. One definition, so both read them alike.
 */
import type { Command } from "commander";
import type { FeeModel } from "../trading/fees.js";
import { parseDate, parseNumber } from "./run-options.js";
import { UsageError } from "./usage-error.js";

/** The shared flags as commander gives them. */
export interface MarketFlags {
  data: string;
  from?: string;
  to?: string;
  capital: string;
  slippageBps: string;
  fees: string;
}

/** The shared flags, checked and converted. */
export interface MarketSettings {
  from?: string;
  to?: string;
  /** Starting cash, in currency. */
  capital: number;
  /** Slippage per fill, in basis points. */
  slippageBps: number;
  fees: FeeModel;
}

/** Adds --data, --from, --to, --capital, --slippage-bps and --fees to `command`. */
export function addMarketOptions(command: Command): Command {
  return command
    .option("--data <source>", "synthetic | synthetic:SEED | csv:DIR | alpaca | cache", "synthetic")
    .option("--from <date>", "first session to trade (history before it still warms up indicators)")
    .option("--to <date>", "last session")
    .option("--capital <amount>", "starting cash", "100000")
    .option("--slippage-bps <bps>", "slippage per fill, in basis points", "1")
    .option("--fees <model>", "none | regulatory (SEC fee and FINRA TAF on sells)", "none");
}

/** Checks and converts the shared flags; a UsageError names the flag and the bad value. */
export function marketSettings(flags: MarketFlags): MarketSettings {
  if (flags.fees !== "none" && flags.fees !== "regulatory") throw new UsageError(`--fees takes none or regulatory, not '${flags.fees}'`);
  return {
    ...(flags.from === undefined ? {} : { from: parseDate(flags.from, "--from") }),
    ...(flags.to === undefined ? {} : { to: parseDate(flags.to, "--to") }),
    capital: parseNumber(flags.capital, "--capital", 1),
    slippageBps: parseNumber(flags.slippageBps, "--slippage-bps", 0),
    fees: flags.fees,
  };
}
