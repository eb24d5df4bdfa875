/**
 * Lays a text out as parsed units, reusing earlier parses. A chunk (chunks.ts) that parses
 * without parser errors is a unit of its own: the parser ends it back at a declaration
 * boundary, and the next chunk starts with a declaration keyword, which no declaration can
 * continue with, so the whole file's parser splits there too. A chunk with parser errors may
 * end elsewhere in the whole file (recovery can read on), so it is parsed merged with the
 * chunks after it up to and including the next clean chunk; that merge is kept only when the
 * clean chunk came out exactly as on its own (then the parser was at a declaration boundary
 * there). Otherwise the merge grows to the next clean chunk, at worst to the end of the file,
 * which is always exact.
 */
import type { ChunkStart } from "./chunks.js";
import { ParsedUnit } from "./unit.js";

/** A unit placed in the current text. */
export interface PlacedUnit {
  unit: ParsedUnit;
  /** "whole": parsed to its end; "merged": parsed with the following chunk. */
  kind: "whole" | "merged";
}

/** Parsed units by text, several instances when a text occurs more than once. */
class Pool {
  private readonly byText = new Map<string, ParsedUnit[]>();

  /** Any instance for `text` (placed or not), or null. */
  peek(text: string, generation: number): ParsedUnit | null {
    const unit = this.byText.get(text)?.[0] ?? null;
    if (unit !== null) unit.lastSeen = generation;
    return unit;
  }

  add(unit: ParsedUnit): void {
    const list = this.byText.get(unit.text);
    if (list === undefined) this.byText.set(unit.text, [unit]);
    else list.push(unit);
  }

  /** An instance not yet used in `generation`, preferring one already at `start`/`line`. */
  free(text: string, generation: number, start: number, line: number): ParsedUnit | null {
    const list = this.byText.get(text) ?? [];
    let best: ParsedUnit | null = null;
    for (const unit of list) {
      if (unit.lastUsed === generation) continue;
      if (unit.isAt(start, line)) return unit;
      best ??= unit;
    }
    return best;
  }

  /** Drops instances unused since `oldest`. */
  evict(oldest: number): void {
    for (const [text, list] of this.byText) {
      const kept = list.filter((u) => u.lastSeen >= oldest);
      if (kept.length === 0) this.byText.delete(text);
      else if (kept.length !== list.length) this.byText.set(text, kept);
    }
  }
}

export class UnitLayout {
  private readonly whole = new Pool();
  private readonly merged = new Pool();
  private generation = 0;
  /** Units parsed in the last layout (for tests and the bench: how much was reused). */
  parsedLastTime = 0;

  constructor(private readonly file: string) {}

  /** The units covering `text` (split at `chunks`), in order, placed. */
  layout(text: string, chunks: readonly ChunkStart[]): PlacedUnit[] {
    this.generation++;
    this.parsedLastTime = 0;
    const end = (i: number): number => chunks[i + 1]?.start ?? text.length;
    const chunkText = (i: number): string => text.slice(chunks[i]!.start, end(i));
    const placed: PlacedUnit[] = [];
    let i = 0;
    while (i < chunks.length) {
      const { start, line } = chunks[i]!;
      const single = this.peekWhole(chunkText(i));
      if (single.clean) {
        placed.push({ unit: this.claim(this.whole, single.text, start, line), kind: "whole" });
        i++;
        continue;
      }
      let next = i + 1;
      for (;;) {
        let m = next;
        while (m < chunks.length && !this.peekWhole(chunkText(m)).clean) m++;
        if (m >= chunks.length) {
          const rest = text.slice(start);
          this.peekWhole(rest);
          placed.push({ unit: this.claim(this.whole, rest, start, line), kind: "whole" });
          i = chunks.length;
          break;
        }
        const mergedText = text.slice(start, end(m));
        const unit = this.peekMerged(mergedText, chunks[m]!.start - start, this.peekWhole(chunkText(m)));
        if (unit.verified) {
          placed.push({ unit: this.claim(this.merged, mergedText, start, line, chunks[m]!.start - start), kind: "merged" });
          i = m;
          break;
        }
        next = m + 1;
      }
    }
    // Keep what this and the previous layout used: undoing an edit finds its parse again.
    this.whole.evict(this.generation - 1);
    this.merged.evict(this.generation - 1);
    return placed;
  }

  private parse(text: string, ownLength: number): ParsedUnit {
    this.parsedLastTime++;
    const unit = new ParsedUnit(text, ownLength, this.file);
    unit.lastSeen = this.generation;
    return unit;
  }

  private peekWhole(text: string): ParsedUnit {
    let unit = this.whole.peek(text, this.generation);
    if (unit === null) {
      unit = this.parse(text, text.length);
      this.whole.add(unit);
    }
    return unit;
  }

  private peekMerged(text: string, boundary: number, following: ParsedUnit): ParsedUnit {
    let unit = this.merged.peek(text, this.generation);
    if (unit === null) {
      unit = this.parse(text, boundary);
      const tail = unit.tailJson();
      unit.verified = tail !== null && tail === following.relativeJson();
      unit.tail = undefined;
      this.merged.add(unit);
    }
    return unit;
  }

  /** An instance of `text` for this layout, parsing another when all are in use (a repeated text). */
  private claim(pool: Pool, text: string, start: number, line: number, ownLength = text.length): ParsedUnit {
    let unit = pool.free(text, this.generation, start, line);
    if (unit === null) {
      // Only verified merges are claimed; a second instance of one is verified too.
      unit = this.parse(text, ownLength);
      unit.tail = undefined;
      pool.add(unit);
    }
    unit.place(start, line);
    unit.lastUsed = this.generation;
    unit.lastSeen = this.generation;
    return unit;
  }
}
