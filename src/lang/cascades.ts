/**
 * After a syntax error the parser recovers by skipping or inventing tokens, so the checker sees
 * a damaged node: a block that lost its children, weights that lost an entry, a condition cut
 * short. Findings of those kinds on a node that contains a syntax error are noise and are
 * dropped; every other finding in the file is still reported in the same run.
 */
import type { Diagnostic } from "./diagnostics.js";
import type { Module } from "./module.js";

/** Codes that a damaged node produces as a consequence of the syntax error inside it. */
const CASCADE_PRONE = new Set(["S3007", "S3001", "S3002", "S2018", "S2005", "S2006", "S2023"]);

/** Syntax errors that leave the tree intact (a missing comma) do not damage anything. */
const HARMLESS_SYNTAX = new Set(["S1005"]);

/** The module's diagnostics without follow-on findings of its syntax errors. */
export function withoutCascades(module: Module): Diagnostic[] {
  const items = module.sink.items;
  const damage = items.filter((d) => d.code.startsWith("S1") && !HARMLESS_SYNTAX.has(d.code)).map((d) => d.span.start);
  if (damage.length === 0) return items;
  return items.filter((d) => {
    if (!CASCADE_PRONE.has(d.code)) return true;
    // A node also owns the blank text after it: a missing closing brace is reported there.
    let end = d.span.end;
    while (end < module.text.length && /\s/.test(module.text[end]!)) end++;
    return !damage.some((at) => at >= d.span.start && at <= end);
  });
}
