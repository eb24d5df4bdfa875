/**
 * Kysely's view of the tables in migrations/*.sql, with the JS types the parsers in
 * type-parsers.ts produce: bigint ids and numerics as numbers, dates and times as strings.
 */
import type { ColumnType, Generated, GeneratedAlways } from "kysely";

/** A column the database fills in (default now()) but that reads as an ISO string. */
type Timestamp = ColumnType<string, string | undefined, string>;

/** Row type of `strategies`. */
export interface StrategiesTable {
  id: GeneratedAlways<number>;
  name: string;
  created_at: Timestamp;
}

/** Row type of `strategy_versions`. */
export interface StrategyVersionsTable {
  id: GeneratedAlways<number>;
  strategy_id: number;
  ir_hash: string;
  source: string;
  created_at: Timestamp;
}

/** Row type of `runs`. */
export interface RunsTable {
  id: GeneratedAlways<number>;
  strategy_id: number;
  version_id: number;
  /** 'YYYY-MM-DD'. */
  trading_date: string;
  mode: string;
  state: string;
  reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Row type of `orders`. */
export interface OrdersTable {
  id: GeneratedAlways<number>;
  run_id: number;
  client_order_id: string;
  symbol: string;
  side: string;
  qty: number;
  price: number;
  notional: number;
  broker_order_id: string | null;
  status: Generated<string>;
  filled_qty: Generated<number>;
  filled_avg_price: number | null;
  reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Row type of `fills`: one delta of filled shares. */
export interface FillsTable {
  id: GeneratedAlways<number>;
  order_id: number;
  qty: number;
  price: number;
  filled_at: string;
  recorded_at: Timestamp;
}

/** Row type of `equity_snapshots`. */
export interface EquitySnapshotsTable {
  id: GeneratedAlways<number>;
  run_id: number;
  equity: number;
  cash: number;
  taken_at: Timestamp;
}

/** Row type of `position_snapshots`. */
export interface PositionSnapshotsTable {
  snapshot_id: number;
  symbol: string;
  qty: number;
  market_value: number;
}

/** Row type of `decisions`; the jsonb columns are written as JSON text, read as objects. */
export interface DecisionsTable {
  id: GeneratedAlways<number>;
  run_id: number;
  strategy_id: number;
  trading_date: string;
  ir_hash: string;
  data_hash: string;
  allocation: ColumnType<Record<string, number>, string, string>;
  branches: ColumnType<Record<string, unknown>, string, string>;
  created_at: Timestamp;
}

/** Row type of `run_events`. */
export interface RunEventsTable {
  id: GeneratedAlways<number>;
  run_id: number;
  at: Timestamp;
  kind: string;
  message: string;
}

/** Row type of `strat_migrations` (created by the migration runner, not by a migration). */
export interface StratMigrationsTable {
  name: string;
  applied_at: Timestamp;
}

/** Every table, for `Kysely<StoreSchema>`. */
export interface StoreSchema {
  strategies: StrategiesTable;
  strategy_versions: StrategyVersionsTable;
  runs: RunsTable;
  orders: OrdersTable;
  fills: FillsTable;
  equity_snapshots: EquitySnapshotsTable;
  position_snapshots: PositionSnapshotsTable;
  decisions: DecisionsTable;
  run_events: RunEventsTable;
  strat_migrations: StratMigrationsTable;
}
