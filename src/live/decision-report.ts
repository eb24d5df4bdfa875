/** What a live decision shows and records: the taken branches, and the plan as text. */
import type { evaluate } from "../engine/evaluate.js";
import type { IrStrategy } from "../ir/types.js";
import type { Plan } from "../trading/order-planner.js";

/** Taken branches and filter winners at `day`, for the decision log. */
export function takenBranches(evaluation: ReturnType<typeof evaluate>, day: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const visit = (node: IrStrategy["root"]): void => {
    switch (node.kind) {
      case "if": {
        const holds = evaluation.context.condition(node.cond, day);
        out[String(node.id)] = holds ? "then" : "else";
        const next = holds ? node.then : node.else;
        if (next !== null) visit(next);
        break;
      }
      case "filter": {
        const winners = evaluation.context.ranking(node, day).slice(0, evaluation.context.count(node.count)).map((r) => r.child);
        out[String(node.id)] = winners;
        for (const w of winners) visit(node.children[w]!);
        break;
      }
      case "group":
        visit(node.child);
        break;
      case "asset":
        break;
      default:
        for (const child of node.children) visit(child);
    }
  };
  visit(evaluation.strategy.root);
  return out;
}

export function printPlan(log: (line: string) => void, targets: Map<string, number>, holdings: Map<string, number>, prices: Map<string, number>, plan: Plan | null): void {
  let value = 0;
  for (const [s, q] of holdings) value += q * prices.get(s)!;
  log("targets vs holdings:");
  for (const symbol of [...new Set([...targets.keys(), ...holdings.keys()])].sort()) {
    const target = targets.get(symbol) ?? 0;
    const qty = holdings.get(symbol) ?? 0;
    const weight = value > 0 ? (qty * prices.get(symbol)!) / value : 0;
    log(`  ${symbol.padEnd(6)} target ${(target * 100).toFixed(2).padStart(6)}%  held ${qty.toFixed(6)} (${(weight * 100).toFixed(2)}% of holdings) @ ${prices.get(symbol)!.toFixed(2)}`);
  }
  if (plan === null) {
    log("the rebalance rule says not to trade today");
    return;
  }
  log(plan.orders.length === 0 ? "orders: none" : "orders:");
  for (const o of plan.orders) log(`  ${o.side.padEnd(4)} ${o.qty.toFixed(6)} ${o.symbol} (~$${o.notional.toFixed(2)})`);
  for (const s of plan.skipped) log(`  skipped ${s.side} ${s.symbol} ($${s.notional.toFixed(2)}): ${s.reason}`);
}

