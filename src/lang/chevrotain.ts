/**
 * The Chevrotain runtime. Its package entry loads several hundred lodash-es modules (~350 ms
 * at every CLI start); the package also ships a single-file build of the same API that loads in
 * ~15 ms, which Node reaches through `import.meta.resolve`. Elsewhere (a bundler, a test runner
 * without `import.meta.resolve`) the package entry is used.
 */
import type * as Chevrotain from "chevrotain";

async function load(): Promise<typeof Chevrotain> {
  try {
    const entry = import.meta.resolve("chevrotain");
    const bundle = entry.replace(/lib\/src\/api\.js$/, "lib/chevrotain.min.mjs");
    if (bundle !== entry) return (await import(bundle)) as typeof Chevrotain;
  } catch {
    // No import.meta.resolve here, or no single-file build: use the package entry.
  }
  return import("chevrotain");
}

const runtime = await load();

export const { createToken, Lexer, CstParser } = runtime;
