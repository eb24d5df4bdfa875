/** NYSE sessions and early closes against the exchange's published 2024 and 2025 calendars. */
import { describe, expect, it } from "vitest";
import { addDays, dateOfDay, dayNumber, earlyClose, isIsoDate, isSession, nextSession, previousSession, sessionsBetween } from "../../src/data/nyse-calendar.js";

const HOLIDAYS_2024 = ["2024-01-01", "2024-01-15", "2024-02-19", "2024-03-29", "2024-05-27", "2024-06-19", "2024-07-04", "2024-09-02", "2024-11-28", "2024-12-25"];
// 2025-01-09: national day of mourning for President Carter.
const HOLIDAYS_2025 = ["2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25"];
const EARLY_CLOSES = ["2024-07-03", "2024-11-29", "2024-12-24", "2025-07-03", "2025-11-28", "2025-12-24"];

function weekdaysOf(year: number): string[] {
  const out: string[] = [];
  for (let day = dayNumber(`${year}-01-01`); day <= dayNumber(`${year}-12-31`); day++) {
    const dow = new Date(day * 86_400_000).getUTCDay();
    if (dow !== 0 && dow !== 6) out.push(dateOfDay(day));
  }
  return out;
}

describe("NYSE calendar", () => {
  it("closes on exactly the published 2024 and 2025 holidays", () => {
    for (const [year, holidays] of [[2024, HOLIDAYS_2024], [2025, HOLIDAYS_2025]] as const) {
      const closedWeekdays = weekdaysOf(year).filter((d) => !isSession(d));
      expect(closedWeekdays).toEqual(holidays);
    }
  });

  it("counts 252 sessions in 2024 and 250 in 2025", () => {
    expect(sessionsBetween("2024-01-01", "2024-12-31")).toHaveLength(252);
    expect(sessionsBetween("2025-01-01", "2025-12-31")).toHaveLength(250);
  });

  it("has exactly the published early closes in 2024 and 2025", () => {
    const early = [...sessionsBetween("2024-01-01", "2024-12-31"), ...sessionsBetween("2025-01-01", "2025-12-31")].filter(earlyClose);
    expect(early).toEqual(EARLY_CLOSES);
  });

  it("moves Saturday holidays to Friday and Sunday holidays to Monday, except New Year's Day on a Saturday", () => {
    expect(isSession("2021-12-31")).toBe(true); // 2022-01-01 was a Saturday: not observed
    expect(isSession("2023-01-02")).toBe(false); // New Year's Day on a Sunday
    expect(isSession("2021-12-24")).toBe(false); // Christmas on a Saturday
    expect(isSession("2022-12-26")).toBe(false); // Christmas on a Sunday
    expect(isSession("2020-07-03")).toBe(false); // Independence Day on a Saturday
    expect(isSession("2021-07-05")).toBe(false); // Independence Day on a Sunday
    expect(isSession("2027-06-18")).toBe(false); // Juneteenth on a Saturday
    expect(isSession("2022-06-20")).toBe(false); // Juneteenth on a Sunday
  });

  it("applies MLK Day from 1998 and Juneteenth from 2022", () => {
    expect(isSession("1997-01-20")).toBe(true);
    expect(isSession("1998-01-19")).toBe(false);
    expect(isSession("2021-06-18")).toBe(true);
    expect(isSession("2021-06-21")).toBe(true);
  });

  it("finds Good Friday from Easter", () => {
    for (const goodFriday of ["2000-04-21", "2008-03-21", "2019-04-19", "2026-04-03", "2038-04-23"]) expect(isSession(goodFriday)).toBe(false);
  });

  it("gives no early close on holidays, weekends or a Friday July 1", () => {
    expect(earlyClose("2020-07-03")).toBe(false); // the observed holiday itself
    expect(earlyClose("2021-12-24")).toBe(false);
    expect(earlyClose("2022-07-01")).toBe(false);
    expect(earlyClose("2023-12-24")).toBe(false); // a Sunday
    expect(earlyClose("2023-07-03")).toBe(true);
    expect(earlyClose("2021-11-26")).toBe(true);
  });

  it("steps to the next and previous sessions over weekends and holidays", () => {
    expect(nextSession("2024-12-24")).toBe("2024-12-26");
    expect(nextSession("2025-01-08")).toBe("2025-01-10");
    expect(nextSession("2024-03-28")).toBe("2024-04-01");
    expect(nextSession("2024-06-29")).toBe("2024-07-01");
    expect(previousSession("2025-01-02")).toBe("2024-12-31");
    expect(previousSession("2024-01-16")).toBe("2024-01-12");
    expect(previousSession("2024-04-01")).toBe("2024-03-28");
  });

  it("lists sessions inclusively and returns nothing for an inverted range", () => {
    expect(sessionsBetween("2024-03-27", "2024-04-02")).toEqual(["2024-03-27", "2024-03-28", "2024-04-01", "2024-04-02"]);
    expect(sessionsBetween("2024-04-02", "2024-03-27")).toEqual([]);
  });

  it("does date arithmetic in UTC and validates YYYY-MM-DD", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2023-03-01", -1)).toBe("2023-02-28");
    expect(dateOfDay(dayNumber("1999-12-31") + 1)).toBe("2000-01-01");
    expect(isIsoDate("2024-02-30")).toBe(false);
    expect(isIsoDate("2024-2-3")).toBe(false);
    expect(() => isSession("2024/01/02")).toThrow(new RangeError("not a YYYY-MM-DD date: '2024/01/02'"));
  });
});
