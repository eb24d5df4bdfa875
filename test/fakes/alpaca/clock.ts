/**
 * The market clock of the fake Alpaca server: `GET /v2/clock` (what the SDK's `legacyClock()`
 * calls) and `GET /v3/clock` (`clock()`), both computed from the server's clock (`state.now`,
 * moved by `server.setClock`) and its calendar. Times go out with New York offsets, as
 * Alpaca writes them ("2024-07-03T12:00:00.000-04:00"), so clients must parse offsets.
 */
import { newYorkInstant, newYorkTime } from "../../../src/data/market-hours.js";
import { sessionAfter, sessionOn } from "./calendar.js";
import { apiError, type FakeRequest, type FakeResponse, type Router } from "./router.js";
import type { FakeAlpacaState } from "./state.js";

/** Registers the clock routes. */
export function registerClock(router: Router): void {
  router.add("GET", "/v2/clock", legacyClock).add("GET", "/v3/clock", clockV3);
}

/** Where an instant stands against the server's calendar. */
export interface MarketState {
  isOpen: boolean;
  /** First open strictly after the instant. */
  nextOpen: Date;
  /** First close after the instant (today's until it passes). */
  nextClose: Date;
  /** The session `nextClose` ends: the one a day order sent now belongs to. */
  session: string;
  /** Whether the instant's New York date has a session at all. */
  isMarketDay: boolean;
}

/** The market at `instant`, by the server's calendar; throws if no session follows within a year. */
export function marketState(state: FakeAlpacaState, instant: Date): MarketState {
  const t = instant.getTime();
  const today = newYorkTime(instant).date;
  const session = sessionOn(state, today);
  let isOpen = false;
  let nextOpen: Date | undefined;
  let nextClose: Date | undefined;
  let current = today;
  if (session !== undefined) {
    const open = newYorkInstant(today, session.open);
    const close = newYorkInstant(today, session.close);
    isOpen = open.getTime() <= t && t < close.getTime();
    if (t < open.getTime()) nextOpen = open;
    if (t < close.getTime()) nextClose = close;
  }
  if (nextOpen === undefined || nextClose === undefined) {
    const following = sessionAfter(state, today);
    if (following === undefined) throw new Error(`the fake calendar has no session after ${today}`);
    nextOpen ??= newYorkInstant(following.date, following.open);
    if (nextClose === undefined) {
      nextClose = newYorkInstant(following.date, following.close);
      current = following.date;
    }
  }
  return { isOpen, nextOpen, nextClose, session: current, isMarketDay: session !== undefined };
}

/** An instant written with its New York offset: "2024-07-03T12:00:00.000-04:00". */
export function newYorkIso(instant: Date): string {
  const offset = newYorkTime(instant).offsetMinutes;
  const wall = new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 23);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

function legacyClock(_req: FakeRequest, state: FakeAlpacaState): FakeResponse {
  const now = state.now();
  const market = marketState(state, now);
  return {
    status: 200,
    body: { timestamp: newYorkIso(now), is_open: market.isOpen, next_open: newYorkIso(market.nextOpen), next_close: newYorkIso(market.nextClose) },
  };
}

/** Extended-hours phases around the core session: pre 04:00–open, post close–20:00. */
function clockV3(req: FakeRequest, state: FakeAlpacaState): FakeResponse {
  const markets = req.query.get("markets");
  if (markets !== null && markets !== "" && !markets.split(",").includes("NYSE")) {
    return apiError(422, 42210000, "the fake serves the NYSE clock only");
  }
  const rawTime = req.query.get("time");
  const now = rawTime === null ? state.now() : new Date(rawTime);
  if (Number.isNaN(now.getTime())) return apiError(400, 40010001, "invalid time");
  const market = marketState(state, now);
  const today = newYorkTime(now).date;
  const session = sessionOn(state, today);
  let phase = "closed";
  let phaseUntil = market.nextOpen;
  if (session !== undefined) {
    const t = now.getTime();
    const pre = newYorkInstant(today, "04:00").getTime();
    const open = newYorkInstant(today, session.open).getTime();
    const close = newYorkInstant(today, session.close).getTime();
    const post = newYorkInstant(today, session.close < "16:00" ? "17:00" : "20:00").getTime();
    if (t >= pre && t < open) [phase, phaseUntil] = ["pre", new Date(open)];
    else if (t >= open && t < close) [phase, phaseUntil] = ["core", new Date(close)];
    else if (t >= close && t < post) [phase, phaseUntil] = ["post", new Date(post)];
  }
  return {
    status: 200,
    body: {
      clocks: [
        {
          market: { acronym: "NYSE", mic: "XNYS", name: "New York Stock Exchange", timezone: "America/New_York" },
          timestamp: newYorkIso(now),
          is_market_day: market.isMarketDay,
          next_market_open: newYorkIso(market.nextOpen),
          next_market_close: newYorkIso(market.nextClose),
          phase,
          phase_until: newYorkIso(phaseUntil),
        },
      ],
    },
  };
}
