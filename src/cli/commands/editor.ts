/**
 * `strat editor [DIR] [--port N]`: serves the Monaco-based editor over DIR's `.strat` and `.clj`
 * files on 127.0.0.1 and prints the URL. Runs until interrupted.
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { startEditorServer } from "../../editor-server/index.js";
import { CLI_RUN_INPUTS } from "../editor-run-inputs.js";
import { PACKAGE_ROOT } from "../fs-host.js";
import { out } from "../output.js";
import { EXIT, UsageError } from "../usage-error.js";
import { parseNumber } from "../run-options.js";

/** Where `npm run build:editor` puts the app. */
export const EDITOR_ASSETS = join(PACKAGE_ROOT, "dist", "editor");

export function registerEditor(program: Command): void {
  program
    .command("editor")
    .description("edit, check and backtest the strategies of a folder in a local web editor")
    .argument("[dir]", "folder with .strat and .clj files", ".")
    .option("--port <n>", "port on 127.0.0.1 (0 picks a free one)", "4780")
    .action(async (dir: string, flags: { port: string }) => {
      process.exitCode = await runEditor(dir, flags.port);
    });
}

async function runEditor(dir: string, portText: string): Promise<number> {
  const port = parseNumber(portText, "--port", 0);
  if (!Number.isInteger(port) || port > 65535) throw new UsageError(`--port takes a whole number in 0..65535, not '${portText}'`);
  const folder = resolve(dir);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`'${dir}' is not a folder`);
  if (!existsSync(join(EDITOR_ASSETS, "index.html"))) throw new UsageError(`the editor app is not built (${EDITOR_ASSETS}); run npm run build:editor`);
  const server = await startEditorServer({ dir: folder, assetsDir: EDITOR_ASSETS, packageRoot: PACKAGE_ROOT, port, inputs: CLI_RUN_INPUTS });
  out(`strat editor: ${server.url} (editing ${folder}; Ctrl+C to stop)`);
  // Serve until interrupted; close the listener so the process exits cleanly.
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void server.close().then(done);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return EXIT.ok;
}
