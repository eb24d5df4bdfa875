/**
 * The live runner's state (DESIGN.md §8), in Postgres through kysely: PGlite in `.strat/db`
 * by default, a server when DATABASE_URL is set. Money and quantities are numbers (parsed the
 * same on both drivers), dates YYYY-MM-DD, times ISO-8601.
 */

export type RunMode = "dry-run" | "paper" | "live";

/**
 * A run's state machine: planned → submitted → filled | partially_filled → reconciled, or
 * failed / refused with a reason. `reconciled`, `failed` and `refused` are final.
 */
export type RunState = "planned" | "submitted" | "filled" | "partially_filled" | "reconciled" | "failed" | "refused";


export interface RunRecord {
  id: number;
  strategyId: number;
  versionId: number;
  strategy: string;
  tradingDate: string;
  mode: RunMode;
  state: RunState;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
}

export type OrderRecordStatus = "planned" | "submitted" | "partially_filled" | "filled" | "canceled" | "rejected" | "expired" | "failed";

export interface NewOrder {
  clientOrderId: string;
  symbol: string;
  side: "buy" | "sell";
  qty: number;
  /** The price it was planned at. */
  price: number;
  notional: number;
}

export interface OrderRecord extends NewOrder {
  runId: number;
  brokerOrderId: string | null;
  status: OrderRecordStatus;
  filledQty: number;
  filledAvgPrice: number | null;
  reason: string | null;
}

export interface DecisionRecord {
  tradingDate: string;
  irHash: string;
  /** Content hash of the bars the decision was made on. */
  dataHash: string;
  /** Target weights, ticker → fraction. */
  allocation: Record<string, number>;
  /** Taken branches and filter winners: node id → "then" | "else" | selected candidate indexes. */
  branches: Record<string, unknown>;
}

export interface StoredDecision extends DecisionRecord {
  runId: number;
  createdAt: string;
}

export interface PositionSnapshot {
  symbol: string;
  qty: number;
  marketValue: number;
}

export interface Lock {
  release(): Promise<void>;
}

export interface Store {
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
  /** A session-level advisory lock on `key`, or null when another process holds it. */
  tryLock(key: string): Promise<Lock | null>;
  /** The strategy's id and the id of this IR version (created on first sight). */
  ensureStrategy(name: string, irHash: string, source: string): Promise<{ strategyId: number; versionId: number }>;
  findRun(strategyId: number, tradingDate: string, mode: RunMode): Promise<RunRecord | null>;
  /** Records the run, its planned orders and its decision in one transaction. */
  createPlannedRun(input: { strategyId: number; versionId: number; tradingDate: string; mode: RunMode; orders: NewOrder[]; decision: DecisionRecord }): Promise<RunRecord>;
  /** Records a run that refused to trade (or failed before planning), with the reason. */
  createClosedRun(input: { strategyId: number; versionId: number; tradingDate: string; mode: RunMode; state: "refused" | "failed"; reason: string }): Promise<RunRecord>;
  setRunState(runId: number, state: RunState, reason?: string | null): Promise<void>;
  orders(runId: number): Promise<OrderRecord[]>;
  updateOrder(clientOrderId: string, patch: Partial<Pick<OrderRecord, "brokerOrderId" | "status" | "filledQty" | "filledAvgPrice" | "reason">>): Promise<void>;
  recordFill(clientOrderId: string, qty: number, price: number, at: string): Promise<void>;
  /** Net filled shares per symbol over all of a strategy's runs (its ledger), mode by mode. */
  ledger(strategyId: number, mode: RunMode): Promise<Map<string, number>>;
  snapshot(runId: number, positions: PositionSnapshot[], equity: number, cash: number): Promise<void>;
  decisions(strategyId: number, mode: RunMode, limit: number): Promise<StoredDecision[]>;
  /** An entry in the run's log: every step and every refusal. */
  event(runId: number, kind: string, message: string): Promise<void>;
  events(runId: number): Promise<{ kind: string; message: string; at: string }[]>;
  recentRuns(limit: number, strategy?: string): Promise<RunRecord[]>;
}
