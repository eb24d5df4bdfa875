/** The page's side of the compiler worker: request/response by id. */
import type { WorkerRequest, WorkerResponse } from "./protocol.js";

type Pending = (response: WorkerResponse) => void;
type Payload<K extends WorkerRequest["kind"]> = Omit<Extract<WorkerRequest, { kind: K }>, "id">;
type Reply<K extends WorkerResponse["kind"]> = Extract<WorkerResponse, { kind: K }>;

/** Talks to compiler.worker.js. */
export class CompilerClient {
  private readonly worker = new Worker(new URL("./compiler.worker.js", import.meta.url), { type: "module" });
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor() {
    this.worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
      const done = this.pending.get(event.data.id);
      this.pending.delete(event.data.id);
      done?.(event.data);
    };
  }

  private send(request: WorkerRequest): Promise<WorkerResponse> {
    return new Promise((resolve) => {
      this.pending.set(request.id, resolve);
      this.worker.postMessage(request);
    });
  }

  private async call<K extends "check" | "format" | "convert">(payload: Payload<K>): Promise<Reply<K>> {
    const response = await this.send({ ...payload, id: this.nextId++ } as WorkerRequest);
    if (response.kind === "failed") throw new Error(`compiler worker: ${response.message}`);
    return response as Reply<K>;
  }

  /** Diagnostics and symbols of `text`. */
  check(file: string, text: string): Promise<Reply<"check">> {
    return this.call<"check">({ kind: "check", file, text });
  }

  /** `strat fmt` of `text` (null with syntax errors). */
  format(file: string, text: string): Promise<Reply<"format" | "convert">> {
    return this.call<"format">({ kind: "format", file, text }) as Promise<Reply<"format" | "convert">>;
  }

  /** `strat convert` of a Composer file. */
  convert(file: string, text: string): Promise<Reply<"format" | "convert">> {
    return this.call<"convert">({ kind: "convert", file, text }) as Promise<Reply<"format" | "convert">>;
  }
}
