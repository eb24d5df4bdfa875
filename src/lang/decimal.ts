/**
 * Exact decimal point shifts on numeral text. Percent literals become fractions by moving the
 * point two places in the text, not by dividing a double by 100, so "60%" in `.strat` and
 * 0.6 in a Composer file give the same double and the same IR hash.
 */

const DECIMAL = /^(-?)(\d*)(?:\.(\d*))?$/;

/** Moves the decimal point of `text` by `places` (positive: to the right). Falls back to arithmetic for exponents. */
export function shiftDecimal(text: string, places: number): string {
  const m = DECIMAL.exec(text);
  if (m === null) return String(Number(text) * 10 ** places);
  const sign = m[1] ?? "";
  let digits = (m[2] ?? "") + (m[3] ?? "");
  let point = (m[2] ?? "").length + places;
  if (point < 0) {
    digits = "0".repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits + "0".repeat(point - digits.length);
  let whole = digits.slice(0, point).replace(/^0+(?=\d)/, "");
  const frac = digits.slice(point).replace(/0+$/, "");
  if (whole === "") whole = "0";
  const body = frac === "" ? whole : `${whole}.${frac}`;
  return body === "0" ? "0" : sign + body;
}

/** The fraction a percent literal's text stands for: "5" → 0.05. */
export function percentTextToFraction(text: string): number {
  return Number(shiftDecimal(text, -2));
}
