/**
 * A TrialEvaluator over worker threads: each worker gets the study's context (bars included)
 * once and keeps its own series cache; a batch is split into contiguous chunks, one per
 * worker, and the outcomes are put back in the batch's order. The backtest is deterministic,
 * so the outcomes equal those of the in-process loop.
 */
import { Worker } from "node:worker_threads";
import type { StudyContext } from "./backtest-evaluator.js";
import type { Point } from "./space.js";
import type { TrialEvaluator, TrialOutcome, TrialWindow } from "./trial.js";

type Pending = { resolve: (outcomes: TrialOutcome[]) => void; reject: (error: Error) => void };

/**
 * Starts the worker script beside this module. Running from TypeScript sources (tests, tsx),
 * the worker needs the same loader, so a tiny bootstrap registers tsx's ESM hooks inside the
 * worker before importing the script (Node 20 does not pass `--import` hooks to workers).
 */
function startWorker(context: StudyContext): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./worker.js", import.meta.url), { workerData: context });
  const script = new URL("./worker.ts", import.meta.url).href;
  const bootstrap = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(script)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: context });
}

/** `size` worker threads; see the module comment. Call `close()` to end them. */
export class WorkerPool implements TrialEvaluator {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | null = null;
  private closing = false;

  constructor(context: StudyContext, size: number) {
    for (let i = 0; i < size; i++) {
      const worker = startWorker(context);
      worker.on("message", (m: { id: number; outcomes: TrialOutcome[] }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve(m.outcomes);
      });
      worker.on("error", (error) => this.fail(error));
      worker.on("exit", (code) => {
        if (code !== 0 && !this.closing) this.fail(new Error(`an optimizer worker exited with code ${code}`));
      });
      this.workers.push(worker);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  async run(points: readonly Point[], window?: TrialWindow): Promise<TrialOutcome[]> {
    if (this.failure !== null) throw this.failure;
    const n = this.workers.length;
    const chunk = Math.ceil(points.length / n);
    const parts: Promise<TrialOutcome[]>[] = [];
    for (let w = 0; w < n && w * chunk < points.length; w++) {
      const id = this.nextId++;
      const slice = points.slice(w * chunk, (w + 1) * chunk);
      parts.push(
        new Promise<TrialOutcome[]>((resolve, reject) => {
          this.pending.set(id, { resolve, reject });
          this.workers[w]!.postMessage({ id, points: slice, ...(window === undefined ? {} : { window }) });
        }),
      );
    }
    return (await Promise.all(parts)).flat();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
