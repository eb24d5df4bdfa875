/**
 * Advisory-lock ids: the first 8 bytes of SHA-256 of the key, as a signed 64-bit integer in
 * decimal (pass it as `$1::bigint`). Computed here rather than with the server's hashtext():
 * hashtext is 32-bit (more collisions) and not promised stable across Postgres versions, and
 * this way a server and PGlite lock the same id for the same key.
 */
import { createHash } from "node:crypto";

/** The bigint advisory-lock id of `key`, as a decimal string. */
export function advisoryLockId(key: string): string {
  return createHash("sha256").update(key, "utf8").digest().readBigInt64BE(0).toString();
}
