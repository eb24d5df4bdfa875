/**
 * The editor's cross-file and backtest-settings features in headless Chromium: go to definition
 * into imported files (the bundled stdlib, read-only, and a workspace module), `alias.`
 * completion, `.clj` highlighting, and the backtest panel's data/dates/params picker against the
 * server. Screenshots go to test-output/editor/. Skipped when /usr/bin/chromium is absent.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EditorServer } from "../../src/editor-server/index.js";
import { ROOT, ensureEditorBuilt, tempWorkspace, CHROMIUM, openEditor, type EditorSession } from "./helpers.js";

const SHOTS = join(ROOT, "test-output", "editor");
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`editor browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium)`);

let session: EditorSession;
let server: EditorServer;
let page: Page;
let dir: string;

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`) });

/** A workspace module and a strategy importing it, next to the bundled strategies. */
const MODULE = "// Signals shared by the workspace's strategies.\n\nlet calm_market = stdev_return(SPY, 20) < 1%\n\nlet defensive = equal { BIL, SHY }\n";
const USER = 'import "lib/signals.strat" as signals\n\nstrategy "Calm" {\n  if signals.calm_market { SPY } else { signals.defensive }\n}\n';

/** The 1-based line of the first line of `text` starting with `prefix`. */
const lineOf = (text: string, prefix: string): number => text.split("\n").findIndex((l) => l.startsWith(prefix)) + 1;

async function open(path: string): Promise<void> {
  await page.click(`#files button[data-path="${path}"]`);
  await expect.poll(() => page.textContent("#title")).toBe(path);
}

/** Puts the cursor at `line:col` and runs "Go to Definition". */
async function goToDefinition(line: number, col: number): Promise<void> {
  await page.evaluate(
    ([l, c]) => {
      const { editor } = globalThis.strat;
      editor.setPosition({ lineNumber: l, column: c });
      editor.focus();
      editor.trigger("test", "editor.action.revealDefinition", {});
    },
    [line, col] as const,
  );
}

const where = (): Promise<{ uri: string; line: number; column: number; readOnly: boolean; text: string }> =>
  page.evaluate(() => {
    const { editor, monaco } = globalThis.strat;
    const position = editor.getPosition()!;
    return {
      uri: editor.getModel()!.uri.path,
      line: position.lineNumber,
      column: position.column,
      readOnly: editor.getOption(monaco.editor.EditorOption.readOnly),
      text: editor.getModel()!.getValue(),
    };
  });

/** The metrics table's rows as [label, strategy, benchmark] texts. */
const metricsTable = (): Promise<string[][]> =>
  page.locator("#backtest table.metrics tbody tr").evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent ?? "")));

/** What the panel shows for each metric (backtest-panel.ts's formats), for a reply from the server. */
function expectedRows(metrics: Record<string, unknown>): string[][] {
  const percent = (v: unknown): string => (typeof v === "number" ? `${(v * 100).toFixed(2)}%` : "—");
  const plain = (v: unknown): string => (typeof v === "number" ? v.toFixed(2) : "—");
  const bench = metrics.benchmark as Record<string, unknown>;
  const rows: [string, string, (v: unknown) => string][] = [
    ["Total return", "totalReturn", percent],
    ["CAGR", "cagr", percent],
    ["Volatility", "volatility", percent],
    ["Sharpe", "sharpe", plain],
    ["Sortino", "sortino", plain],
    ["Max drawdown", "maxDrawdown", percent],
    ["Trades", "trades", (v) => (typeof v === "number" ? String(v) : "—")],
    ["Turnover", "turnover", percent],
  ];
  return rows.map(([label, key, format]) => [label, format(metrics[key]), key in bench ? format(bench[key]) : ""]);
}

async function serverBacktest(fields: Record<string, unknown>): Promise<{ status: number; body: { error?: string; report: { metrics: Record<string, unknown>; start: string; end: string } } }> {
  const text = readFileSync(join(dir, "sixty_forty_trend.strat"), "utf8");
  const res = await fetch(new URL("/api/backtest", server.url), { method: "POST", body: JSON.stringify({ path: "sixty_forty_trend.strat", text, ...fields }) });
  return { status: res.status, body: (await res.json()) as never };
}

