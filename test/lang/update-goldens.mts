/**
 * Prints, or with --write rewrites, the goldens of test/lang/cases: for each input
 * (`NNN-name.strat` or `NNN-name.clj`), `NNN-name.expected` holds its rendered diagnostics.
 *
 *   npx tsx test/lang/update-goldens.mts                 # print every case's output
 *   npx tsx test/lang/update-goldens.mts 007 013         # only cases whose name contains 007 or 013
 *   npx tsx test/lang/update-goldens.mts --write [...]   # write the .expected files
 *
 * Read every changed golden before committing it: the point of a golden is that a person
 * checked the location, carets and message once.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { compile } from "../../src/lang/compile.js";
import { renderDiagnostic } from "../../src/lang/render.js";

const CASES = resolve(import.meta.dirname, "cases");

/** The golden text of one input: every rendered diagnostic, joined by newlines, plus a final newline. */
function renderCase(name: string, text: string): string {
  const result = compile(text, { file: name });
  return `${result.diagnostics.map((d) => renderDiagnostic(d, result.lines)).join("\n")}\n`;
}

const args = process.argv.slice(2);
const write = args.includes("--write");
const filters = args.filter((a) => a !== "--write");
const inputs = readdirSync(CASES)
  .filter((f) => /\.(strat|clj)$/.test(f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

for (const name of inputs) {
  const rendered = renderCase(name, readFileSync(join(CASES, name), "utf8"));
  const expectedPath = join(CASES, name.replace(/\.(strat|clj)$/, ".expected"));
  if (write) {
    writeFileSync(expectedPath, rendered);
    console.log(`wrote ${expectedPath}`);
  } else {
    console.log(`===== ${name}`);
    process.stdout.write(rendered);
  }
}
