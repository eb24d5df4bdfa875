/** Compile throughput (read + parse + check + lower) on large real and generated sources. */
import { compile } from "../src/lang/compile.js";

export interface CompileBenchResult {
  name: string;
  bytes: number;
  medianMs: number;
  minMs: number;
  mbPerSecond: number;
  strategies: number;
  nodes: number;
  /** Target from the issue, if any. */
  targetMs: number | null;
  meetsTarget: boolean | null;
}

function nodeCount(text: string, file: string): { strategies: number; nodes: number; errors: number } {
  const result = compile(text, { file });
  let nodes = 0;
  const stack = result.strategies.map((s) => s.root);
  while (stack.length > 0) {
    const node = stack.pop()!;
    nodes++;
    if ("children" in node) stack.push(...node.children);
    else if (node.kind === "group") stack.push(node.child);
    else if (node.kind === "if") stack.push(node.then, ...(node.else === null ? [] : [node.else]));
  }
  return { strategies: result.strategies.length, nodes, errors: result.diagnostics.filter((d) => d.severity === "error").length };
}

/** Compiles `text` `runs` times after `warmup` runs; reports the median. */
export function benchCompile(name: string, text: string, file: string, targetMs: number | null, runs = 9, warmup = 3): CompileBenchResult {
  const shape = nodeCount(text, file);
  if (shape.errors > 0) throw new Error(`${name}: the benchmark input has ${shape.errors} compile errors`);
  for (let i = 0; i < warmup; i++) compile(text, { file });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    compile(text, { file });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)]!;
  return {
    name,
    bytes: text.length,
    medianMs: round(medianMs),
    minMs: round(times[0]!),
    mbPerSecond: round(text.length / 1048576 / (medianMs / 1000)),
    strategies: shape.strategies,
    nodes: shape.nodes,
    targetMs,
    meetsTarget: targetMs === null ? null : medianMs < targetMs,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
