/** New York wall-clock dates and times of instants (the market's time zone), without a time-zone library. */

const PARTS = new Intl.DateTimeFormat("en-CA", {
  timeZone: "America/New_York",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** The New York date (YYYY-MM-DD) and time (HH:MM) of an ISO instant. */
export function newYork(instant: string | Date): { date: string; time: string } {
  const parts = PARTS.formatToParts(typeof instant === "string" ? new Date(instant) : instant);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? "00";
  return { date: `${get("year")}-${get("month")}-${get("day")}`, time: `${get("hour")}:${get("minute")}` };
}
