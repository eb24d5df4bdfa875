/**
 * The editor app in headless Chromium: open a file, highlighting, live diagnostics and quick
 * fixes, completion, hover, format document, the backtest panel and save. Screenshots of the
 * main states go to test-output/editor/. Skipped (with a message) when /usr/bin/chromium is
 * absent; the server's own tests (server.test.ts) never are.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EditorServer } from "../../src/editor-server/index.js";
import { compile } from "../../src/lang/compile.js";
import { formatStrat } from "../../src/lang/format/index.js";
import { ROOT, ensureEditorBuilt, tempWorkspace, CHROMIUM, openEditor, type EditorSession } from "./helpers.js";

const SHOTS = join(ROOT, "test-output", "editor");
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`editor browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium)`);

let session: EditorSession;
let server: EditorServer;
let page: Page;
let dir: string;

/** Replaces the open model's text and puts the cursor at `line:col`. */
async function setText(text: string, line = 1, col = 1): Promise<void> {
  await page.evaluate(
    ([t, l, c]) => {
      const { editor } = globalThis.strat;
      editor.getModel()!.setValue(t);
      editor.setPosition({ lineNumber: l, column: c });
      editor.focus();
    },
    [text, line, col] as const,
  );
}

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`) });

describe.skipIf(!hasChromium)("editor app (headless Chromium)", () => {
  beforeAll(async () => {
    ensureEditorBuilt();
    mkdirSync(SHOTS, { recursive: true });
    dir = tempWorkspace();
    session = await openEditor(dir);
    ({ server, page } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  it("lists the workspace and opens a file", async () => {
    await expect.poll(() => page.locator("#files button").count()).toBe(4);
    await page.click('#files button[data-path="sixty_forty_trend.strat"]');
    const expected = readFileSync(join(dir, "sixty_forty_trend.strat"), "utf8");
    await expect.poll(() => page.evaluate(() => globalThis.strat.editor.getModel()?.getValue())).toBe(expected);
    await expect.poll(() => page.textContent("#title")).toBe("sixty_forty_trend.strat");
    await expect.poll(() => page.textContent("#problems")).toBe("0 error(s), 0 warning(s)");
    await shot("01-open");
  });

  it("highlights with the lexer's token classes", async () => {
    const tokens = await page.evaluate(() =>
      globalThis.strat.monaco.editor.tokenize('param fast = 50% // fast\nstrategy "X" { if rsi(SPY, 2) >= 30 { SPY } else { BIL } }', "strat").map((line) => line.map((t) => `${t.offset}:${t.type}`)),
    );
    expect(tokens[0]).toEqual(["0:keyword.strat", "5:white.strat", "6:identifier.strat", "10:white.strat", "11:operator.strat", "12:white.strat", "13:number.strat", "16:white.strat", "17:comment.strat"]);
    expect(tokens[1]).toContain("0:keyword.strat");
    expect(tokens[1]).toContain("9:string.strat");
    expect(tokens[1]).toContain("15:keyword.strat");
    expect(tokens[1]).toContain("18:identifier.strat");
    expect(tokens[1]).toContain("30:operator.strat");
  });

  it("shows a typed error as a marker with its code and range within a second, and applies its fix", async () => {
    const text = 'strategy "T" {\n  if cumulative_return(SPY, 5) < -6% {\n    BIL\n  } else {\n    SPY\n  }\n}\n';
    await setText(text, 2, 37);
    await expect.poll(() => page.evaluate(() => globalThis.strat.live.diagnostics.length)).toBe(0);
    const started = Date.now();
    await page.keyboard.press("Backspace"); // `-6%` → `-6`: a percent compared with a bare number
    const broken = text.replace("-6%", "-6");
    const [expected] = compile(broken, { file: "sixty_forty_trend.strat" }).diagnostics;
    expect(expected?.code).toBe("S2003");
    await page.waitForFunction(() => globalThis.strat.monaco.editor.getModelMarkers({}).length > 0, null, { timeout: 1000 });
    expect(Date.now() - started).toBeLessThan(1000);
    const markers = await page.evaluate(() => globalThis.strat.monaco.editor.getModelMarkers({}));
    expect(markers).toHaveLength(1);
    expect(markers[0]).toMatchObject({
      code: "S2003",
      startLineNumber: expected!.span.line,
      startColumn: expected!.span.col,
      endLineNumber: expected!.span.endLine,
      endColumn: expected!.span.endCol,
    });
    expect(markers[0]!.message).toContain(expected!.message);
    await shot("02-diagnostic");
    await page.evaluate(() => globalThis.strat.editor.getAction("editor.action.autoFix")!.run());
    await expect.poll(() => page.evaluate(() => globalThis.strat.editor.getModel()!.getValue())).toBe(text);
    await expect.poll(() => page.evaluate(() => globalThis.strat.monaco.editor.getModelMarkers({}).length)).toBe(0);
  });

  it("completes `rs` with rsi, its signature and unit", async () => {
    await setText("param entry = 10 in 5..30\nlet dip = rs", 2, 13);
    await page.evaluate(() => globalThis.strat.editor.trigger("test", "editor.action.triggerSuggest", {}));
    const row = page.locator(".suggest-widget .monaco-list-row", { hasText: "rsi" }).first();
    await row.waitFor({ timeout: 5000 });
    expect(await row.textContent()).toContain("rsi");
    await shot("03-completion");
    await page.keyboard.press("Escape");
  });

  it("shows the unit and formula of rsi on hover, and a param's range", async () => {
    await setText("param entry = 10 in 5..30\nlet dip = rsi(SPY, 2) < entry\n", 2, 12);
    await page.evaluate(() => globalThis.strat.editor.trigger("test", "editor.action.showHover", {}));
    const hover = page.locator(".monaco-hover-content", { hasText: "rsi(T, N)" }).first();
    await hover.waitFor({ timeout: 5000 });
    expect(await hover.textContent()).toContain("score");
    await shot("04-hover");
    await page.keyboard.press("Escape");
    await expect.poll(() => page.evaluate(() => globalThis.strat.live.symbols.params.map((p) => p.name))).toEqual(["entry"]);
    await page.evaluate(() => {
      globalThis.strat.editor.setPosition({ lineNumber: 2, column: 27 });
      globalThis.strat.editor.trigger("test", "editor.action.showHover", {});
    });
    const paramHover = page.locator(".monaco-hover-content", { hasText: "param entry" }).first();
    await paramHover.waitFor({ timeout: 5000 });
    expect(await paramHover.textContent()).toContain("5..30");
    await page.keyboard.press("Escape");
  });

  it("goes to the definition of a let", async () => {
    await setText("let weak = rsi(SPY, 2) < 30\nstrategy \"T\" {\n  if weak { BIL } else { SPY }\n}\n", 3, 7);
    await expect.poll(() => page.evaluate(() => globalThis.strat.live.symbols.lets.map((l) => l.name))).toEqual(["weak"]);
    await page.evaluate(() => globalThis.strat.editor.trigger("test", "editor.action.revealDefinition", {}));
    await expect.poll(() => page.evaluate(() => globalThis.strat.editor.getPosition()!.lineNumber)).toBe(1);
  });

  it("formats the document exactly as strat fmt", async () => {
    const messy = 'param   fast=50 in 10..100 step 10\nstrategy "T"{\nif ema(SPY,fast)>sma(SPY,200){weighted{60% VTI,40% BND}}else{BIL}\n}\n';
    const expected = formatStrat(messy).text;
    expect(expected).not.toBeNull();
    await setText(messy);
    await page.evaluate(() => globalThis.strat.editor.getAction("editor.action.formatDocument")!.run());
    await expect.poll(() => page.evaluate(() => globalThis.strat.editor.getModel()!.getValue())).toBe(expected);
  });

  it("runs a backtest and draws the metrics table and the equity chart", async () => {
    const original = readFileSync(join(dir, "sixty_forty_trend.strat"), "utf8");
    await setText(original);
    await page.click("#run-backtest");
    await page.locator("#backtest table.metrics").waitFor({ timeout: 30_000 });
    expect(await page.locator("#backtest table.metrics tbody tr").count()).toBeGreaterThanOrEqual(6);
    expect(await page.locator("#backtest svg.chart").count()).toBe(3);
    expect(await page.locator('#backtest svg.chart polyline[data-name="60/40 Trend"]').count()).toBe(1);
    expect(await page.locator('#backtest svg.chart polyline[data-name="benchmark"]').count()).toBe(1);
    await shot("05-backtest");
  });

  it("draws the allocation over time as stacked areas of the reply's weights", async () => {
    const text = readFileSync(join(dir, "sixty_forty_trend.strat"), "utf8");
    const reply = (await (await fetch(new URL("/api/backtest", server.url), { method: "POST", body: JSON.stringify({ path: "sixty_forty_trend.strat", text }) })).json()) as {
      series: { allocation: { dates: string[]; tickers: string[]; weights: number[][] } };
    };
    const { tickers, dates } = reply.series.allocation;
    expect(dates).toHaveLength(500);
    const areas = page.locator('#backtest .allocation svg.chart[aria-label="Allocation"] polygon.area');
    expect(await areas.evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-name")))).toEqual(tickers);
    // Each band has a top and a bottom point per sampled session.
    expect(await areas.evaluateAll((nodes) => nodes.map((n) => n.getAttribute("points")!.split(" ").length))).toEqual(tickers.map(() => 2 * dates.length));
    expect(await page.locator("#backtest .allocation ul.legend li").allTextContents()).toEqual(tickers);
    const labels = await page.locator('#backtest svg.chart[aria-label="Allocation"] text').allTextContents();
    expect(labels).toContain(dates[0]);
    expect(labels).toContain(dates[499]);
  });

  it("explains the date clicked on the equity chart and highlights the taken branches", async () => {
    const text = await page.evaluate(() => globalThis.strat.editor.getModel()!.getValue());
    const plot = page.locator('#backtest svg.chart[aria-label="Equity"] rect.pick');
    const box = (await plot.boundingBox())!;
    await plot.click({ position: { x: box.width * 0.6, y: box.height / 2 } });
    await page.locator("#explain ul.explain-tree").waitFor({ timeout: 30_000 });
    const date = (await page.locator('#backtest svg.chart[aria-label="Equity"] line.marker').getAttribute("data-date"))!;
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const expected = (await (await fetch(new URL("/api/explain", server.url), { method: "POST", body: JSON.stringify({ path: "sixty_forty_trend.strat", text, date }) })).json()) as {
      weights: Record<string, number>;
      lines: number[];
      tree: { condition: { holds: boolean; terms: { text: string; display: string }[] } };
    };
    const weights = Object.entries(expected.weights).sort((a, b) => b[1] - a[1]).map(([t, w]) => `${t} ${Number((w * 100).toFixed(2))}%`).join(", ");
    expect(await page.textContent("#explain h3")).toBe(`Decision on ${date}`);
    expect(await page.textContent("#explain .explain-caption")).toBe(`60/40 Trend on ${date} → ${weights}`);
    const { holds, terms } = expected.tree.condition;
    expect(await page.textContent("#explain .condition")).toBe(`${terms.map((t) => `${t.text} = ${t.display}`).join(", ")} → ${holds ? "true" : "false, else"}`);
    expect(await page.locator("#explain li.node").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-at")))).toEqual([
      "sixty_forty_trend.strat:16",
      `sixty_forty_trend.strat:${holds ? 17 : 19}`,
      ...Object.keys(expected.weights).map(() => `sixty_forty_trend.strat:${holds ? 17 : 19}`),
    ]);
    // The if line and the branch taken, highlighted in the editor.
    expect(expected.lines).toEqual([16, holds ? 17 : 19]);
    const highlighted = await page.evaluate(() =>
      globalThis.strat.editor
        .getModel()!
        .getAllDecorations()
        .filter((d) => d.options.className === "explain-taken")
        .map((d) => d.range.startLineNumber)
        .sort((a, b) => a - b),
    );
    expect(highlighted).toEqual(expected.lines);
    expect(await page.locator(".view-overlays .explain-taken").count()).toBe(2);
    await shot("06-explain");
  });

  it("shows a ticker's first and last bar date in the local data on hover", async () => {
    await setText('strategy "Dip" {\n  if rsi(SPY, 2) < 30 { SPY } else { BIL }\n}\n', 2, 11);
    await expect.poll(() => page.evaluate(() => globalThis.strat.live.symbols.tickers)).toEqual(["BIL", "SPY"]);
    await page.evaluate(() => globalThis.strat.editor.trigger("test", "editor.action.showHover", {}));
    const hover = page.locator(".monaco-hover-content", { hasText: "local data" }).first();
    await hover.waitFor({ timeout: 5000 });
    expect(await hover.textContent()).toBe("ticker SPY — local data: 2010-01-04 → 2025-12-31 (4024 bars)");
    await shot("07-ticker-hover");
    await page.keyboard.press("Escape");
  });

  it("marks unsaved changes and saves through the server", async () => {
    const path = join(dir, "sixty_forty_trend.strat");
    await page.evaluate(() => {
      const { editor } = globalThis.strat;
      editor.setPosition({ lineNumber: 1, column: 1 });
      editor.focus();
    });
    await page.keyboard.type("// edited in the browser\n");
    await expect.poll(() => page.textContent("#title")).toBe("sixty_forty_trend.strat ●");
    expect(await page.textContent('#files button[data-path="sixty_forty_trend.strat"]')).toContain("●");
    await shot("08-unsaved");
    await page.keyboard.press("Control+s");
    await expect.poll(() => page.textContent("#title")).toBe("sixty_forty_trend.strat");
    const saved = await page.evaluate(() => globalThis.strat.editor.getModel()!.getValue());
    expect(readFileSync(path, "utf8")).toBe(saved);
    expect(saved.startsWith("// edited in the browser\n")).toBe(true);
  });

  it("converts a Composer file to .strat with one action", async () => {
    await page.click('#files button[data-path="holy_grail.clj"]');
    await expect.poll(() => page.isVisible("#convert")).toBe(true);
    await page.click("#convert");
    await expect.poll(() => page.textContent("#title")).toBe("holy_grail.strat");
    expect(existsSync(join(dir, "holy_grail.strat"))).toBe(true);
    await shot("09-converted");
  });

  it("gets 403 for a path outside the workspace", async () => {
    const status = await page.evaluate(async () => (await fetch("/api/file?path=" + encodeURIComponent("../../etc/passwd"))).status);
    expect(status).toBe(403);
  });
});
