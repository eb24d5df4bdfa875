/**
 * The optimizer's StudyRepository on the store database (tables of
 * migrations/002_optimizer.sql): PGlite in `.strat/db` by default, a server with a URL.
 * A walk-forward study's windows are studies of their own (config.window names the parent),
 * so window trials need no table of their own and queue workers run them like any study.
 */
import { sql, type Kysely } from "kysely";
import type { Metrics } from "../../backtest/metrics.js";
import type { StoredStudy, StudyConfig, StudyRepository, StudyStatus } from "../../optimize/study-repository.js";
import type { Trial } from "../../optimize/trial.js";
import { openDatabase, type Database, type OpenDatabaseOptions } from "./database.js";
import { migrateToLatest } from "./migrate.js";
import type { StoreSchema } from "./schema.js";

interface StudiesTable {
  id: number;
  strategy: string;
  ir_hash: string;
  config: StudyConfig;
  status: string;
}

interface TrialsTable {
  study_id: number;
  number: number;
  params: Record<string, number>;
  objective: number | null;
  feasible: boolean;
  metrics: Metrics | null;
  error: string | null;
}

type StudySchema = StoreSchema & { studies: StudiesTable; trials: TrialsTable };

/** A StudyRepository over an open database; `close()` closes it when `owns`. */
export class PostgresStudyStore implements StudyRepository {
  private readonly db: Kysely<StudySchema>;

  constructor(
    private readonly database: Database,
    private readonly owns = true,
  ) {
    this.db = database.db.withTables<{ studies: StudiesTable; trials: TrialsTable }>();
  }

  /** Where the database is, for messages. */
  get location(): string {
    return this.database.location;
  }

  async createStudy(study: { strategy: string; irHash: string; config: StudyConfig }): Promise<number> {
    const row = await sql<{ id: number }>`INSERT INTO studies (strategy, ir_hash, config) VALUES (${study.strategy}, ${study.irHash}, ${JSON.stringify(study.config)}::jsonb) RETURNING id`.execute(this.db);
    return Number(row.rows[0]!.id);
  }

  async setConfig(studyId: number, config: StudyConfig): Promise<void> {
    // Merged, not replaced: the queue keeps the strategy's source under its own key.
    await sql`UPDATE studies SET config = config || ${JSON.stringify(config)}::jsonb, updated_at = now() WHERE id = ${studyId}`.execute(this.db);
  }

  async addTrials(studyId: number, trials: readonly Trial[]): Promise<void> {
    if (trials.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const t of trials) {
        await sql`INSERT INTO trials (study_id, number, params, objective, feasible, metrics, error)
          VALUES (${studyId}, ${t.number}, ${JSON.stringify(t.params)}::jsonb, ${t.objective}, ${t.feasible}, ${t.metrics === null ? null : JSON.stringify(t.metrics)}::jsonb, ${t.error})
          ON CONFLICT (study_id, number) DO NOTHING`.execute(trx);
      }
      await sql`UPDATE studies SET updated_at = now() WHERE id = ${studyId}`.execute(trx);
    });
  }

  async setStatus(studyId: number, status: StudyStatus): Promise<void> {
    await sql`UPDATE studies SET status = ${status}, updated_at = now() WHERE id = ${studyId}`.execute(this.db);
  }

  async loadStudy(studyId: number): Promise<StoredStudy | null> {
    const study = (await sql<StudiesTable>`SELECT id, strategy, ir_hash, config, status FROM studies WHERE id = ${studyId}`.execute(this.db)).rows[0];
    return study === undefined ? null : this.withTrials(study);
  }

  async windowStudies(studyId: number): Promise<StoredStudy[]> {
    const rows = (await sql<StudiesTable>`SELECT id, strategy, ir_hash, config, status FROM studies WHERE (config->'window'->>'study')::bigint = ${studyId} ORDER BY id`.execute(this.db)).rows;
    return Promise.all(rows.map((r) => this.withTrials(r)));
  }

  private async withTrials(study: StudiesTable): Promise<StoredStudy> {
    const rows = (await sql<TrialsTable>`SELECT number, params, objective, feasible, metrics, error FROM trials WHERE study_id = ${study.id} ORDER BY number`.execute(this.db)).rows;
    return {
      id: Number(study.id),
      strategy: study.strategy,
      irHash: study.ir_hash,
      config: study.config,
      status: study.status as StudyStatus,
      trials: rows.map((r) => ({ number: r.number, params: r.params, objective: r.objective === null ? null : Number(r.objective), feasible: r.feasible, metrics: r.metrics, error: r.error })),
    };
  }

  async close(): Promise<void> {
    if (this.owns) await this.database.close();
  }
}

/** Opens (and migrates) the database for studies; see `OpenDatabaseOptions`. */
export async function openStudyStore(options: OpenDatabaseOptions = {}): Promise<PostgresStudyStore> {
  const database = await openDatabase(options);
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return new PostgresStudyStore(database);
}
