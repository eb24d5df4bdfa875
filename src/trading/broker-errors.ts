/** Errors a Broker raises, and which order statuses are final: the Broker port's runtime part. */
import type { OrderStatus } from "../ports/broker.js";

/** Statuses after which an order never fills further. */
export const FINAL_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set(["filled", "canceled", "expired", "rejected", "done_for_day", "replaced"]);

/** A broker error; `transient` ones (429, 5xx, timeouts, dropped connections) may be retried. */
export class BrokerError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = "BrokerError";
  }
}

/** The broker already has an order with this client order id (Alpaca answers 422). */
export class DuplicateOrderError extends BrokerError {
  constructor(readonly clientOrderId: string) {
    super(`an order with client_order_id ${clientOrderId} already exists`, false, 422);
    this.name = "DuplicateOrderError";
  }
}
