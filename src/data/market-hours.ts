/**
 * NYSE market hours on New York wall clocks: sessions with their open and close (early closes
 * at 13:00), where an instant stands against them, and conversions between instants and New
 * York dates and times (Intl does the time-zone rules; no time-zone library).
 */
import { earlyClose, isSession, nextSession } from "./nyse-calendar.js";
import type { SessionDay } from "../ports/broker.js";

/** NYSE regular open, New York wall clock. */
export const NYSE_OPEN = "09:30";
/** NYSE regular close. */
export const NYSE_CLOSE = "16:00";
/** NYSE close on early-close days (July 3, the day after Thanksgiving, December 24). */
export const NYSE_EARLY_CLOSE = "13:00";

const NEW_YORK = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/New_York",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** An instant seen on a New York wall clock. */
export interface NewYorkTime {
  /** YYYY-MM-DD. */
  date: string;
  /** HH:MM (24-hour). */
  time: string;
  /** Offset from UTC in minutes: -240 (EDT) or -300 (EST). */
  offsetMinutes: number;
}

/** The New York date, time and UTC offset of an instant (Intl does the time-zone rules). */
export function newYorkTime(instant: Date): NewYorkTime {
  const parts = NEW_YORK.formatToParts(instant);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? "00";
  const date = `${get("year")}-${get("month")}-${get("day")}`;
  const time = `${get("hour")}:${get("minute")}`;
  const wall = Date.parse(`${date}T${time}:${get("second")}Z`);
  const whole = Math.floor(instant.getTime() / 1000) * 1000;
  return { date, time, offsetMinutes: Math.round((wall - whole) / 60_000) };
}

/**
 * The instant at which New York wall clocks show `time` (HH:MM) on `date`. Two passes settle
 * the offset; market hours never fall in the 02:00 daylight-saving gap, so it is unambiguous.
 */
export function newYorkInstant(date: string, time: string): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  if (Number.isNaN(wall)) throw new RangeError(`not a New York date and time: ${date} ${time}`);
  let guess = wall - newYorkTime(new Date(wall)).offsetMinutes * 60_000;
  guess = wall - newYorkTime(new Date(guess)).offsetMinutes * 60_000;
  return new Date(guess);
}

/** The NYSE session on `date` with its New York open and close, or undefined on a closed day. */
export function nyseSession(date: string): SessionDay | undefined {
  if (!isSession(date)) return undefined;
  return { date, open: NYSE_OPEN, close: earlyClose(date) ? NYSE_EARLY_CLOSE : NYSE_CLOSE };
}

/** Where an instant stands against the NYSE sessions. */
export interface NyseClock {
  isOpen: boolean;
  /** The next open strictly after the instant (tomorrow's while a session is open). */
  nextOpen: Date;
  /** The first close after the instant: today's until it passes. */
  nextClose: Date;
  /** The session `nextClose` ends: the one a day order sent at this instant lives in. */
  session: string;
}

/** The NYSE clock at `instant`, from the rule-based calendar. */
export function nyseClock(instant: Date): NyseClock {
  const t = instant.getTime();
  const today = newYorkTime(instant).date;
  const session = nyseSession(today);
  let nextOpen: Date | undefined;
  let nextClose: Date | undefined;
  let isOpen = false;
  let current = today;
  if (session !== undefined) {
    const open = newYorkInstant(today, session.open);
    const close = newYorkInstant(today, session.close);
    isOpen = open.getTime() <= t && t < close.getTime();
    if (t < open.getTime()) nextOpen = open;
    if (t < close.getTime()) nextClose = close;
  }
  const following = nyseSession(nextSession(today))!;
  nextOpen ??= newYorkInstant(following.date, following.open);
  if (nextClose === undefined) {
    nextClose = newYorkInstant(following.date, following.close);
    current = following.date;
  }
  return { isOpen, nextOpen, nextClose, session: current };
}

// ---------------------------------------------------------------------------------------------
// The broker

/** "immediate": orders fill as soon as the market is open; "manual": only on {@link SimBroker.fillPending}. */
