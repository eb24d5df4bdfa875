/**
 * Deterministic large inputs for the compile benchmark: a `.strat` file of a given size built
 * from realistic strategy shapes, and a Composer symphony built by repeating a real one.
 */
import { mulberry32 } from "../src/optimize/rng.js";

const TICKERS = ["SPY", "QQQ", "TQQQ", "SQQQ", "UVXY", "TLT", "IEF", "BIL", "SHY", "XLK", "XLE", "XLF", "XLP", "XLU", "SOXL", "TECL", "GLD", "DBC"];

/** A `.strat` source of at least `bytes` characters: many strategies with nested if ladders and filters. */
export function generateStrat(bytes: number, seed = 1): string {
  const random = mulberry32(seed);
  const pick = (): string => TICKERS[Math.floor(random() * TICKERS.length)]!;
  const window = (): number => 2 + Math.floor(random() * 200);
  const parts: string[] = ["// generated for the compile benchmark\nparam fast = 50 in 10..100 step 10\nlet overbought(t) = rsi(t, 10) > 79\n"];
  let size = parts[0]!.length;
  let n = 0;
  while (size < bytes) {
    const lines = [`strategy "Generated ${n}" {`, "  rebalance threshold 5%"];
    let indent = "  ";
    const depth = 4 + Math.floor(random() * 6);
    for (let d = 0; d < depth; d++) {
      lines.push(`${indent}if rsi(${pick()}, ${window()}) > ${20 + Math.floor(random() * 60)} and cumulative_return(${pick()}, ${window()}) < -${1 + Math.floor(random() * 9)}% {`);
      lines.push(`${indent}  top 2 by rsi(${window()}) { ${pick()}, ${pick()}, group "g${d}" { ${pick()}, ${pick()} } }`);
      lines.push(`${indent}} else if overbought(${pick()}) or price(${pick()}) > sma(${pick()}, fast) {`);
      lines.push(`${indent}  weighted { 60% ${pick()}, 40% inverse_volatility(${window()}) { ${pick()}, ${pick()} } }`);
      lines.push(`${indent}} else {`);
      indent += "  ";
    }
    lines.push(`${indent}equal { ${pick()}, ${pick()} }`);
    for (let d = depth - 1; d >= 0; d--) lines.push(`${"  ".repeat(d + 1)}}`);
    lines.push("}\n");
    const text = lines.join("\n");
    parts.push(text);
    size += text.length + 1;
    n++;
  }
  return parts.join("\n");
}

/** A symphony of at least `bytes` characters: copies of `body` (a symphony's top node) under one weight-equal. */
export function generateComposer(symphony: string, bytes: number): string {
  const start = symphony.indexOf("(weight-equal");
  const body = symphony.slice(start, symphony.lastIndexOf(")")).trim();
  const copies = Math.max(1, Math.round(bytes / body.length));
  const children = Array.from({ length: copies }, (_, i) => `(group "copy ${i}" [${body}])`).join("\n   ");
  return `(defsymphony "Generated" {:asset-class "EQUITIES", :rebalance-frequency :daily}\n (weight-equal\n  [${children}]))\n`;
}
