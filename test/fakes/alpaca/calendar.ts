/**
 * The market calendar of the fake Alpaca server (`GET /v2/calendar`): an explicit list of
 * sessions from the seed, else the NYSE sessions computed by src/data/nyse-calendar.ts (so a
 * test that wants to check Strat's calendar against an independent one seeds its own list).
 * The clock and order modules read sessions through the helpers here.
 */
import { addDays, isIsoDate } from "../../../src/data/nyse-calendar.js";
import { nyseSession } from "../../../src/data/market-hours.js";
import { apiError, type FakeRequest, type FakeResponse, type Router } from "./router.js";
import type { FakeAlpacaState, FakeSession } from "./state.js";

/** Alpaca's calendar covers 1970 to 2029 when no bounds are given. */
const FIRST_DATE = "1970-01-01";
const LAST_DATE = "2029-12-31";

/** Registers `GET /v2/calendar`. */
export function registerCalendar(router: Router): void {
  router.add("GET", "/v2/calendar", calendar);
}

/** The session on `date`, or undefined when the market is closed that day. */
export function sessionOn(state: FakeAlpacaState, date: string): FakeSession | undefined {
  if (state.calendar !== undefined) return state.calendar.get(date);
  return nyseSession(date);
}

/** The first session strictly after `date`, looking at most a year ahead. */
export function sessionAfter(state: FakeAlpacaState, date: string): FakeSession | undefined {
  for (let day = addDays(date, 1), n = 0; n < 366; day = addDays(day, 1), n++) {
    const session = sessionOn(state, day);
    if (session !== undefined) return session;
  }
  return undefined;
}

/** Sessions from `from` to `to`, both inclusive, ascending. */
export function sessionsBetween(state: FakeAlpacaState, from: string, to: string): FakeSession[] {
  if (state.calendar !== undefined) {
    return [...state.calendar.values()].filter((s) => s.date >= from && s.date <= to).sort((a, b) => (a.date < b.date ? -1 : 1));
  }
  const out: FakeSession[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const session = sessionOn(state, day);
    if (session !== undefined) out.push(session);
  }
  return out;
}

/**
 * A `start`/`end` bound: YYYY-MM-DD, or an RFC 3339 time (what the SDK sends) read as its
 * date part. Undefined when absent, null when invalid.
 */
function bound(raw: string | null): string | undefined | null {
  if (raw === null || raw === "") return undefined;
  const date = raw.slice(0, 10);
  if (!isIsoDate(date)) return null;
  if (raw.length > 10 && Number.isNaN(Date.parse(raw))) return null;
  return date;
}

function calendar(req: FakeRequest, state: FakeAlpacaState): FakeResponse {
  const start = bound(req.query.get("start"));
  const end = bound(req.query.get("end"));
  if (start === null) return apiError(400, 40010001, "invalid start");
  if (end === null) return apiError(400, 40010001, "invalid end");
  const sessions = sessionsBetween(state, start ?? FIRST_DATE, end ?? LAST_DATE);
  const body = sessions.map((s) => {
    const settlement = sessionAfter(state, s.date)?.date ?? addDays(s.date, 1);
    // Extended hours: 04:00 to 20:00, or 17:00 on early-close days.
    const sessionClose = s.close < "16:00" ? "1700" : "2000";
    return { date: s.date, open: s.open, close: s.close, session_open: "0400", session_close: sessionClose, settlement_date: settlement };
  });
  return { status: 200, body };
}
