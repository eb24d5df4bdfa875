/**
 * Getting a run's recorded orders to the broker and their fills back, safely across restarts:
 * every order is looked up by its client id before it is (re)submitted, and a lost response is
 * resolved by looking again, never by sending again.
 */
import type { Broker, BrokerOrder } from "../ports/broker.js";
import type { OrderRecord, OrderRecordStatus, RunRecord, Store } from "../ports/store.js";
import { FINAL_ORDER_STATUSES } from "../trading/broker-errors.js";
import { withRetry, type RetryPolicy } from "./retry.js";

const EPSILON = 1e-6;

export interface SubmissionContext {
  broker: Broker;
  store: Store;
  log: (line: string) => void;
  fillTimeoutMs?: number;
  fillPollMs?: number;
}

/** Submits every recorded order not yet at the broker, looking each up by client id first. */
export async function submitAll(options: SubmissionContext, run: RunRecord, retry: RetryPolicy, step: (name: string) => void): Promise<void> {
  const { broker, store, log } = options;
  const orders = await store.orders(run.id);
  // Sells first: they free the cash the buys spend.
  const sorted = [...orders].sort((a, b) => (a.side === b.side ? 0 : a.side === "sell" ? -1 : 1));
  for (const order of sorted) {
    if (order.status !== "planned" && order.brokerOrderId !== null) continue;
    step(`submit:${order.symbol}`);
    let placed = await withRetry(() => broker.orderByClientId(order.clientOrderId), retry);
    if (placed === null) {
      try {
        placed = await broker.submitOrder({ clientOrderId: order.clientOrderId, symbol: order.symbol, side: order.side, qty: order.qty });
      } catch (error) {
        // A lost response may still have placed the order: look before deciding anything.
        placed = await withRetry(() => broker.orderByClientId(order.clientOrderId), retry);
        if (placed === null) {
          const reason = error instanceof Error ? error.message : String(error);
          await store.updateOrder(order.clientOrderId, { status: "failed", reason });
          await store.event(run.id, "order-failed", `${order.side} ${order.qty} ${order.symbol}: ${reason}`);
          log(`order ${order.side} ${order.symbol} failed: ${reason}`);
          continue;
        }
      }
    }
    await applyBrokerState(store, order, placed);
    await store.event(run.id, "submitted", `${order.side} ${order.qty} ${order.symbol} as ${order.clientOrderId} (${placed.status})`);
    step(`submitted:${order.symbol}`);
  }
}

/** Polls the run's orders until every one is final or the timeout passes; records fills. */
export async function waitForFills(options: SubmissionContext, run: RunRecord, retry: RetryPolicy): Promise<OrderRecord[]> {
  const { broker, store } = options;
  const deadline = Date.now() + (options.fillTimeoutMs ?? 60_000);
  for (;;) {
    const orders = await store.orders(run.id);
    const open = orders.filter((o) => o.brokerOrderId !== null && !isFinal(o.status));
    for (const order of open) {
      const state = await withRetry(() => broker.orderByClientId(order.clientOrderId), retry);
      if (state !== null) await applyBrokerState(store, order, state);
    }
    const now = await store.orders(run.id);
    if (now.every((o) => o.brokerOrderId === null || isFinal(o.status)) || Date.now() >= deadline) return now;
    await new Promise((resolve) => setTimeout(resolve, options.fillPollMs ?? 1000));
  }
}

function isFinal(status: OrderRecordStatus): boolean {
  return status === "filled" || status === "canceled" || status === "rejected" || status === "expired" || status === "failed";
}

/** Copies the broker's view of an order into the store, recording any newly filled shares as a fill. */
async function applyBrokerState(store: Store, order: OrderRecord, placed: BrokerOrder): Promise<void> {
  const status: OrderRecordStatus =
    placed.status === "filled"
      ? "filled"
      : placed.status === "partially_filled"
        ? "partially_filled"
        : placed.status === "rejected"
          ? "rejected"
          : placed.status === "canceled" || placed.status === "done_for_day" || placed.status === "replaced"
            ? "canceled"
            : placed.status === "expired"
              ? "expired"
              : "submitted";
  const newly = placed.filledQty - order.filledQty;
  if (newly > EPSILON && placed.filledAvgPrice !== null) {
    // The average over the new shares: total cost now minus total cost recorded before.
    const price = order.filledQty > 0 && order.filledAvgPrice !== null ? (placed.filledQty * placed.filledAvgPrice - order.filledQty * order.filledAvgPrice) / newly : placed.filledAvgPrice;
    await store.recordFill(order.clientOrderId, newly, price, new Date().toISOString());
  }
  await store.updateOrder(order.clientOrderId, {
    brokerOrderId: placed.id,
    status: FINAL_ORDER_STATUSES.has(placed.status) || status !== "submitted" ? status : "submitted",
    filledQty: placed.filledQty,
    filledAvgPrice: placed.filledAvgPrice,
    reason: placed.reason,
  });
  order.filledQty = placed.filledQty;
  order.filledAvgPrice = placed.filledAvgPrice;
}

