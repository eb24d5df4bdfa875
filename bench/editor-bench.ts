/**
 * The editor's speed in headless Chromium, against the targets:
 * - keystroke → markers: in a 500 KB generated `.strat` file, the time from a keystroke's
 *   `keydown` to Monaco's markers changing (debounce, the worker's check and the marker update
 *   included), for a keystroke that adds an error and one that removes it;
 * - opening a 2 MB file: the longest main-thread task (PerformanceObserver 'longtask') from
 *   opening it until it is checked and highlighted to its last line.
 * Needs /usr/bin/chromium, playwright-core (a dev dependency) and the built app (dist/editor).
 */
import { CLI_RUN_INPUTS } from "../src/cli/editor-run-inputs.js";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEditorServer } from "../src/editor-server/index.js";
import { generateStrat } from "./generate.js";

const CHROMIUM = "/usr/bin/chromium";
const KEYSTROKE_BYTES = 500 * 1024;
const OPEN_BYTES = 2 * 1024 * 1024;
const KEYSTROKE_TARGET_MS = 150;
const LONG_TASK_TARGET_MS = 1000;
/** Keystroke pairs (add an error, remove it) measured. */
const ROUNDS = 10;

export interface EditorBenchResult {
  /** `meetsTarget`: the median under the target. */
  keystrokeToMarkers: { bytes: number; samples: number; medianMs: number; p90Ms: number; maxMs: number; targetMs: number; meetsTarget: boolean };
  open: { bytes: number; longestTaskMs: number; longTasks: number; openToCheckedMs: number; targetMs: number; meetsTarget: boolean };
}

/** What the bench reads in the page: the app's hooks (editor/src/main.ts) and its own probes. */
interface PageGlobals {
  strat: {
    ready: boolean;
    monaco: {
      editor: {
        onDidChangeMarkers(listener: () => void): void;
        getModelMarkers(filter: object): unknown[];
      };
    };
    editor: {
      getModel(): { getLineCount(): number; getLineContent(line: number): string; tokenization: { isCheapToTokenize(line: number): boolean } } | null;
      setPosition(position: { lineNumber: number; column: number }): void;
      revealLine(line: number): void;
      focus(): void;
    };
    workspace: { openFile(path: string): Promise<void> };
    live: { onChecked(listener: () => void): void };
  };
  bench: { checks: number; keyAt: number; markersAt: number; longTasks: { start: number; duration: number }[] };
  addEventListener(type: string, listener: (event: { timeStamp: number }) => void, capture: boolean): void;
}

/** Installed before the app loads: long-task and keystroke probes. */
function installProbes(): void {
  const g = globalThis as unknown as PageGlobals;
  g.bench = { checks: 0, keyAt: 0, markersAt: 0, longTasks: [] };
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) g.bench.longTasks.push({ start: e.startTime, duration: e.duration });
  });
  // Node's typings (the root tsconfig has no DOM library) do not know the browser's 'longtask'.
  (observer.observe as (options: { type: string; buffered: boolean }) => void).call(observer, { type: "longtask", buffered: true });
  g.addEventListener("keydown", (event) => void (g.bench.keyAt = event.timeStamp), true);
}

