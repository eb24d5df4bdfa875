/** The bars' content hash: the documented canonical text, order-independent, equal to the Alpaca adapter's. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { barsContentHash } from "../../src/adapters/alpaca/bar-source.js";
import { canonicalBarBytes, contentHash, contentHashAsync } from "../../src/data/content-hash.js";
import type { TickerBars } from "../../src/ports/bar-source.js";

const SPY: TickerBars = { ticker: "SPY", dates: ["2024-01-02", "2024-01-03"], close: Float64Array.from([472.65, 468.79000000000002]) };
const BRK: TickerBars = { ticker: "BRK.B", dates: ["2024-01-02"], close: Float64Array.from([1e-7]) };

describe("content hash", () => {
  it("hashes each ticker's name line, then per bar its date and binary64 close, tickers sorted", async () => {
    const bytes: number[] = [];
    const text = (t: string): void => {
      for (const ch of Buffer.from(t, "utf8")) bytes.push(ch);
    };
    const float = (x: number): void => {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(x);
      bytes.push(...b);
    };
    text("BRK.B\n2024-01-02");
    float(1e-7);
    text("SPY\n2024-01-02");
    float(472.65);
    text("2024-01-03");
    float(468.79);
    expect(Array.from(canonicalBarBytes([SPY, BRK]))).toEqual(bytes);
    const expected = createHash("sha256").update(Uint8Array.from(bytes)).digest("hex");
    expect(contentHash([SPY, BRK])).toBe(expected);
    expect(contentHash(new Map([["SPY", SPY], ["BRK.B", BRK]]))).toBe(expected);
    expect(await contentHashAsync([BRK, SPY])).toBe(expected);
  });

  it("agrees with the Alpaca adapter's hash, so cached and direct loads compare", () => {
    const bars = new Map([["SPY", SPY], ["BRK.B", BRK]]);
    expect(contentHash(bars)).toBe(barsContentHash(bars));
  });
});
