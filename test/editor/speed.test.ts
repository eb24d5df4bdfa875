/**
 * Large files in the editor (headless Chromium): the worker checks them incrementally, and the
 * markers after each keystroke are exactly a fresh compile's. Speed itself is measured by
 * `npm run bench` (bench/editor-bench.ts), not asserted here. Skipped without /usr/bin/chromium.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateStrat } from "../../bench/generate.js";
import { compile } from "../../src/lang/compile.js";
import { ensureEditorBuilt, CHROMIUM, openEditor, type EditorSession } from "./helpers.js";

const hasChromium = existsSync(CHROMIUM);
const FILE = "large.strat";
const TEXT = generateStrat(300 * 1024);

let session: EditorSession;
let page: Page;

/** The markers of the open model, as [code, line, col, endLine, endCol]. */
const markers = (): Promise<[string, number, number, number, number][]> =>
  page.evaluate(() =>
    globalThis.strat.monaco.editor.getModelMarkers({}).map((m) => [String(typeof m.code === "object" ? m.code.value : m.code), m.startLineNumber, m.startColumn, m.endLineNumber, m.endColumn] as [string, number, number, number, number]),
  );

/** What the markers should be for the model's current text: a fresh compile's diagnostics. */
async function expected(): Promise<[string, number, number, number, number][]> {
  const text = await page.evaluate(() => globalThis.strat.editor.getModel()!.getValue());
  return compile(text, { file: FILE }).diagnostics.map((d) => [d.code, d.span.line, d.span.col, d.span.endLine, Math.max(d.span.endCol, d.span.line === d.span.endLine ? d.span.col + 1 : d.span.endCol)]);
}

describe.skipIf(!hasChromium)("large files in the editor", () => {
  beforeAll(async () => {
    ensureEditorBuilt();
    const dir = mkdtempSync(join(tmpdir(), "strat-editor-large-"));
    writeFileSync(join(dir, "a.strat"), 'strategy "A" {\n  SPY\n}\n');
    writeFileSync(join(dir, FILE), TEXT);
    session = await openEditor(dir);
    ({ page } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  it("shows a fresh compile's markers after each keystroke in a 300 KB file", async () => {
    await page.click(`#files button[data-path="${FILE}"]`);
    await expect.poll(() => page.evaluate(() => globalThis.strat.editor.getModel()?.getValueLength()), { timeout: 30_000 }).toBe(TEXT.length);
    await expect.poll(() => page.textContent("#problems"), { timeout: 60_000 }).toBe("0 error(s), 0 warning(s)");
    // After a ticker in the middle of the file: `x` makes it an unknown name.
    const lines = TEXT.split("\n");
    const line = lines.findIndex((l, i) => i > lines.length / 2 && /equal \{ [A-Z]+,/.test(l));
    const col = lines[line]!.indexOf(",", lines[line]!.indexOf("equal { ")) + 1;
    await page.evaluate(
      ([l, c]) => {
        globalThis.strat.editor.setPosition({ lineNumber: l!, column: c! });
        globalThis.strat.editor.focus();
      },
      [line + 1, col],
    );
    await page.keyboard.type("x");
    await page.keyboard.press("Escape"); // a completion list may have opened
    await expect.poll(markers, { timeout: 10_000 }).toHaveLength(1);
    expect(await markers()).toEqual(await expected());
    expect((await markers())[0]![0]).toBe("S2001");
    // A line inserted at the top moves the marker (the worker reuses the strategy's check).
    await page.evaluate(() => {
      globalThis.strat.editor.setPosition({ lineNumber: 1, column: 1 });
      globalThis.strat.editor.focus();
    });
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await markers())[0]?.[1], { timeout: 10_000 }).toBe(line + 2);
    expect(await markers()).toEqual(await expected());
    // A strategy left unclosed at the top (an edit, not keystrokes: auto-closing would close it), then undone.
    await page.evaluate(() => {
      const { editor, monaco } = globalThis.strat;
      editor.executeEdits("test", [{ range: new monaco.Range(1, 1, 1, 1), text: 'strategy "Broken" {\n  if {\n' }]);
    });
    await expect.poll(async () => (await markers()).length, { timeout: 10_000 }).toBeGreaterThan(1);
    expect(await markers()).toEqual(await expected());
    await page.evaluate(() => globalThis.strat.editor.trigger("test", "undo", null));
    await expect.poll(markers, { timeout: 10_000 }).toHaveLength(1);
    expect(await markers()).toEqual(await expected());
  }, 120_000);
});
