/**
 * Canonical JSON: object keys sorted, no whitespace, `span` and `hash` fields left out. Two IRs
 * that mean the same thing serialise to the same text whatever file or layout they came from,
 * which is what the content hash is taken over.
 */
import { sha256Hex } from "./sha256.js";

const SKIPPED_KEYS = new Set(["span", "hash"]);

/** Sorted key lists, cached by the object's key order (IR objects come in a few shapes). */
const sortedKeysByShape = new Map<string, string[]>();

function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  const shape = keys.join("\u0000");
  let sorted = sortedKeysByShape.get(shape);
  if (sorted === undefined) {
    sorted = keys.filter((k) => !SKIPPED_KEYS.has(k)).sort();
    sortedKeysByShape.set(shape, sorted);
  }
  return sorted;
}

/** Canonical JSON of a JSON-compatible value, without any `span` or `hash` keys. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return value === undefined ? "null" : JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      out += canonicalJson(value[i]);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = "{";
  let first = true;
  for (const key of sortedKeys(record)) {
    const item = record[key];
    if (item === undefined) continue;
    if (!first) out += ",";
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}

/** sha256 (hex) of the canonical JSON of `value`. */
export function contentHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
