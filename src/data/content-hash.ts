/**
 * The content hash of bars, the "data hash" recorded with every backtest and live decision.
 * Defined on values, not on file bytes, so the same bars hash the same whichever provider,
 * cache file or CSV layout they came from.
 *
 * Canonical bytes: for each ticker in code-unit order, its UTF-8 name and a newline, then per
 * bar the 10 ASCII bytes of its date (YYYY-MM-DD) and the close as 8 bytes of IEEE-754
 * little-endian binary64. Equal doubles give equal bytes, so no decimal formatting is needed:
 * sixteen years of thirty tickers (~2 MB) is written in a few milliseconds. The hash is the hex
 * SHA-256 of those bytes; `contentHashAsync` uses WebCrypto where the platform has it.
 */
import { sha256Bytes } from "../ir/sha256.js";
import type { TickerBars } from "../ports/bar-source.js";

type Bars = ReadonlyMap<string, TickerBars> | readonly TickerBars[];

const encoder = new TextEncoder();

function sortedList(bars: Bars): TickerBars[] {
  const list = Array.isArray(bars) ? [...(bars as readonly TickerBars[])] : [...(bars as ReadonlyMap<string, TickerBars>).values()];
  return list.sort((a, b) => (a.ticker < b.ticker ? -1 : a.ticker > b.ticker ? 1 : 0));
}

/** The canonical bytes of `bars` (see the module comment). */
export function canonicalBarBytes(bars: Bars): Uint8Array {
  const list = sortedList(bars);
  const names = list.map((t) => encoder.encode(`${t.ticker}\n`));
  let size = 0;
  list.forEach((t, k) => {
    size += names[k]!.length + t.dates.length * 18;
  });
  const buffer = new Uint8Array(size);
  const view = new DataView(buffer.buffer);
  let at = 0;
  list.forEach((t, k) => {
    buffer.set(names[k]!, at);
    at += names[k]!.length;
    for (let i = 0; i < t.dates.length; i++) {
      const date = t.dates[i]!;
      if (date.length !== 10) throw new Error(`${t.ticker}: date '${date}' is not YYYY-MM-DD`);
      for (let j = 0; j < 10; j++) buffer[at++] = date.charCodeAt(j);
      view.setFloat64(at, t.close[i]!, true);
      at += 8;
    }
  });
  return buffer;
}

/**
 * sha256 (hex) of the canonical bytes of `bars` (see the module comment), synchronously, with
 * the plain-TypeScript SHA-256 (same digest as `contentHashAsync`).
 */
export function contentHash(bars: Bars): string {
  return sha256Bytes(canonicalBarBytes(bars));
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
