/**
 * What the editor server takes from the CLI, which is the only composition root (DESIGN.md §4):
 * its `--param` and date parsers and its `--data` wiring. Passing them in keeps a picker value
 * meaning exactly what the same flag means, without the server importing the CLI.
 */
import type { BarSource } from "../ports/bar-source.js";

export interface RunInputs {
  /** `NAME=VALUE` entries as `--param` reads them (`5%` is 0.05). Throws an Error for the user on bad text. */
  parseParams(entries: readonly string[]): Record<string, number>;
  /** A YYYY-MM-DD date; `what` names it in the message. Throws an Error for the user on bad text. */
  parseDate(value: string, what: string): string;
  /** The bar source `--data SPEC` gives, reading the cache from `cacheDir`. Throws an Error for the user. */
  barSource(spec: string, cacheDir: string): BarSource;
}

/** Calls `parse`, turning its Error into `wrap(message)`: the parsers' errors are the user's. */
export function asUserError<T>(parse: () => T, wrap: (message: string) => Error): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof Error) throw wrap(error.message);
    throw error;
  }
}
