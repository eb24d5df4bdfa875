/**
 * How column values come back to JS, identical on `pg` and on PGlite: int8 and numeric as
 * numbers, date as 'YYYY-MM-DD', timestamp(tz) as ISO-8601 UTC strings ('…T…Z', milliseconds),
 * json/jsonb as parsed values. No JS Date objects anywhere: the store's records are plain data
 * that compare, serialise and hash the same whichever driver produced them.
 *
 * The parsers read Postgres's text output format with DateStyle ISO (both drivers' sessions are
 * set to ISO and UTC when opened; see database.ts), but accept any UTC offset.
 */

/** Postgres type OIDs the adapters parse themselves. */
export const OID = {
  int8: 20,
  json: 114,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  jsonb: 3802,
} as const;

/** int8 as a JS number; throws rather than silently rounding past Number.MAX_SAFE_INTEGER. */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} is beyond Number.MAX_SAFE_INTEGER`);
  return value;
}

/**
 * numeric as a JS number (the nearest double; 'NaN' and the infinities map to theirs). The
 * store's quantities and prices fit a double's 15–17 significant digits.
 */
export function parseNumeric(text: string): number {
  return Number(text);
}

/** date as the text Postgres printed ('YYYY-MM-DD' under DateStyle ISO; 'infinity' unchanged). */
export function parseDate(text: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text) || text === "infinity" || text === "-infinity") return text;
  throw new Error(`unexpected date text "${text}": the session's DateStyle must be ISO`);
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?$/;

/**
 * timestamptz (or timestamp, read as UTC) as `Date#toISOString()` prints it, e.g.
 * '2026-01-02T15:04:05.123Z'. Microseconds are truncated to milliseconds, JS's resolution.
 * 'infinity' and '-infinity' come back unchanged.
 */
export function parseTimestamp(text: string): string {
  if (text === "infinity" || text === "-infinity") return text;
  const m = TIMESTAMP.exec(text);
  if (m === null) throw new Error(`unexpected timestamp text "${text}": the session's DateStyle must be ISO`);
  const [, y, mo, d, h, mi, s, frac, sign, oh, om, os] = m;
  const millis = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, "0"));
  // setUTCFullYear rather than Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), millis);
  const offsetSeconds = sign === undefined ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 3600 + Number(om ?? 0) * 60 + Number(os ?? 0));
  return new Date(date.getTime() - offsetSeconds * 1000).toISOString();
}

/** json/jsonb text to a JS value. */
export function parseJson(text: string): unknown {
  return JSON.parse(text) as unknown;
}

/** The text-format parsers, by OID, that both drivers are configured with. */
export const TEXT_PARSERS: Readonly<Record<number, (text: string) => unknown>> = {
  [OID.int8]: parseInt8,
  [OID.numeric]: parseNumeric,
  [OID.date]: parseDate,
  [OID.timestamp]: parseTimestamp,
  [OID.timestamptz]: parseTimestamp,
  [OID.json]: parseJson,
  [OID.jsonb]: parseJson,
};
