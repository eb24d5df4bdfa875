/** Compiles a strategy file for a command that needs its IR; prints diagnostics and fails on errors. */
import type { IrProgram } from "../ir/types.js";
import { compileFile, countSeverity, renderAll } from "./compile-file.js";
import { existsSync } from "node:fs";
import { err, plural } from "./output.js";
import { UsageError } from "./usage-error.js";

export class CompileFailed extends Error {}

/** The IR of `path`, or throws `CompileFailed` after printing its errors to stderr. */
export function compileOrFail(path: string): IrProgram {
  if (!existsSync(path)) throw new UsageError(`no such file: ${path}`);
  const compilation = compileFile(path);
  const ir = compilation.result?.ir ?? null;
  if (ir === null) {
    for (const line of renderAll(compilation)) err(line);
    throw new CompileFailed(`${compilation.path}: ${plural(countSeverity(compilation.diagnostics, "error"), "error")}`);
  }
  return ir;
}
