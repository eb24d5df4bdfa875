/**
 * The CLI's parsers and data wiring as the editor server takes them (editor-server/run-inputs.ts):
 * a param, date or data source picked in the editor means what the same CLI flag means.
 */
import type { RunInputs } from "../editor-server/run-inputs.js";
import { barSourceFromOption } from "./bar-sources.js";
import { parseDate, parseParams } from "./run-options.js";

export const CLI_RUN_INPUTS: RunInputs = {
  parseParams,
  parseDate,
  barSource: (spec, cacheDir) => barSourceFromOption(spec, { cacheDir }),
};
