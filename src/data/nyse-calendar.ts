/**
 * NYSE trading sessions and early closes, computed from the exchange's holiday rules (no table
 * to maintain, no time-zone library). Dates are YYYY-MM-DD strings; all arithmetic is on UTC
 * day numbers, so the host's time zone never matters.
 */

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/**
 * Unscheduled closures the rules cannot know (national days of mourning, weather, 9/11). Kept
 * because real bars from any provider skip these days, and the synthetic calendar should match.
 */
const SPECIAL_CLOSURES: ReadonlySet<string> = new Set([
  "1994-04-27", // Nixon funeral
  "2001-09-11", // September 11 attacks, market closed through the 14th
  "2001-09-12",
  "2001-09-13",
  "2001-09-14",
  "2004-06-11", // Reagan funeral
  "2007-01-02", // Ford funeral
  "2012-10-29", // Hurricane Sandy
  "2012-10-30",
  "2018-12-05", // George H. W. Bush funeral
  "2025-01-09", // Carter funeral
]);

const SPECIAL_CLOSURE_DAYS: ReadonlySet<number> = new Set([...SPECIAL_CLOSURES].map((d) => dayNumber(d)));

/** True when `date` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(date: string): boolean {
  const m = DATE_PATTERN.exec(date);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** Days since 1970-01-01 (UTC) of a YYYY-MM-DD date; throws a RangeError on anything else. */
export function dayNumber(date: string): number {
  if (!isIsoDate(date)) throw new RangeError(`not a YYYY-MM-DD date: '${date}'`);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
}

/** Year, month (1–12) and day of a day number (Hinnant's civil_from_days: no Date allocation, it runs per session). */
function civil(day: number): [number, number, number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** The YYYY-MM-DD date of a day number (days since 1970-01-01, UTC). */
export function dateOfDay(day: number): string {
  const [y, m, d] = civil(day);
  return `${String(y).padStart(4, "0")}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

/** `date` shifted by `days` calendar days (negative goes back). */
export function addDays(date: string, days: number): string {
  return dateOfDay(dayNumber(date) + days);
}

/** Day of the week of a day number: 0 Sunday … 6 Saturday (1970-01-01 was a Thursday). */
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function ymd(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** The n-th (1-based) given weekday of a month; n = -1 for the last one. */
function nthWeekday(year: number, month: number, dow: number, n: number): number {
  if (n > 0) {
    const first = ymd(year, month, 1);
    return first + ((dow - weekday(first) + 7) % 7) + (n - 1) * 7;
  }
  const last = ymd(year, month + 1, 0);
  return last - ((weekday(last) - dow + 7) % 7);
}

/** Easter Sunday (Gregorian, anonymous computus). */
function easter(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, day);
}

/** A fixed-date holiday moved off the weekend: Saturday → Friday, Sunday → Monday. */
function observed(day: number): number {
  const dow = weekday(day);
  return dow === 6 ? day - 1 : dow === 0 ? day + 1 : day;
}

const holidayCache = new Map<number, Set<number>>();

/** The exchange holidays of `year` (weekdays the market is closed), as day numbers. */
function holidaysOf(year: number): Set<number> {
  const cached = holidayCache.get(year);
  if (cached !== undefined) return cached;
  const days: number[] = [];
  // New Year's Day: Sunday moves to Monday, but Saturday is NOT moved to Friday Dec 31 (NYSE
  // rule 7.2: the year's last session is never given up).
  const newYear = ymd(year, 1, 1);
  if (weekday(newYear) !== 6) days.push(observed(newYear));
  if (year >= 1998) days.push(nthWeekday(year, 1, 1, 3)); // Martin Luther King Jr. Day
  days.push(nthWeekday(year, 2, 1, 3)); // Washington's Birthday
  days.push(easter(year) - 2); // Good Friday
  days.push(nthWeekday(year, 5, 1, -1)); // Memorial Day
  if (year >= 2022) days.push(observed(ymd(year, 6, 19))); // Juneteenth
  days.push(observed(ymd(year, 7, 4))); // Independence Day
  days.push(nthWeekday(year, 9, 1, 1)); // Labor Day
  days.push(nthWeekday(year, 11, 4, 4)); // Thanksgiving
  days.push(observed(ymd(year, 12, 25))); // Christmas
  const set = new Set(days);
  holidayCache.set(year, set);
  return set;
}

function isSessionDay(day: number): boolean {
  const dow = weekday(day);
  if (dow === 0 || dow === 6) return false;
  if (holidaysOf(civil(day)[0]).has(day)) return false;
  return !SPECIAL_CLOSURE_DAYS.has(day);
}

/** True when the NYSE holds a regular or early-close session on `date` (YYYY-MM-DD). */
export function isSession(date: string): boolean {
  return isSessionDay(dayNumber(date));
}

/** Every session from `from` to `to`, both inclusive, ascending; empty when `from` > `to`. */
export function sessionsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const last = dayNumber(to);
  for (let day = dayNumber(from); day <= last; day++) if (isSessionDay(day)) out.push(dateOfDay(day));
  return out;
}

/** The first session strictly after `date` (which need not be a session). */
export function nextSession(date: string): string {
  let day = dayNumber(date) + 1;
  while (!isSessionDay(day)) day++;
  return dateOfDay(day);
}

/** The last session strictly before `date` (which need not be a session). */
export function previousSession(date: string): string {
  let day = dayNumber(date) - 1;
  while (!isSessionDay(day)) day--;
  return dateOfDay(day);
}

/**
 * True when `date` is a session that closes at 13:00 New York time instead of 16:00: July 3
 * when it is a session (the day before Independence Day), the day after Thanksgiving, and
 * December 24 when it is a session.
 */
export function earlyClose(date: string): boolean {
  const day = dayNumber(date);
  if (!isSessionDay(day)) return false;
  const year = Number(date.slice(0, 4));
  // July 3 on a Friday is itself the observed holiday, so "a session" already excludes it.
  if (date.slice(5) === "07-03" || date.slice(5) === "12-24") return true;
  return day === nthWeekday(year, 11, 4, 4) + 1;
}

/** Index of the first of the ascending `dates` on or after `date`, or the length; a binary search. */
export function firstOnOrAfter(dates: readonly string[], date: string): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dates[mid]! < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
