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
  /** `--walk-forward TRAIN/TEST` of a walk-forward study (its windows are child studies). */
  walkForward?: string;
  /**
   * Set on a window study: the train search of window `index` (0-based) of walk-forward study
   * `study`. Its `from`/`to` are the train sessions; it is resumed through its parent.
   */
  window?: { study: number; index: number };
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

/**
 * Persistence of studies. Trials are append-only; a trial number is stored at most once (a
 * number already stored, e.g. by a queue worker, is kept as it is).
 */
export interface StudyRepository {
  createStudy(study: { strategy: string; irHash: string; config: StudyConfig }): Promise<number>;
  /** Replaces the stored config's StudyConfig fields (other stored keys are kept). */
  setConfig(studyId: number, config: StudyConfig): Promise<void>;
  addTrials(studyId: number, trials: readonly Trial[]): Promise<void>;
  setStatus(studyId: number, status: StudyStatus): Promise<void>;
  /** The study with its trials, or null when there is no such id. */
  loadStudy(studyId: number): Promise<StoredStudy | null>;
  /** The window studies of walk-forward study `studyId` (config.window.study), with their trials. */
  windowStudies(studyId: number): Promise<StoredStudy[]>;
  close(): Promise<void>;
}
