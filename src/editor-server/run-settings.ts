/**
 * The backtest picker's choices in a request body: data source, date range and param values.
 * Malformed values are 400s and values outside a param's declared range 422s, each with a
 * message the panel shows as is. Param values are converted by the CLI's `--param` parser, so
 * `{ "max_dd": "15%" }` is the same number as `--param max_dd=15%`.
 */
import type { BacktestOptions } from "../backtest/run.js";
import { resolveParams } from "../engine/params.js";
import type { IrParam, IrProgram, IrStrategy } from "../ir/types.js";
import { shiftDecimal } from "../lang/decimal.js";
import { DATA_SOURCE_IDS, type DataSourceId } from "./data-sources.js";
import { HttpError } from "./http.js";
import { asUserError, type RunInputs } from "./run-inputs.js";

/** What a backtest or explain request asked for besides the text. */
export interface RunSettings {
  data: DataSourceId;
  from?: string;
  to?: string;
  /** Overrides by name, already numbers (percents as fractions). */
  params: Record<string, number>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VALUE = /^-?\d+(?:\.\d+)?%?$/;

function dateField(body: Record<string, unknown>, name: "from" | "to", inputs: RunInputs): string | undefined {
  const value = body[name];
  // The picker sends "" for an empty date input: the data's whole range, as without --from/--to.
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new HttpError(400, `'${name}' must be a date as YYYY-MM-DD`);
  return asUserError(() => inputs.parseDate(value, `'${name}'`), (message) => new HttpError(400, message));
}

function paramsField(body: Record<string, unknown>, inputs: RunInputs): Record<string, number> {
  const value = body.params;
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new HttpError(400, "'params' must be an object of NAME: VALUE");
  const entries: string[] = [];
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    if (!NAME.test(name)) throw new HttpError(400, `'${name}' is not a param name`);
    const text = typeof raw === "number" && Number.isFinite(raw) ? String(raw) : typeof raw === "string" ? raw.trim() : null;
    if (text === null || !VALUE.test(text)) {
      throw new HttpError(400, `param '${name}' takes a number such as 50 or 10%, not ${typeof raw === "string" ? `'${raw}'` : JSON.stringify(raw)}`);
    }
    entries.push(`${name}=${text}`);
  }
  return asUserError(() => inputs.parseParams(entries), (message) => new HttpError(400, message));
}

/** The settings of a request body; 400 for a malformed field. Absent fields mean the CLI's defaults. */
export function runSettingsOf(body: Record<string, unknown>, inputs: RunInputs): RunSettings {
  const data = body.data ?? "synthetic";
  if (typeof data !== "string" || !(DATA_SOURCE_IDS as readonly string[]).includes(data)) {
    throw new HttpError(400, `'data' must be one of ${DATA_SOURCE_IDS.join(", ")}, not ${JSON.stringify(data)}`);
  }
  const from = dateField(body, "from", inputs);
  const to = dateField(body, "to", inputs);
  if (from !== undefined && to !== undefined && from > to) throw new HttpError(400, `the range is empty: 'from' ${from} is after 'to' ${to}`);
  return { data: data as DataSourceId, params: paramsField(body, inputs), ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

/** A param value as the file writes it: `15%` for a percent param's 0.15. */
function written(param: IrParam, value: number): string {
  return param.unit === "percent" ? `${shiftDecimal(String(value), 2)}%` : String(value);
}

/** Whether `a` and `b` are the same decimal up to float noise (5%..20% step 2.5% accumulates some). */
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * Checks `params` against the strategy's declared params: unknown names and fractional counts
 * as the library reports them, then the declared range (the picker's bounds). 422 on a bad value.
 */
export function checkParams(program: IrProgram, strategy: IrStrategy, params: Record<string, number>): void {
  const declared = program.params.filter((p) => strategy.params.includes(p.name));
  resolveParams(declared, params);
  for (const [name, value] of Object.entries(params)) {
    const param = declared.find((p) => p.name === name)!;
    const min = param.values[0] ?? param.default;
    const max = param.values[param.values.length - 1] ?? param.default;
    if (min === max && !close(value, min)) {
      throw new HttpError(422, `param '${name}' is fixed at ${written(param, min)} (declare a range with 'in' to vary it), not ${written(param, value)}`);
    }
    if ((value < min && !close(value, min)) || (value > max && !close(value, max))) {
      throw new HttpError(422, `param '${name}' must be within its range ${written(param, min)}..${written(param, max)}, not ${written(param, value)}`);
    }
  }
}

/** The library options of a run: the CLI's defaults for everything the picker does not set. */
export function backtestOptions(settings: RunSettings, strategy: string | undefined): BacktestOptions {
  return {
    ...(strategy === undefined ? {} : { strategy }),
    ...(settings.from === undefined ? {} : { from: settings.from }),
    ...(settings.to === undefined ? {} : { to: settings.to }),
    params: settings.params,
  };
}
