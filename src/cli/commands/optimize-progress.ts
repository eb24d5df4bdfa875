/**
 * The progress bar of `strat optimize` on a terminal: one line rewritten in place with the
 * trials done, the best objective so far, the trial rate and the time left. Nothing is drawn
 * when the stream is not a TTY (logs and pipes get the summary only).
 */

/** Where the bar is drawn (process.stderr, or a fake TTY in tests). */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressOptions {
  stream?: ProgressStream;
  /** Milliseconds clock (default Date.now); injected for deterministic tests. */
  now?: () => number;
  /** Printed before the counts, e.g. `window 2/6: `. */
  label?: string;
}

/** A bar for one search; `update` after each batch, `done` when the search ends. */
export interface Progress {
  /**
   * Redraws the line: `done` trials of the total (including a resumed study's earlier ones),
   * `best` the best feasible objective so far (null: none yet).
   */
  update(done: number, best: number | null): void;
  /** Ends the line (once); later updates are ignored. */
  done(): void;
}

/** `42s`, `3m 05s`, `1h 02m`: whole seconds, rounded up (an ETA never reads 0s too early). */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/**
 * The text of one bar line (without the carriage return): `rate` in trials per second, null
 * before any trial of this run finished (then the rate and ETA read `—`).
 */
export function progressLine(label: string, done: number, total: number, best: number | null, rate: number | null): string {
  const bestText = best === null ? "—" : Number(best.toPrecision(4)).toString();
  const rateText = rate === null ? "—" : rate.toFixed(1);
  const eta = done >= total ? "0s" : rate === null || rate <= 0 ? "—" : formatDuration((total - done) / rate);
  return `${label}${done}/${total} trials  best ${bestText}  ${rateText}/s  ETA ${eta}`;
}

/**
 * A bar over `total` trials. The rate counts only trials finished since the first update
 * (a resumed study's stored trials took no time in this run).
 */
export function progressBar(total: number, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const tty = stream.isTTY === true;
  const label = options.label ?? "";
  const started = now();
  let first: number | null = null;
  let drawn = false;
  let ended = false;
  return {
    update(done, best) {
      if (!tty || ended) return;
      first ??= done;
      const elapsed = (now() - started) / 1000;
      const rate = done > first && elapsed > 0 ? (done - first) / elapsed : null;
      // \x1b[K clears what a longer previous line left to the right.
      stream.write(`\r${progressLine(label, done, total, best, rate)}\x1b[K`);
      drawn = true;
    },
    done() {
      if (ended) return;
      ended = true;
      if (drawn) stream.write("\n");
    },
  };
}
