/** Compiles a strategy file for a command that needs its IR; prints diagnostics and fails on errors. */
import type { IrProgram } from "../ir/types.js";
import { compileFile, countSeverity, renderAll } from "./compile-file.js";
import { err } from "./output.js";

export class CompileFailed extends Error {}

/** The IR of `path`, or throws `CompileFailed` after printing its errors to stderr. */
export function compileOrFail(path: string): IrProgram {
  const compilation = compileFile(path);
  const ir = compilation.result?.ir ?? null;
  if (ir === null) {
    for (const line of renderAll(compilation)) err(line);
    throw new CompileFailed(`${compilation.path}: ${countSeverity(compilation.diagnostics, "error")} errors`);
  }
  return ir;
}
