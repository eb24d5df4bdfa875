-- The live runner's state (DESIGN.md §8). Runs on Postgres servers and on PGlite alike, in
-- one transaction (see src/adapters/postgres/migrate.ts). Ids are bigint identities (read back
-- as JS numbers); money and quantities are numeric, so sums (the ledger) are exact; dates are
-- `date`, instants `timestamptz`.

CREATE TABLE strategies (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name <> ''),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per compiled IR version of a strategy; the source is kept for audits.
CREATE TABLE strategy_versions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  strategy_id bigint NOT NULL REFERENCES strategies (id),
  ir_hash text NOT NULL CHECK (ir_hash <> ''),
  source text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (strategy_id, ir_hash),
  -- Target of runs' composite key: a run's version must belong to the run's strategy.
  UNIQUE (id, strategy_id)
);

CREATE TABLE runs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  strategy_id bigint NOT NULL REFERENCES strategies (id),
  version_id bigint NOT NULL,
  trading_date date NOT NULL,
  mode text NOT NULL CHECK (mode IN ('dry-run', 'paper', 'live')),
  state text NOT NULL CHECK (state IN ('planned', 'submitted', 'filled', 'partially_filled', 'reconciled', 'failed', 'refused')),
  reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Re-running a day can never create a second run: the safety rail against duplicate orders.
  UNIQUE (strategy_id, trading_date, mode),
  UNIQUE (id, strategy_id),
  FOREIGN KEY (version_id, strategy_id) REFERENCES strategy_versions (id, strategy_id)
);

CREATE INDEX runs_created_at ON runs (created_at DESC, id DESC);

CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id bigint NOT NULL REFERENCES runs (id),
  -- Deterministic (strategy, mode, date, symbol, leg): the broker rejects a second submission.
  client_order_id text NOT NULL UNIQUE CHECK (client_order_id <> ''),
  symbol text NOT NULL CHECK (symbol <> ''),
  side text NOT NULL CHECK (side IN ('buy', 'sell')),
  qty numeric NOT NULL CHECK (qty > 0),
  -- The price the order was planned at, and qty × price.
  price numeric NOT NULL CHECK (price >= 0),
  notional numeric NOT NULL CHECK (notional >= 0),
  broker_order_id text,
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'submitted', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired', 'failed')),
  filled_qty numeric NOT NULL DEFAULT 0 CHECK (filled_qty >= 0),
  filled_avg_price numeric CHECK (filled_avg_price >= 0),
  reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX orders_run ON orders (run_id, id);

-- Each row is a delta: the shares newly filled at one observation. The ledger sums them.
CREATE TABLE fills (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id),
  qty numeric NOT NULL CHECK (qty > 0),
  price numeric NOT NULL CHECK (price >= 0),
  filled_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX fills_order ON fills (order_id);

-- The broker account after a run: equity and cash, and the positions of that same moment.
CREATE TABLE equity_snapshots (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id bigint NOT NULL REFERENCES runs (id),
  equity numeric NOT NULL,
  cash numeric NOT NULL,
  taken_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX equity_snapshots_run ON equity_snapshots (run_id);

CREATE TABLE position_snapshots (
  snapshot_id bigint NOT NULL REFERENCES equity_snapshots (id),
  symbol text NOT NULL CHECK (symbol <> ''),
  qty numeric NOT NULL,
  market_value numeric NOT NULL,
  PRIMARY KEY (snapshot_id, symbol)
);

-- The decision log: what the strategy wanted on a day and why (at most one per run).
CREATE TABLE decisions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id bigint NOT NULL UNIQUE,
  strategy_id bigint NOT NULL,
  trading_date date NOT NULL,
  ir_hash text NOT NULL,
  data_hash text NOT NULL,
  allocation jsonb NOT NULL CHECK (jsonb_typeof(allocation) = 'object'),
  branches jsonb NOT NULL CHECK (jsonb_typeof(branches) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- The decision's strategy is its run's strategy.
  FOREIGN KEY (run_id, strategy_id) REFERENCES runs (id, strategy_id)
);

CREATE INDEX decisions_strategy ON decisions (strategy_id, trading_date DESC, id DESC);

-- The run's log: every step and every refusal, in the order written.
CREATE TABLE run_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id bigint NOT NULL REFERENCES runs (id),
  -- clock_timestamp, not now(): events written in one transaction still get their own times.
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  kind text NOT NULL CHECK (kind <> ''),
  message text NOT NULL
);

CREATE INDEX run_events_run ON run_events (run_id, id);
