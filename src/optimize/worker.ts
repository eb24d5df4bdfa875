/**
 * The worker thread's entry: receives a StudyContext once (workerData), keeps its own
 * BacktestEvaluator (and series cache), and answers `{ id, points, window }` requests.
 */
import { parentPort, workerData } from "node:worker_threads";
import { BacktestEvaluator, type StudyContext } from "./backtest-evaluator.js";
import type { Point } from "./space.js";
import type { TrialWindow } from "./trial.js";

const evaluator = new BacktestEvaluator(workerData as StudyContext);
parentPort!.on("message", (message: { id: number; points: Point[]; window?: TrialWindow }) => {
  parentPort!.postMessage({ id: message.id, outcomes: evaluator.runSync(message.points, message.window) });
});
