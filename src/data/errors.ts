/**
 * Problems with market data: a missing ticker, a gap, a non-positive price, unsorted or
 * duplicate dates. Always located (ticker, and file/line/date where known); the CLI prints the
 * message and exits 1, never a stack trace.
 */
export interface DataErrorLocation {
  ticker?: string;
  file?: string;
  line?: number;
  date?: string;
}

export class DataError extends Error {
  constructor(
    message: string,
    readonly location: DataErrorLocation = {},
  ) {
    super(DataError.format(message, location));
    this.name = "DataError";
  }

  private static format(message: string, at: DataErrorLocation): string {
    const where = at.file !== undefined ? `${at.file}${at.line !== undefined ? `:${at.line}` : ""}: ` : "";
    const what = [at.ticker, at.date].filter((x) => x !== undefined).join(" ");
    return `${where}${what === "" ? "" : `${what}: `}${message}`;
  }
}
