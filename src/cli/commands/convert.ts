/**
 * `strat convert FILE.clj [-o FILE.strat]`: a Composer symphony as idiomatic `.strat`. The
 * result is compiled again and its IR hash compared with the symphony's, so a conversion that
 * would change meaning is never written.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { compile } from "../../lang/compile.js";
import { convertComposer } from "../../lang/format/index.js";
import { compileFile, renderAll } from "../compile-file.js";
import { err, out } from "../output.js";
import { EXIT, UsageError } from "../usage-error.js";
import { displayPath, fsHost } from "../fs-host.js";

export function registerConvert(program: Command): void {
  program
    .command("convert")
    .description("convert a Composer symphony (.clj) to .strat")
    .argument("<file>", "a Composer .clj file")
    .option("-o, --output <file>", "write the .strat here instead of printing it")
    .action((file: string, options: { output?: string }) => {
      process.exitCode = runConvert(file, options.output);
    });
}

export function runConvert(file: string, output: string | undefined): number {
  if (!file.toLowerCase().endsWith(".clj")) throw new UsageError(`${file} is not a Composer .clj file`);
  const compilation = compileFile(file);
  if (compilation.text === null || compilation.result === null || compilation.result.ir === null) {
    for (const line of renderAll(compilation)) err(line);
    err(`${compilation.path}: not converted`);
    return EXIT.failed;
  }
  const converted = convertComposer(compilation.text, compilation.path);
  if (converted.text === null) return EXIT.failed;
  const target = output === undefined ? displayPath(file).replace(/\.clj$/i, ".strat") : displayPath(output);
  const again = compile(converted.text, { file: target, host: fsHost() });
  if (again.ir === null || again.ir.hash !== compilation.result.ir.hash) {
    err(`${compilation.path}: internal error: the converted .strat does not compile to the same IR; nothing written`);
    return EXIT.internal;
  }
  if (output === undefined) {
    process.stdout.write(converted.text);
  } else {
    writeFileSync(output, converted.text);
    out(`${compilation.path} → ${target} (IR ${again.ir.hash.slice(0, 12)}, identical)`);
  }
  return EXIT.ok;
}
