/**
 * Input limits. The compiler is recursive over nesting, so nesting is bounded before parsing:
 * past these limits a file gets a located S1006/S1007 error instead of a stack overflow.
 */

/** Deepest bracket nesting (plus runs of prefix operators) a `.strat` file may have. */
export const MAX_STRAT_NESTING = 200;

/** Deepest bracket nesting a Composer file may have (the corpus peaks at 99). */
export const MAX_COMPOSER_NESTING = 400;

/** Deepest allocation/expression tree the checker and lowering walk (else-if chains count). */
export const MAX_TREE_DEPTH = 1000;

/** Largest source file, in UTF-16 code units (~ bytes for ASCII sources). */
export const MAX_SOURCE_LENGTH = 64 * 1024 * 1024;

/** The S1007 message for a source of `length` characters (or bytes). */
export function fileTooLargeMessage(length: number): string {
  return `file is ${length.toLocaleString("en-US")} bytes; the limit is ${MAX_SOURCE_LENGTH.toLocaleString("en-US")} (${MAX_SOURCE_LENGTH / 1048576} MB)`;
}

/** Most IR nodes one strategy may expand to once lets are inlined. */
export const MAX_IR_NODES = 1_000_000;
