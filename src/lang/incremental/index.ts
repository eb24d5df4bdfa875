/** Incremental checking for the editor: see session.ts. */
export { CompileSession, type CheckResult, type StrategySummary, type UpdateStats } from "./session.js";
