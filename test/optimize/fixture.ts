/**
 * A constructed market and strategy whose optimum is obvious: `pick` chooses between a
 * falling (DOWN), a rising (UP) and a flat-ish (FLAT) asset, so pick = 2 (UP) maximises CAGR
 * whatever `n` is. CSV bars on the synthetic calendar, written once into a temp folder.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SyntheticBarSource } from "../../src/data/synthetic.js";

export interface Fixture {
  dir: string;
  file: string;
  data: string;
}

export const STRATEGY = `param pick = 1 in [1, 2, 3]
param n = 10 in [5, 10, 20]

strategy "Pick" {
  rebalance weekly
  if sma(UP, n) > 0 and pick < 1.5 {
    DOWN
  } else if pick < 2.5 {
    UP
  } else {
    FLAT
  }
}
`;

/** Writes the fixture (bars 2015–2021) and returns its paths. */
export async function makeFixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), "strat-opt-"));
  const bars = await new SyntheticBarSource({ seed: 7 }).load({ tickers: ["SPY"], from: "2015-01-02", to: "2021-12-31" });
  const spy = bars.bars.get("SPY")!;
  const prices = join(dir, "prices");
  mkdirSync(prices);
  // Deterministic wiggles so the Sharpe ratio is finite and params matter.
  const series: Record<string, (i: number) => number> = {
    UP: (i) => 100 * Math.exp(0.0006 * i + 0.01 * Math.sin(i / 3)),
    DOWN: (i) => 100 * Math.exp(-0.0004 * i + 0.01 * Math.sin(i / 5)),
    FLAT: (i) => 100 * Math.exp(0.00005 * i + 0.002 * Math.sin(i / 2)),
  };
  for (const [ticker, f] of Object.entries(series)) {
    const lines = spy.dates.map((d, i) => `${d},${f(i).toFixed(4)}`);
    writeFileSync(join(prices, `${ticker}.csv`), `date,close\n${lines.join("\n")}\n`);
  }
  const file = join(dir, "pick.strat");
  writeFileSync(file, STRATEGY);
  return { dir, file, data: `csv:${prices}` };
}