describe.skipIf(!hasChromium)("editor features (headless Chromium)", () => {
  beforeAll(async () => {
    ensureEditorBuilt();
    mkdirSync(SHOTS, { recursive: true });
    dir = tempWorkspace();
    mkdirSync(join(dir, "lib"));
    writeFileSync(join(dir, "lib", "signals.strat"), MODULE);
    writeFileSync(join(dir, "calm.strat"), USER);
    session = await openEditor(dir);
    ({ server, page } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  it("goes from an imported let to its declaration in the bundled stdlib, opened read-only", async () => {
    await open("rsi_dip_buyer.strat");
    const source = readFileSync(join(dir, "rsi_dip_buyer.strat"), "utf8");
    const line = lineOf(source, "  if hedges.uptrend(SPY)");
    const col = source.split("\n")[line - 1]!.indexOf("uptrend") + 2;
    await expect.poll(() => page.evaluate(() => globalThis.strat.live.symbols.modules?.[0]?.lets.length ?? 0)).toBeGreaterThan(0);
    expect(await page.evaluate(() => globalThis.strat.live.symbols.modules!.map((m) => [m.alias, m.file]))).toEqual([["hedges", "stdlib/hedges.strat"]]);
    await goToDefinition(line, col);
    await expect.poll(() => page.textContent("#title")).toBe("stdlib/hedges.strat (read-only)");
    const stdlib = readFileSync(join(ROOT, "stdlib", "hedges.strat"), "utf8");
    const at = await where();
    expect(at).toEqual({ uri: "/stdlib/hedges.strat", line: lineOf(stdlib, "let uptrend(t)"), column: 5, readOnly: true, text: stdlib });
    expect(await page.isDisabled("#save")).toBe(true);
    await shot("10-definition-stdlib");
  });

  it("goes from an import's path string to the top of the imported file", async () => {
    await open("rsi_dip_buyer.strat");
    expect((await where()).readOnly).toBe(false);
    const source = readFileSync(join(dir, "rsi_dip_buyer.strat"), "utf8");
    const line = lineOf(source, 'import "stdlib/hedges.strat"');
    await goToDefinition(line, 12); // inside "stdlib/hedges.strat"
    await expect.poll(() => page.textContent("#title")).toBe("stdlib/hedges.strat (read-only)");
    expect(await where()).toMatchObject({ uri: "/stdlib/hedges.strat", line: 1, column: 1 });
  });

  it("goes to a let of a workspace module and edits it there", async () => {
    await open("calm.strat");
    await expect.poll(() => page.evaluate(() => globalThis.strat.live.symbols.modules?.[0]?.lets.map((l) => l.name))).toEqual(["calm_market", "defensive"]);
    const line = lineOf(USER, "  if signals.calm_market");
    await goToDefinition(line, USER.split("\n")[line - 1]!.indexOf("defensive") + 3);
    await expect.poll(() => page.textContent("#title")).toBe("lib/signals.strat");
    expect(await where()).toEqual({ uri: "/lib/signals.strat", line: lineOf(MODULE, "let defensive"), column: 5, readOnly: false, text: MODULE });
    expect(await page.isDisabled("#save")).toBe(false);
    // The module's own check ran: it is the open file now.
    await expect.poll(() => page.textContent("#problems")).toBe("0 error(s), 0 warning(s)");
  });

  it("completes an import alias with the module's lets", async () => {
    await open("calm.strat");
    await page.evaluate(() => {
      const { editor } = globalThis.strat;
      const model = editor.getModel()!;
      model.setValue(model.getValue().replace("{ SPY }", "{ signals. }"));
      const line = model.getLinesContent().findIndex((l) => l.includes("signals. }")) + 1;
      editor.setPosition({ lineNumber: line, column: model.getLineContent(line).indexOf("signals. }") + 9 });
      editor.focus();
      editor.trigger("test", "editor.action.triggerSuggest", {});
    });
    const rows = page.locator(".suggest-widget .monaco-list-row");
    await rows.first().waitFor({ timeout: 5000 });
    await expect.poll(() => rows.evaluateAll((nodes) => nodes.map((n) => n.getAttribute("aria-label")?.split(",")[0]))).toEqual(["calm_market", "defensive"]);
    await shot("11-import-completion");
    await page.keyboard.press("Escape");
    await page.evaluate(() => globalThis.strat.editor.getModel()!.setValue(globalThis.strat.editor.getModel()!.getValue().replace("{ signals. }", "{ SPY }")));
  });

  it("highlights a Composer symphony with its own token classes", async () => {
    await open("holy_grail.clj");
    expect(await page.evaluate(() => globalThis.strat.editor.getModel()!.getLanguageId())).toBe("composer");
    const sample = '(defsymphony\n "The Holy Grail"\n {:asset-class "EQUITIES", :rebalance-threshold 0.05}\n (weight-equal\n  [(if (> (rsi "TQQQ" {:window 10}) 79) ; overbought\n    [(asset "UVXY")] [(filter (rsi {:window 10}) (select-top 1) [(group "G" [])])])]))';
    const tokens = await page.evaluate((text) => globalThis.strat.monaco.editor.tokenize(text, "composer").map((line) => line.map((t) => `${t.offset}:${t.type}`)), sample);
    expect(tokens[0]).toEqual(["0:delimiter.parenthesis.clj", "1:keyword.clj"]);
    expect(tokens[1]).toEqual(["0:white.clj", "1:string.clj"]);
    expect(tokens[2]).toEqual([
      "0:white.clj",
      "1:delimiter.curly.clj",
      "2:key.clj",
      "14:white.clj",
      "15:string.clj",
      "25:white.clj",
      "27:key.clj",
      "47:white.clj",
      "48:number.clj",
      "52:delimiter.curly.clj",
    ]);
    expect(tokens[3]).toEqual(["0:white.clj", "1:delimiter.parenthesis.clj", "2:keyword.clj"]);
    // `  [(if (> (rsi "TQQQ" {:window 10}) 79) ; overbought`
    expect(tokens[4]).toEqual([
      "0:white.clj",
      "2:delimiter.square.clj",
      "3:delimiter.parenthesis.clj",
      "4:keyword.clj",
      "6:white.clj",
      "7:delimiter.parenthesis.clj",
      "8:operator.clj",
      "9:white.clj",
      "10:delimiter.parenthesis.clj",
      "11:function.clj",
      "14:white.clj",
      "15:string.clj",
      "21:white.clj",
      "22:delimiter.curly.clj",
      "23:key.clj",
      "30:white.clj",
      "31:number.clj",
      "33:delimiter.curly.clj",
      "34:delimiter.parenthesis.clj",
      "35:white.clj",
      "36:number.clj",
      "38:delimiter.parenthesis.clj",
      "39:white.clj",
      "40:comment.clj",
    ]);
    const line5 = tokens[5]!.join(" ");
    for (const expected of ["6:keyword.clj", "12:string.clj", "23:keyword.clj", "31:function.clj", "50:keyword.clj", "61:number.clj", "66:keyword.clj", "72:string.clj"]) expect(line5).toContain(expected);
    // Rendered with the theme's colours: forms in bold blue, strings red, `:keys` purple.
    const color = (text: string): Promise<string> => page.locator(".view-lines span span", { hasText: text }).first().evaluate((n) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(n).color);
    // Monaco renders tokens asynchronously (later under load): poll.
    await expect.poll(() => color("defsymphony"), { timeout: 10_000 }).toBe("rgb(0, 0, 192)");
    await expect.poll(() => color('"The Holy Grail"'), { timeout: 10_000 }).toBe("rgb(163, 21, 21)");
    await expect.poll(() => color(":asset-class"), { timeout: 10_000 }).toBe("rgb(138, 58, 185)");
    await expect.poll(() => color("moving-average-price"), { timeout: 10_000 }).toBe("rgb(121, 94, 38)");
    await shot("12-clj-highlight");
  });

  it("keeps the shown file's params when a check of the file left behind lands later", async () => {
    await open("rsi_dip_buyer.strat");
    await expect.poll(() => page.locator("#run-settings [data-param]").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-param")))).toEqual(["entry"]);
    // An edit starts the debounced check of rsi_dip_buyer; the switch comes before it fires.
    await page.evaluate(() => {
      const model = globalThis.strat.editor.getModel()!;
      model.applyEdits([{ range: model.getFullModelRange().collapseToEnd(), text: "\n" }]);
    });
    await open("sixty_forty_trend.strat");
    await page.waitForTimeout(1_000);
    expect(await page.locator("#run-settings [data-param]").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-param")))).toEqual(["fast", "slow", "max_dd"]);
  });

  it("backtests with the picked params: other metrics than the defaults, the server's for those params", async () => {
    await open("sixty_forty_trend.strat");
    await expect.poll(() => page.locator("#run-settings [data-param]").evaluateAll((nodes) => nodes.map((n) => `${n.getAttribute("data-param")}=${(n as unknown as { value: string }).value}`))).toEqual([
      "fast=50",
      "slow=200",
      "max_dd=10",
    ]);
    // The form is filled in as the check's symbols and GET /api/data arrive: poll each part.
    await expect.poll(() => page.locator('#run-settings input[data-param="fast"]').evaluate((n) => ["min", "max", "step"].map((a) => n.getAttribute(a)))).toEqual(["10", "100", "10"]);
    await expect.poll(() => page.locator('#run-settings select[data-param="slow"] option').allTextContents()).toEqual(["100", "150", "200", "250"]);
    await expect.poll(() => page.locator('#run-settings select[name="data"] option').allTextContents()).toEqual(["Synthetic (seed 42): 2010-01-04 → 2025-12-31"]);
    await page.click("#run-backtest");
    await page.locator("#backtest table.metrics").waitFor({ timeout: 30_000 });
    const defaults = await metricsTable();
    expect(defaults).toEqual(expectedRows((await serverBacktest({})).body.report.metrics));

    await page.fill('#run-settings input[data-param="fast"]', "30");
    await page.fill('#run-settings input[data-param="max_dd"]', "15");
    await page.selectOption('#run-settings select[data-param="slow"]', "150");
    await page.fill('#run-settings input[name="from"]', "2015-01-02");
    await page.fill('#run-settings input[name="to"]', "2020-12-31");
    await page.click("#run-picked");
    await expect.poll(() => page.textContent("#backtest .run-caption"), { timeout: 30_000 }).toContain("2015-01-02 → 2020-12-31");
    const picked = await metricsTable();
    const reply = await serverBacktest({ params: { fast: "30", slow: "150", max_dd: "15%" }, from: "2015-01-02", to: "2020-12-31" });
    expect(reply.status).toBe(200);
    expect(picked).toEqual(expectedRows(reply.body.report.metrics));
    expect(picked.map((r) => r[1])).not.toEqual(defaults.map((r) => r[1]));
    expect(await page.textContent("#backtest .run-caption")).toBe(`60/40 Trend: ${reply.body.report.start} → ${reply.body.report.end}, ${(reply.body.report as unknown as { sessions: number }).sessions} sessions on synthetic data`);
    await shot("13-picker-params");
  });

  it("shows the server's message for a value outside the param's range", async () => {
    await page.fill('#run-settings input[data-param="fast"]', "120");
    await page.click("#run-picked");
    const error = page.locator("#backtest-result p.error");
    await error.waitFor({ timeout: 30_000 });
    const reply = await serverBacktest({ params: { fast: "120", slow: "150", max_dd: "15%" }, from: "2015-01-02", to: "2020-12-31" });
    expect(reply.status).toBe(422);
    expect(await error.textContent()).toBe(reply.body.error);
    expect(reply.body.error).toBe("param 'fast' must be within its range 10..100, not 120");
    await shot("14-picker-error");
    // Defaults restores the declared values and the whole range.
    await page.click("#run-settings button.reset");
    expect(await page.locator('#run-settings input[data-param="fast"]').inputValue()).toBe("50");
    expect(await page.locator('#run-settings input[name="from"]').inputValue()).toBe("");
    await page.click("#run-picked");
    await page.locator("#backtest table.metrics").waitFor({ timeout: 30_000 });
    expect(await metricsTable()).toEqual(expectedRows((await serverBacktest({})).body.report.metrics));
  });
});
