/**
 * Span arithmetic for reused parse results. Units start at line starts, so moving one moves
 * offsets and line numbers only; columns never change.
 */
import type { Span } from "../source.js";

/** True for a `Span`-shaped value (every AST and diagnostic span has exactly these fields). */
export function isSpan(value: unknown): value is Span {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return typeof v.start === "number" && typeof v.endCol === "number" && typeof v.endLine === "number";
}

/** Every distinct span object reachable from `root` (spans are not descended into). */
export function collectSpans(root: unknown, into: Set<Span> = new Set()): Set<Span> {
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (isSpan(node)) {
      into.add(node);
      return;
    }
    for (const key in node) visit((node as Record<string, unknown>)[key]);
  };
  visit(root);
  return into;
}

/** A copy of `span` moved by `offset` characters and `lines` lines. */
export function movedSpan(span: Span, offset: number, lines: number): Span {
  return { start: span.start + offset, end: span.end + offset, line: span.line + lines, col: span.col, endLine: span.endLine + lines, endCol: span.endCol };
}

/** Moves every span of `spans` in place. */
export function moveSpans(spans: readonly Span[], offset: number, lines: number): void {
  if (offset === 0 && lines === 0) return;
  for (const span of spans) {
    span.start += offset;
    span.end += offset;
    span.line += lines;
    span.endLine += lines;
  }
}

/**
 * JSON of `value` with every span made relative to `base` (an offset and a 1-based line):
 * equal strings mean equal structures at the same relative positions.
 */
export function relativeJson(value: unknown, baseOffset: number, baseLine: number): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (isSpan(v)) return [v.start - baseOffset, v.end - baseOffset, v.line - baseLine, v.col, v.endLine - baseLine, v.endCol];
    if (v instanceof Set) return [...(v as Set<unknown>)];
    return v;
  });
}
