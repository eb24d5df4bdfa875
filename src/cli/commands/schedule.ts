/**
 * `strat schedule CONFIG`: the daemon. CONFIG is JSON:
 *   { "port": 8787, "strategies": [ { "file": "strategies/x.strat", "strategy": "Name", "mode": "paper",
 *     "capital": 10000 | "fraction": 0.5, "at": "15:45", "data": "alpaca", "params": { "fast": 50 } } ] }
 * POST /shutdown needs `Authorization: Bearer $STRAT_SHUTDOWN_TOKEN` (a random token is made and
 * printed when the variable is unset).
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { pickStrategy } from "../../backtest/run.js";
import { runOnce } from "../../live/run-once.js";
import { Scheduler, type ScheduledStrategy } from "../../live/scheduler.js";
import type { RunMode } from "../../ports/store.js";
import { barSourceFromOption } from "../bar-sources.js";
import { compileFile } from "../compile-file.js";
import { compileOrFail } from "../compile-or-fail.js";
import { brokerFor, storeFor } from "../live-wiring.js";
import { err, out } from "../output.js";
import { EXIT, UsageError } from "../usage-error.js";

interface StrategyConfig {
  file: string;
  strategy?: string;
  mode?: RunMode;
  capital?: number;
  fraction?: number;
  at?: string;
  data?: string;
  params?: Record<string, number>;
}

interface ScheduleConfig {
  port?: number;
  strategies: StrategyConfig[];
}

export function registerSchedule(program: Command): void {
  program
    .command("schedule")
    .description("run every strategy of a config file once per trading day, shortly before the close (a daemon)")
    .argument("<config>", "JSON config file")
    .option("--port <port>", "port of /health and /shutdown on 127.0.0.1 (overrides the config)")
    .action(async (config: string, flags: { port?: string }) => {
      process.exitCode = await scheduleCommand(config, flags);
    });
}

function readConfig(path: string): ScheduleConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message}`);
  }
  const config = parsed as Partial<ScheduleConfig>;
  if (typeof parsed !== "object" || parsed === null || !Array.isArray(config.strategies) || config.strategies.length === 0) {
    throw new UsageError(`${path}: expected {"strategies": [{"file": ...}, ...]}`);
  }
  config.strategies.forEach((s, i) => {
    if (typeof s.file !== "string") throw new UsageError(`${path}: strategies[${i}] needs a "file"`);
    if (s.mode !== undefined && !["dry-run", "paper"].includes(s.mode)) throw new UsageError(`${path}: strategies[${i}].mode must be dry-run or paper (live trading is started by hand with strat run --mode live --confirm-live)`);
    if (s.at !== undefined && !/^\d{2}:\d{2}$/.test(s.at)) throw new UsageError(`${path}: strategies[${i}].at must be HH:MM (New York)`);
  });
  return config as ScheduleConfig;
}

async function scheduleCommand(path: string, flags: { port?: string }): Promise<number> {
  const config = readConfig(path);
  const base = dirname(resolve(path));
  const broker = await brokerFor("paper");
  const store = await storeFor();
  const strategies: ScheduledStrategy[] = config.strategies.map((entry) => {
    const file = resolve(base, entry.file);
    const ir = compileOrFail(file);
    const strategy = pickStrategy(ir, entry.strategy);
    const source = compileFile(file).text ?? "";
    const bars = barSourceFromOption(entry.data ?? "alpaca");
    return {
      name: strategy.name,
      ...(entry.at === undefined ? {} : { at: entry.at }),
      run: async () => {
        const outcome = await runOnce({
          strategy,
          params: ir.params,
          paramOverrides: entry.params ?? {},
          source,
          mode: entry.mode ?? "paper",
          broker,
          store,
          bars,
          ...(entry.capital === undefined ? {} : { capital: entry.capital }),
          ...(entry.fraction === undefined ? {} : { fraction: entry.fraction }),
          costs: { slippageBps: 5, fees: "none", minNotional: 1 },
          limits: {},
          log: (line) => out(`[${strategy.name}] ${line}`),
        });
        if (outcome.status === "refused") throw new Error(`refused: ${outcome.reason}`);
        if (outcome.status === "locked") throw new Error("another process holds the strategy's lock");
        return outcome.status === "completed" ? `run ${outcome.run.id} ${outcome.run.state}` : outcome.status;
      },
    };
  });
  let token = process.env.STRAT_SHUTDOWN_TOKEN;
  if (token === undefined || token === "") {
    token = randomBytes(24).toString("hex");
    err(`shutdown token (set STRAT_SHUTDOWN_TOKEN to choose one): ${token}`);
  }
  const scheduler = new Scheduler({ broker, strategies, port: flags.port === undefined ? (config.port ?? 8787) : Number(flags.port), shutdownToken: token, log: out });
  const stop = (): void => void scheduler.stop();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  await scheduler.start();
  await scheduler.done;
  await store.close();
  return EXIT.ok;
}
