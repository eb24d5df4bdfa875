/** Composer symphony (`.clj`) reader: text → the `.strat` AST, with located diagnostics. */
export { readComposer, type ComposerReadResult } from "./symphony.js";