/** Runs both measurements; null (with the reason printed) when there is no browser or no built app. */
export async function benchEditor(root: string, assetsDir = join(root, "dist", "editor")): Promise<EditorBenchResult | null> {
  if (!existsSync(CHROMIUM) || !existsSync(join(assetsDir, "index.html"))) {
    console.log(`editor bench skipped: needs ${CHROMIUM} and the built app in ${assetsDir}`);
    return null;
  }
  const { chromium } = await import("playwright-core");
  const dir = mkdtempSync(join(tmpdir(), "strat-editor-bench-"));
  // The app opens the first file at start; a small one keeps that out of the measurements.
  writeFileSync(join(dir, "a.strat"), 'strategy "A" {\n  SPY\n}\n');
  const large = generateStrat(KEYSTROKE_BYTES);
  writeFileSync(join(dir, "large.strat"), large);
  const huge = generateStrat(OPEN_BYTES, 2);
  writeFileSync(join(dir, "huge.strat"), huge);
  const server = await startEditorServer({ dir, assetsDir, packageRoot: root, port: 0, inputs: CLI_RUN_INPUTS });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const open = async (path: string) => {
      const tab = await browser.newPage({ viewport: { width: 1400, height: 800 } });
      await tab.addInitScript(installProbes);
      await tab.goto(server.url);
      await tab.waitForFunction(() => (globalThis as unknown as PageGlobals).strat?.ready === true, null, { timeout: 60_000 });
      await tab.evaluate(() => {
        const g = globalThis as unknown as PageGlobals;
        g.strat.live.onChecked(() => void g.bench.checks++);
      });
      // Let the start-up settle so its tasks are not counted.
      await tab.waitForTimeout(1000);
      const started = await tab.evaluate(() => performance.now());
      const before = await tab.evaluate(() => (globalThis as unknown as PageGlobals).bench.checks);
      await tab.evaluate((p) => (globalThis as unknown as PageGlobals).strat.workspace.openFile(p), path);
      await tab.waitForFunction((n) => (globalThis as unknown as PageGlobals).bench.checks > n, before, { timeout: 120_000 });
      const checked = await tab.evaluate(() => performance.now());
      return { tab, started, openToCheckedMs: checked - started };
    };

    // Keystroke → markers, in the 500 KB file.
    const first = await open("large.strat");
    const tab = first.tab;
    await tab.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      g.strat.monaco.editor.onDidChangeMarkers(() => void (g.bench.markersAt = performance.now()));
    });
    // After a bare ticker in the middle of the file: typing `x` makes it an unknown name.
    const lines = large.split("\n");
    const target = lines.findIndex((l, i) => i > lines.length / 2 && /equal \{ [A-Z]+,/.test(l));
    const column = lines[target]!.indexOf("equal { ") + "equal { ".length + /^[A-Z]+/.exec(lines[target]!.slice(lines[target]!.indexOf("equal { ") + 8))![0].length + 1;
    await tab.evaluate(([lineNumber, col]) => {
      const { editor } = (globalThis as unknown as PageGlobals).strat;
      editor.setPosition({ lineNumber: lineNumber!, column: col! });
      editor.revealLine(lineNumber!);
      editor.focus();
    }, [target + 1, column]);
    const samples: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const [key, wantMarkers] of [["x", true], ["Backspace", false]] as const) {
        await tab.keyboard.press(key);
        await tab.waitForFunction((want) => ((globalThis as unknown as PageGlobals).strat.monaco.editor.getModelMarkers({}).length > 0) === want, wantMarkers, { timeout: 30_000 });
        samples.push(await tab.evaluate(() => {
          const { bench } = globalThis as unknown as PageGlobals;
          return bench.markersAt - bench.keyAt;
        }));
        await tab.waitForTimeout(300);
      }
    }
    await tab.close();
    samples.sort((a, b) => a - b);
    const medianMs = round(samples[Math.floor(samples.length / 2)]!);
    const maxMs = round(samples[samples.length - 1]!);
    const p90Ms = round(samples[Math.floor(samples.length * 0.9)]!);

    // Opening the 2 MB file: every main-thread task from the open until highlighted to the end.
    const opened = await open("huge.strat");
    await opened.tab.evaluate(() => {
      const { editor } = (globalThis as unknown as PageGlobals).strat;
      const last = editor.getModel()!.getLineCount();
      editor.setPosition({ lineNumber: last, column: 1 });
      editor.revealLine(last);
    });
    await opened.tab.waitForFunction(() => {
      const model = (globalThis as unknown as PageGlobals).strat.editor.getModel()!;
      return model.tokenization.isCheapToTokenize(model.getLineCount());
    }, null, { timeout: 120_000, polling: 250 });
    // Folding ranges and the like are computed after a pause: give them time to run.
    await opened.tab.waitForTimeout(3000);
    const tasks = await opened.tab.evaluate((from) => (globalThis as unknown as PageGlobals).bench.longTasks.filter((t) => t.start + t.duration >= from), opened.started);
    await opened.tab.close();
    const longestTaskMs = round(Math.max(0, ...tasks.map((t) => t.duration)));
    return {
      keystrokeToMarkers: { bytes: large.length, samples: samples.length, medianMs, p90Ms, maxMs, targetMs: KEYSTROKE_TARGET_MS, meetsTarget: medianMs < KEYSTROKE_TARGET_MS },
      open: { bytes: huge.length, longestTaskMs, longTasks: tasks.length, openToCheckedMs: round(opened.openToCheckedMs), targetMs: LONG_TASK_TARGET_MS, meetsTarget: longestTaskMs < LONG_TASK_TARGET_MS },
    };
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
