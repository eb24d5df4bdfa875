/**
 * Golden IR for every bundled strategy and corpus symphony, and the Composer round trip:
 * each `.clj` and its converted `.strat` compile to the same IR hash. Regenerate goldens
 * with UPDATE_GOLDENS=1 after an intended change (and say why in the commit).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/lang/compile.js";
import { convertComposer, formatStrat } from "../../src/lang/format/index.js";
import { REPO, testHost } from "../helpers/host.js";

const GOLDEN = resolve(REPO, "test", "golden", "ir");
const CORPUS = resolve(REPO, "test", "fixtures", "corpus");
const update = process.env.UPDATE_GOLDENS === "1";

function golden(name: string, actual: string): void {
  const file = resolve(GOLDEN, name);
  if (update || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, "utf8"));
}

const strategyFiles = readdirSync(resolve(REPO, "strategies")).filter((f) => f.endsWith(".strat"));
const corpusFiles = readdirSync(CORPUS).filter((f) => f.endsWith(".clj")).sort();

describe("golden IR of the bundled strategies", () => {
  it.each(strategyFiles)("%s", (file) => {
    const path = `strategies/${file}`;
    const result = compile(readFileSync(resolve(REPO, path), "utf8"), { file: path, host: testHost() });
    expect(result.diagnostics).toEqual([]);
    expect(result.ir).not.toBeNull();
    golden(`${basename(file, ".strat")}.json`, `${JSON.stringify(result.ir, null, 1)}\n`);
  });
});

describe("Composer corpus", () => {
  it.each(corpusFiles)("%s converts to .strat with the same IR hash", (file) => {
    const clj = readFileSync(resolve(CORPUS, file), "utf8");
    const fromClj = compile(clj, { file });
    expect(fromClj.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const converted = convertComposer(clj, file);
    expect(converted.diagnostics).toEqual([]);
    const fromStrat = compile(converted.text!, { file: file.replace(/\.clj$/, ".strat") });
    expect(fromStrat.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(fromStrat.ir!.hash).toBe(fromClj.ir!.hash);
    expect(formatStrat(converted.text!).text).toBe(converted.text);
    expect(fromStrat.ir!.strategies.map((s) => s.hash)).toEqual(fromClj.ir!.strategies.map((s) => s.hash));
  });

  it("has stable IR hashes and summaries (golden)", () => {
    const rows = corpusFiles.map((file) => {
      const result = compile(readFileSync(resolve(CORPUS, file), "utf8"), { file });
      const s = result.ir!.strategies[0]!;
      return { file, name: s.name, hash: result.ir!.hash, warmupBars: s.warmupBars, tickers: s.tickers.length, series: s.series.length, rebalance: s.rebalance };
    });
    golden("corpus-summary.json", `${JSON.stringify(rows, null, 1)}\n`);
  });
});
