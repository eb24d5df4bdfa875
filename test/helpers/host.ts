/** A compile host over the repository's files, resolving paths like the CLI does. */
import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { resolveSourcePath } from "../../src/cli/fs-host.js";
import type { CompileHost } from "../../src/lang/module.js";

export const REPO = resolve(import.meta.dirname, "..", "..");

export function testHost(): CompileHost {
  return {
    readFile(path, fromFile) {
      const from = fromFile.startsWith("/") ? fromFile : resolve(REPO, fromFile);
      const found = resolveSourcePath(path, from);
      return found === null ? null : { file: relative(REPO, found), text: readFileSync(found, "utf8") };
    },
  };
}
