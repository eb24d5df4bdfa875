/** `strat status`: the account, positions against the latest targets, and recent runs and orders. */
import type { Command } from "commander";
import type { RunMode } from "../../ports/store.js";
import { brokerFor, storeFor } from "../live-wiring.js";
import { out } from "../output.js";
import { EXIT } from "../usage-error.js";

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("show the account, positions against the latest targets, recent runs and orders")
    .option("--mode <mode>", "paper | live | dry-run", "paper")
    .option("--runs <n>", "how many recent runs", "10")
    .option("--json", "print JSON")
    .action(async (flags: { mode: string; runs: string; json?: boolean }) => {
      process.exitCode = await statusCommand(flags.mode as RunMode, Number(flags.runs), flags.json === true);
    });
}

async function statusCommand(mode: RunMode, limit: number, json: boolean): Promise<number> {
  const broker = await brokerFor(mode);
  const store = await storeFor();
  try {
    const [account, positions, runs] = await Promise.all([broker.account(), broker.positions(), store.recentRuns(limit)]);
    const latest = runs.find((r) => r.mode === mode && r.state !== "refused" && r.state !== "failed");
    const decision = latest === undefined ? null : ((await store.decisions(latest.strategyId, mode, 1))[0] ?? null);
    const orders = latest === undefined ? [] : await store.orders(latest.id);
    if (json) {
      out(JSON.stringify({ account, positions, targets: decision?.allocation ?? null, runs, orders }, null, 2));
      return EXIT.ok;
    }
    out(`account: equity $${account.equity.toFixed(2)}, cash $${account.cash.toFixed(2)}, buying power $${account.buyingPower.toFixed(2)}${account.tradingBlocked ? " (TRADING BLOCKED)" : ""}`);
    const targets = decision?.allocation ?? {};
    const symbols = [...new Set([...positions.map((p) => p.symbol), ...Object.keys(targets)])].sort();
    if (symbols.length > 0) {
      out(`positions vs targets${latest === undefined ? "" : ` of "${latest.strategy}" on ${latest.tradingDate}`}:`);
      for (const symbol of symbols) {
        const p = positions.find((x) => x.symbol === symbol);
        const weight = p === undefined || account.equity <= 0 ? 0 : p.marketValue / account.equity;
        out(`  ${symbol.padEnd(6)} held ${(weight * 100).toFixed(2).padStart(6)}%  target ${((targets[symbol] ?? 0) * 100).toFixed(2).padStart(6)}%`);
      }
    }
    out("recent runs:");
    for (const r of runs) out(`  #${r.id} ${r.tradingDate} ${r.strategy} (${r.mode}) ${r.state}${r.reason === null ? "" : `: ${r.reason}`}`);
    if (orders.length > 0) {
      out(`orders of run #${latest!.id}:`);
      for (const o of orders) out(`  ${o.side.padEnd(4)} ${o.qty.toFixed(6)} ${o.symbol.padEnd(6)} ${o.status}${o.filledAvgPrice === null ? "" : ` @ ${o.filledAvgPrice.toFixed(4)}`}`);
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
