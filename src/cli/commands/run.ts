/**
 * `strat run FILE`: one live decision now. Prints the plan before acting; `--mode dry-run`
 * stops there. `--mode live` trades real money and needs `--confirm-live`.
 */
import type { Command } from "commander";
import { pickStrategy } from "../../backtest/run.js";
import { runOnce, type RunOutcome } from "../../live/run-once.js";
import type { RunMode } from "../../ports/store.js";
import { barSourceFromOption } from "../bar-sources.js";
import { compileFile } from "../compile-file.js";
import { compileOrFail } from "../compile-or-fail.js";
import { brokerFor, storeFor } from "../live-wiring.js";
import { out } from "../output.js";
import { collect, parseNumber, parseParams } from "../run-options.js";
import { EXIT, UsageError } from "../usage-error.js";

interface RunFlags {
  strategy?: string;
  mode: string;
  capital?: string;
  fraction?: string;
  data: string;
  param: string[];
  maxOrderNotional?: string;
  maxDailyLoss?: string;
  killSwitch?: string;
  fillTimeout: string;
  slippageBps: string;
  confirmLive?: boolean;
}

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("make one live decision now: plan, then (unless dry-run) trade on Alpaca and record it")
    .argument("<file>", "strategy file")
    .option("--strategy <name>", "which strategy or portfolio of the file")
    .option("--mode <mode>", "dry-run | paper | live", "paper")
    .option("--capital <amount>", "trade this much (default: the whole account)")
    .option("--fraction <f>", "trade this fraction of the account's equity")
    .option("--data <source>", "history: alpaca (through the cache) | cache | csv:DIR | synthetic", "alpaca")
    .option("--param <name=value>", "set a param (repeatable)", collect, [])
    .option("--max-order-notional <amount>", "refuse any single order larger than this")
    .option("--max-daily-loss <percent>", "refuse to trade after losing more than this since the previous close, e.g. 5%")
    .option("--kill-switch <file>", "refuse to trade while this file exists")
    .option("--fill-timeout <seconds>", "how long to wait for fills", "60")
    .option("--slippage-bps <bps>", "price headroom kept when sizing buys, in basis points", "5")
    .option("--confirm-live", "required with --mode live: this trades real money")
    .action(async (file: string, flags: RunFlags) => {
      process.exitCode = await runCommand(file, flags);
    });
}

function parsePercent(value: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(value.trim());
  if (m === null) throw new UsageError(`${option} takes a percent such as 5%, not '${value}'`);
  return Number(m[1]) / 100;
}

async function runCommand(file: string, flags: RunFlags): Promise<number> {
  if (!["dry-run", "paper", "live"].includes(flags.mode)) throw new UsageError(`--mode takes dry-run, paper or live, not '${flags.mode}'`);
  const mode = flags.mode as RunMode;
  if (mode === "live" && flags.confirmLive !== true) throw new UsageError("--mode live trades real money: add --confirm-live to confirm");
  if (flags.capital !== undefined && flags.fraction !== undefined) throw new UsageError("give --capital or --fraction, not both");
  const fraction = flags.fraction === undefined ? undefined : parseNumber(flags.fraction, "--fraction", 0);
  if (fraction !== undefined && fraction > 1) throw new UsageError("--fraction is at most 1");
  const ir = compileOrFail(file);
  const strategy = pickStrategy(ir, flags.strategy);
  const source = compileFile(file).text ?? "";
  const bars = barSourceFromOption(flags.data);
  const broker = await brokerFor(mode);
  const store = await storeFor();
  const crashAt = process.env.STRAT_CRASH_AT;
  try {
    const outcome = await runOnce({
      strategy,
      params: ir.params,
      paramOverrides: parseParams(flags.param),
      source,
      mode,
      broker,
      store,
      bars,
      ...(flags.capital === undefined ? {} : { capital: parseNumber(flags.capital, "--capital", 1) }),
      ...(fraction === undefined ? {} : { fraction }),
      costs: { slippageBps: parseNumber(flags.slippageBps, "--slippage-bps", 0), fees: "none", minNotional: 1 },
      limits: {
        ...(flags.maxOrderNotional === undefined ? {} : { maxOrderNotional: parseNumber(flags.maxOrderNotional, "--max-order-notional", 1) }),
        ...(flags.maxDailyLoss === undefined ? {} : { maxDailyLoss: parsePercent(flags.maxDailyLoss, "--max-daily-loss") }),
        ...(flags.killSwitch === undefined ? {} : { killSwitchFile: flags.killSwitch }),
      },
      fillTimeoutMs: parseNumber(flags.fillTimeout, "--fill-timeout", 0) * 1000,
      fillPollMs: 500,
      log: out,
      // A test hook: crash tests kill the process at a named step to prove restarts are safe.
      ...(crashAt === undefined ? {} : { onStep: (step: string) => (step === crashAt ? process.kill(process.pid, "SIGKILL") : undefined) }),
    });
    return report(outcome);
  } finally {
    await store.close();
  }
}

function report(outcome: RunOutcome): number {
  switch (outcome.status) {
    case "market-closed":
    case "already-ran":
      return EXIT.ok;
    case "locked":
      return EXIT.failed;
    case "refused":
      return EXIT.failed;
    case "completed": {
      const filled = outcome.orders.filter((o) => o.status === "filled").length;
      out(`run ${outcome.run.id} ${outcome.run.state}: ${filled} of ${outcome.orders.length} orders filled`);
      for (const o of outcome.orders) out(`  ${o.side.padEnd(4)} ${o.qty.toFixed(6)} ${o.symbol.padEnd(6)} ${o.status}${o.filledAvgPrice === null ? "" : ` @ ${o.filledAvgPrice.toFixed(4)}`}${o.reason === null ? "" : ` (${o.reason})`}`);
      return outcome.orders.some((o) => o.status === "failed" || o.status === "rejected") ? EXIT.failed : EXIT.ok;
    }
  }
}
