/**
 * Golden backtest statistics on synthetic data for every bundled strategy and corpus symphony,
 * compared exactly; determinism (same input, same bytes); and the Composer round trip at the
 * level of decisions: a symphony and its converted `.strat` decide identical weights every day.
 * Regenerate with UPDATE_GOLDENS=1 after an intended change, and say why in the commit.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { backtest, pickStrategy } from "../../src/backtest/run.js";
import { equityCsv, tradesCsv, weightsCsv } from "../../src/backtest/report/csv.js";
import { resultJson } from "../../src/backtest/report/json.js";
import { SyntheticBarSource } from "../../src/data/synthetic.js";
import { SeriesCache } from "../../src/engine/series-cache.js";
import { compile } from "../../src/lang/compile.js";
import { convertComposer } from "../../src/lang/format/index.js";
import { REPO, testHost } from "../helpers/host.js";

const GOLDEN = resolve(REPO, "test", "golden", "backtest");
const update = process.env.UPDATE_GOLDENS === "1";
const source = new SyntheticBarSource();
const RANGE = { from: "2012-01-03", to: "2025-12-31" };

function golden(name: string, actual: string): void {
  const file = resolve(GOLDEN, name);
  if (update || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, "utf8"));
}

function irOf(path: string) {
  const result = compile(readFileSync(resolve(REPO, path), "utf8"), { file: path, host: testHost() });
  if (result.ir === null) throw new Error(`${path} does not compile`);
  return result.ir;
}

const strategyFiles = readdirSync(resolve(REPO, "strategies")).filter((f) => f.endsWith(".strat")).map((f) => `strategies/${f}`);
const corpusFiles = readdirSync(resolve(REPO, "test", "fixtures", "corpus")).filter((f) => f.endsWith(".clj")).sort().map((f) => `test/fixtures/corpus/${f}`);

describe("golden backtests on synthetic data (2012–2025)", () => {
  it.each([...strategyFiles, ...corpusFiles])("%s", async (path) => {
    const ir = irOf(path);
    const names = ir.strategies.map((s) => s.name);
    const docs = [];
    for (const name of names) {
      const result = await backtest(ir, source, { ...RANGE, strategy: name });
      expect(result.simulation.equity.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
      docs.push(resultJson(result));
    }
    const base = `${path.startsWith("strategies/") ? "strategy" : "corpus"}-${path.split("/").pop()!.replace(/\.(strat|clj)$/, "")}`;
    golden(`${base}.json`, `${JSON.stringify(docs, null, 1)}\n`);
  });
});

describe("determinism", () => {
  it("gives the same bytes for the same input, with a fresh or a shared series cache", async () => {
    const ir = irOf("test/fixtures/corpus/hedged_sector_rotator.clj");
    const a = await backtest(ir, new SyntheticBarSource(), RANGE);
    const cache = new SeriesCache();
    await backtest(ir, source, { ...RANGE, cache });
    const b = await backtest(ir, source, { ...RANGE, cache });
    expect(JSON.stringify(resultJson(b, { allocations: true }))).toBe(JSON.stringify(resultJson(a, { allocations: true })));
    expect(equityCsv(b)).toBe(equityCsv(a));
    expect(weightsCsv(b)).toBe(weightsCsv(a));
    expect(tradesCsv(b)).toBe(tradesCsv(a));
  });
});

describe("Composer symphony and its converted .strat", () => {
  it.each(corpusFiles)("%s decides the same weights every session", async (path) => {
    const clj = readFileSync(resolve(REPO, path), "utf8");
    const fromClj = irOf(path);
    const converted = compile(convertComposer(clj, path).text!, { file: path.replace(/\.clj$/, ".strat") }).ir!;
    const a = await backtest(fromClj, source, RANGE);
    const b = await backtest(converted, source, RANGE);
    expect(b.simulation.targets).toEqual(a.simulation.targets);
    expect(Array.from(b.simulation.equity)).toEqual(Array.from(a.simulation.equity));
    expect(pickStrategy(converted, undefined).hash).toBe(pickStrategy(fromClj, undefined).hash);
  });
});
