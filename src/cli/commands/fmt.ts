/** `strat fmt PATH... [--check | --write]`: the canonical layout, comments kept. */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { formatStrat } from "../../lang/format/index.js";
import { renderDiagnostic } from "../../lang/render.js";
import { LineIndex } from "../../lang/source.js";
import { displayPath, readSource } from "../fs-host.js";
import { err, out } from "../output.js";
import { expandPaths } from "../paths.js";
import { EXIT, UsageError } from "../usage-error.js";

export function registerFmt(program: Command): void {
  program
    .command("fmt")
    .description("format .strat files: print the result, or --check / --write")
    .argument("<paths...>", "files or folders")
    .option("--check", "list files that are not formatted; exit 1 if any")
    .option("--write", "rewrite files in place")
    .action((paths: string[], options: { check?: boolean; write?: boolean }) => {
      if (options.check === true && options.write === true) throw new UsageError("--check and --write exclude each other");
      process.exitCode = runFmt(paths, options.check === true ? "check" : options.write === true ? "write" : "print");
    });
}

export function runFmt(paths: string[], mode: "print" | "check" | "write"): number {
  const files = expandPaths(paths, [".strat"]);
  let failed = false;
  let unformatted = 0;
  for (const path of files) {
    if (path.endsWith(".clj")) throw new UsageError(`${path} is a Composer file: convert it with 'strat convert ${path}'`);
    const shown = displayPath(path);
    const read = readSource(path);
    if (!read.ok) {
      err(`${shown}: ${read.reason === "too-large" ? "file too large to format" : read.message}`);
      failed = true;
      continue;
    }
    const result = formatStrat(read.text, shown);
    if (result.text === null) {
      const lines = new LineIndex(read.text);
      for (const d of result.diagnostics) err(renderDiagnostic(d, lines));
      err(`${shown}: not formatted (syntax errors)`);
      failed = true;
      continue;
    }
    const changed = result.text !== read.text;
    if (mode === "print") process.stdout.write(result.text);
    else if (mode === "check") {
      if (changed) {
        out(`${shown}: not formatted`);
        unformatted++;
      }
    } else if (changed) {
      writeFileSync(path, result.text);
      out(`${shown}: formatted`);
    }
  }
  if (mode === "check" && unformatted === 0 && !failed) out(`${files.length === 1 ? "1 file is" : `${files.length} files are`} formatted`);
  return failed || unformatted > 0 ? EXIT.failed : EXIT.ok;
}
