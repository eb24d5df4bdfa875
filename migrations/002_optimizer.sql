-- The optimizer's studies and trials (DESIGN.md §7). Every trial of `strat optimize` is a row,
-- so a study can be inspected and resumed (`--resume ID`). Params and metrics are jsonb (their
-- keys depend on the strategy); the objective is a double, so it reads back bit for bit.

CREATE TABLE studies (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  strategy text NOT NULL,
  ir_hash text NOT NULL,
  -- Everything needed to resume: file, space, search, seed, objective, constraints, data, range.
  config jsonb NOT NULL,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'stopped', 'done', 'failed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE trials (
  study_id bigint NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  number integer NOT NULL CHECK (number >= 0),
  params jsonb NOT NULL,
  objective double precision,
  feasible boolean NOT NULL,
  metrics jsonb,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (study_id, number)
);
