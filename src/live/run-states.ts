/** Which run states are final (a run in one of them is never resumed). */
import type { RunState } from "../ports/store.js";

export const FINAL_RUN_STATES: ReadonlySet<RunState> = new Set(["reconciled", "failed", "refused"]);
