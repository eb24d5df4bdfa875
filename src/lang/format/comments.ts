/**
 * Hands out a file's comments to the printer in source order, so every comment is printed
 * exactly once: before the item that follows it, after the item it trails on the same line,
 * or before the closing brace of the block it sits in.
 */
import type { Comment } from "../ast.js";

export class CommentQueue {
  private next = 0;

  constructor(private readonly comments: readonly Comment[]) {}

  /** Comments that start before `offset` and have not been printed yet. */
  takeBefore(offset: number): Comment[] {
    const out: Comment[] = [];
    while (this.next < this.comments.length && this.comments[this.next]!.span.start < offset) {
      out.push(this.comments[this.next]!);
      this.next++;
    }
    return out;
  }

  /** A comment that starts on `line` at or after `offset` (a trailing comment), if it is the next one. */
  takeTrailing(line: number, offset: number): Comment | null {
    const c = this.comments[this.next];
    if (c !== undefined && c.span.line === line && c.span.start >= offset) {
      this.next++;
      return c;
    }
    return null;
  }

  /** Whether any unprinted comment starts inside `[start, end)`. */
  anyWithin(start: number, end: number): boolean {
    for (let i = this.next; i < this.comments.length; i++) {
      const s = this.comments[i]!.span.start;
      if (s >= end) return false;
      if (s >= start) return true;
    }
    return false;
  }

  /** Every comment not printed yet. */
  rest(): Comment[] {
    return this.takeBefore(Number.POSITIVE_INFINITY);
  }
}
