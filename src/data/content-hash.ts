/**
 * The content hash of bars, the "data hash" recorded with every backtest and live decision.
 * Defined on values, not on file bytes, so the same bars hash the same whichever provider,
 * cache file or CSV layout they came from.
 *
 * Canonical text (the port's definition, shared with the Alpaca adapter's `barsContentHash`):
 * one line `TICKER,YYYY-MM-DD,CLOSE\n` per bar, tickers in code-unit order, dates as stored
 * (ascending), CLOSE as JavaScript's shortest round-trip decimal (`String(x)`); the hash is the
 * hex SHA-256 of the text's UTF-8 bytes. Sixteen years of thirty tickers is ~4 MB of text, so
 * the bytes are written straight into one buffer (no per-line strings to collect and join)
 * and, in `load()` paths, digested by WebCrypto when the platform has it (Node ≥ 20 and
 * browsers do); the decimal formatting itself is then most of the cost.
 */
import { sha256Hex } from "../ir/sha256.js";
import type { TickerBars } from "../ports/bar-source.js";

type Bars = ReadonlyMap<string, TickerBars> | readonly TickerBars[];

const encoder = new TextEncoder();

function sortedList(bars: Bars): TickerBars[] {
  const list = Array.isArray(bars) ? [...(bars as readonly TickerBars[])] : [...(bars as ReadonlyMap<string, TickerBars>).values()];
  return list.sort((a, b) => (a.ticker < b.ticker ? -1 : a.ticker > b.ticker ? 1 : 0));
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

/** The canonical text of `bars` as UTF-8 bytes. */
export function canonicalBarBytes(bars: Bars): Uint8Array {
  const list = sortedList(bars);
  const prefixes = list.map((t) => encoder.encode(`${t.ticker},`));
  // An upper bound first (a shortest decimal has at most 25 characters): one allocation, no growth.
  let size = 0;
  list.forEach((t, k) => {
    size += t.dates.length * (prefixes[k]!.length + 27);
    for (const date of t.dates) size += isAscii(date) ? date.length : encoder.encode(date).length;
  });
  const buffer = new Uint8Array(size);
  let at = 0;
  list.forEach((t, k) => {
    const prefix = prefixes[k]!;
    const { dates, close } = t;
    for (let i = 0; i < dates.length; i++) {
      for (let j = 0; j < prefix.length; j++) buffer[at++] = prefix[j]!;
      const date = dates[i]!;
      if (isAscii(date)) {
        for (let j = 0; j < date.length; j++) buffer[at++] = date.charCodeAt(j);
      } else {
        // Providers only hand out YYYY-MM-DD; anything else still hashes as its UTF-8 bytes.
        const bytes = encoder.encode(date);
        buffer.set(bytes, at);
        at += bytes.length;
      }
      buffer[at++] = 44; // ","
      const decimal = String(close[i]);
      for (let j = 0; j < decimal.length; j++) buffer[at++] = decimal.charCodeAt(j);
      buffer[at++] = 10; // "\n"
    }
  });
  return buffer.subarray(0, at);
}

/**
 * sha256 (hex) of the canonical text of `bars` (see the module comment), synchronously, with
 * the plain-TypeScript SHA-256 (same digest as `contentHashAsync`, several times slower).
 */
export function contentHash(bars: Bars): string {
  return sha256Hex(new TextDecoder().decode(canonicalBarBytes(bars)));
}

/** The same digest as `contentHash`, computed by WebCrypto when available (fast), else by `contentHash`. */
export async function contentHashAsync(bars: Bars): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) return contentHash(bars);
  const bytes = canonicalBarBytes(bars);
  const digest = new Uint8Array(await subtle.digest("SHA-256", bytes));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
