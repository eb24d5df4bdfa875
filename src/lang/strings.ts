/** String literal escapes shared by `.strat` and Composer files: `\" \\ \n \t`. */

/** Decodes the body of a string literal (without quotes); reports the first unknown escape's index. */
export function unescapeString(body: string): { value: string; badEscapeAt: number | null } {
  if (!body.includes("\\")) return { value: body, badEscapeAt: null };
  let out = "";
  let badEscapeAt: number | null = null;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = body[i + 1];
    i++;
    if (next === '"') out += '"';
    else if (next === "\\") out += "\\";
    else if (next === "n") out += "\n";
    else if (next === "t") out += "\t";
    else {
      if (badEscapeAt === null) badEscapeAt = i - 1;
      out += next ?? "";
    }
  }
  return { value: out, badEscapeAt };
}

/** Encodes a string as a double-quoted literal that `unescapeString` reads back. */
export function quoteString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\t/g, "\\t")}"`;
}
