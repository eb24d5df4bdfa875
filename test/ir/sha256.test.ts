/** The plain-TypeScript SHA-256 equals Node's, which the CLI swaps in for speed. */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { sha256Bytes, sha256Hex, useNativeSha256 } from "../../src/ir/sha256.js";

const node = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

afterEach(() => useNativeSha256(null));

describe("sha256", () => {
  it("matches the standard test vectors", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("a".repeat(1_000_000))).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  });

  it("equals node:crypto on arbitrary text and bytes, across block boundaries", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (text) => {
        expect(sha256Hex(text)).toBe(node(text));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(sha256Bytes(bytes)).toBe(createHash("sha256").update(bytes).digest("hex"));
      }),
      { numRuns: 300 },
    );
  });

  it("uses a native digest when the host provides one", () => {
    let calls = 0;
    useNativeSha256((text) => {
      calls++;
      return node(text);
    });
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(calls).toBe(1);
  });
});
