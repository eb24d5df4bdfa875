/**
 * `strat schedule`: a daemon that runs each configured strategy once per trading day at its
 * time — by default 10 minutes before the close, so 15:50 New York, or 12:50 on early-close
 * days — from the broker's market calendar. It ticks every minute (node-cron, New York time),
 * serves GET /health and POST /shutdown on 127.0.0.1, and stops gracefully.
 */
import { timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import cron from "node-cron";
import type { Broker } from "../ports/broker.js";
import { newYorkTime } from "../data/market-hours.js";

export interface ScheduledStrategy {
  name: string;
  /** Minutes before the session's close to run (default 10); ignored when `at` is given. */
  minutesBeforeClose?: number;
  /** A fixed New York time "HH:MM" (moved to 10 minutes before an early close if later). */
  at?: string;
  /** Runs the strategy once; resolves with a short outcome, rejects on failure. */
  run: () => Promise<string>;
}

export interface StrategyHealth {
  name: string;
  lastRunDate: string | null;
  lastOutcome: string | null;
  lastError: string | null;
  running: boolean;
}

export interface SchedulerOptions {
  broker: Broker;
  strategies: ScheduledStrategy[];
  /** Port for /health and /shutdown on 127.0.0.1 (0: any free port). */
  port: number;
  /** Token POST /shutdown must carry in its Authorization: Bearer header. */
  shutdownToken: string;
  log: (line: string) => void;
  /** Injected for tests: the current instant (default now). */
  now?: () => Date;
  /** Injected for tests: skip installing the cron job (ticks are driven by calling `tick`). */
  manualTicks?: boolean;
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** The New York time a strategy runs on a session closing at `close` ("HH:MM"). */
export function runTime(strategy: ScheduledStrategy, close: string): number {
  const beforeClose = minutes(close) - (strategy.minutesBeforeClose ?? 10);
  if (strategy.at === undefined) return beforeClose;
  return Math.min(minutes(strategy.at), minutes(close) - 10);
}

export class Scheduler {
  private readonly health = new Map<string, StrategyHealth>();
  private server: Server | null = null;
  private task: { stop(): void | Promise<void> } | null = null;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Resolves when the scheduler has stopped (after a shutdown request or `stop()`). */
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(private readonly options: SchedulerOptions) {
    for (const s of options.strategies) this.health.set(s.name, { name: s.name, lastRunDate: null, lastOutcome: null, lastError: null, running: false });
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** Starts the HTTP endpoints and the minute tick; resolves with the bound port. */
  async start(): Promise<number> {
    this.server = createServer((req, res) => {
      if (req.method === "GET" && req.url === "/health") {
        const strategies = [...this.health.values()];
        const failing = strategies.some((s) => s.lastError !== null);
        res.writeHead(failing ? 503 : 200, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: failing ? "failing" : "ok", strategies }));
        return;
      }
      if (req.method === "POST" && req.url === "/shutdown") {
        const given = Buffer.from(String(req.headers.authorization ?? ""));
        const wanted = Buffer.from(`Bearer ${this.options.shutdownToken}`);
        // Constant-time: the comparison must not reveal how much of the token was right.
        const ok = given.length === wanted.length && timingSafeEqual(given, wanted);
        res.writeHead(ok ? 202 : 401, { "content-type": "application/json" });
        res.end(JSON.stringify(ok ? { status: "stopping" } : { error: "unauthorized" }));
        if (ok) void this.stop();
        return;
      }
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "not found" }));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.options.port, "127.0.0.1", resolve));
    if (this.options.manualTicks !== true) {
      this.task = cron.schedule("* * * * 1-5", () => this.tick(), { timezone: "America/New_York", noOverlap: true });
    }
    const port = (this.server.address() as AddressInfo).port;
    this.options.log(`scheduler: ${this.options.strategies.length} strategies; health on http://127.0.0.1:${port}/health`);
    return port;
  }

  /** One minute's check: runs each strategy whose time has come today and has not run yet. */
  tick(): Promise<void> {
    this.ticking = this.ticking.then(() => this.tickNow()).catch((error) => this.options.log(`scheduler: tick failed: ${(error as Error).message}`));
    return this.ticking;
  }

  private async tickNow(): Promise<void> {
    if (this.stopped) return;
    const now = newYorkTime((this.options.now ?? (() => new Date()))());
    const sessions = await this.options.broker.calendar(now.date, now.date);
    const session = sessions[0];
    if (session === undefined) return;
    for (const strategy of this.options.strategies) {
      const health = this.health.get(strategy.name)!;
      if (health.lastRunDate === now.date || minutes(now.time) < runTime(strategy, session.close) || minutes(now.time) >= minutes(session.close)) continue;
      health.running = true;
      health.lastRunDate = now.date;
      try {
        health.lastOutcome = await strategy.run();
        health.lastError = null;
        this.options.log(`scheduler: ${strategy.name}: ${health.lastOutcome}`);
      } catch (error) {
        health.lastError = (error as Error).message;
        this.options.log(`scheduler: ${strategy.name} failed: ${health.lastError}`);
      } finally {
        health.running = false;
      }
    }
  }

  /** Health of every strategy. */
  status(): StrategyHealth[] {
    return [...this.health.values()];
  }

  /** Stops ticking, waits for a running tick, closes the endpoints. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.task?.stop();
    await this.ticking;
    await new Promise<void>((resolve) => (this.server === null ? resolve() : this.server.close(() => resolve())));
    this.options.log("scheduler: stopped");
    this.resolveDone();
  }
}
