/**
 * Where studies and their trials are kept: a port the optimizer writes through, implemented
 * on Postgres/PGlite by src/adapters/postgres/study-store.ts (wired by the CLI).
 */
import type { Trial } from "./trial.js";

/** Everything a study needs to be re-run or resumed; stored as it is. */
export interface StudyConfig {
  file: string;
  strategy: string;
  /** `--param NAME=RANGE` texts by name. */
  ranges: Record<string, string>;
  search: "grid" | "random" | "bayes";
  trials: number;
  seed: number;
  objective: string;
  constraints: string[];
  data: string;
  from?: string;
  to?: string;
  capital: number;
  slippageBps: number;
  fees: "none" | "regulatory";
}

export type StudyStatus = "running" | "stopped" | "done" | "failed";

/** A stored study and its trials in number order. */
export interface StoredStudy {
  id: number;
  strategy: string;
  irHash: string;
  config: StudyConfig;
  status: StudyStatus;
  trials: Trial[];
}

/** Persistence of studies. Trials are append-only; a trial number is never written twice. */
export interface StudyRepository {
  createStudy(study: { strategy: string; irHash: string; config: StudyConfig }): Promise<number>;
  addTrials(studyId: number, trials: readonly Trial[]): Promise<void>;
  setStatus(studyId: number, status: StudyStatus): Promise<void>;
  /** The study with its trials, or null when there is no such id. */
  loadStudy(studyId: number): Promise<StoredStudy | null>;
  close(): Promise<void>;
}
