/** The bars' content hash: the documented canonical text, order-independent, equal to the Alpaca adapter's. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { barsContentHash } from "../../src/adapters/alpaca/bar-source.js";
import { canonicalBarBytes, contentHash, contentHashAsync } from "../../src/data/content-hash.js";
import type { TickerBars } from "../../src/ports/bar-source.js";

const SPY: TickerBars = { ticker: "SPY", dates: ["2024-01-02", "2024-01-03"], close: Float64Array.from([472.65, 468.79000000000002]) };
const BRK: TickerBars = { ticker: "BRK.B", dates: ["2024-01-02"], close: Float64Array.from([1e-7]) };

describe("content hash", () => {
  it("hashes one line TICKER,DATE,CLOSE per bar, tickers sorted, closes in shortest round-trip form", async () => {
    const text = "BRK.B,2024-01-02,1e-7\nSPY,2024-01-02,472.65\nSPY,2024-01-03,468.79\n";
    expect(new TextDecoder().decode(canonicalBarBytes([SPY, BRK]))).toBe(text);
    const expected = createHash("sha256").update(text).digest("hex");
    expect(contentHash([SPY, BRK])).toBe(expected);
    expect(contentHash(new Map([["SPY", SPY], ["BRK.B", BRK]]))).toBe(expected);
    expect(await contentHashAsync([BRK, SPY])).toBe(expected);
  });

  it("agrees with the Alpaca adapter's hash, so cached and direct loads compare", () => {
    const bars = new Map([["SPY", SPY], ["BRK.B", BRK]]);
    expect(contentHash(bars)).toBe(barsContentHash(bars));
  });
});
