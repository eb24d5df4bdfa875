/**
 * The composition root of live trading: which broker, store and bar source a command gets.
 * Alpaca keys and the database URL come from the environment; secrets are never printed.
 */
import type { Broker } from "../ports/broker.js";
import type { Store } from "../ports/store.js";
import type { RunMode } from "../ports/store.js";
import { UsageError } from "./usage-error.js";

/** The broker for `mode`: Alpaca paper unless `mode` is live (which the caller has confirmed). */
export async function brokerFor(mode: RunMode, env: Readonly<Record<string, string | undefined>> = process.env): Promise<Broker> {
  const keyId = env.APCA_API_KEY_ID;
  const secretKey = env.APCA_API_SECRET_KEY;
  if (keyId === undefined || keyId === "" || secretKey === undefined || secretKey === "") {
    throw new UsageError("live runs need Alpaca API keys in APCA_API_KEY_ID and APCA_API_SECRET_KEY (paper keys for --mode paper and dry-run)");
  }
  const { createAlpacaBroker } = await import("../adapters/alpaca/broker.js");
  const baseUrl = env.APCA_API_BASE_URL;
  const dataUrl = env.APCA_API_DATA_URL;
  return createAlpacaBroker({
    keyId,
    secretKey,
    paper: mode !== "live",
    env,
    ...(baseUrl === undefined || baseUrl === "" ? {} : { baseUrl }),
    ...(dataUrl === undefined || dataUrl === "" ? {} : { dataUrl }),
  });
}

/** The store: DATABASE_URL when set, else PGlite in `.strat/db`; migrated before use. */
export async function storeFor(env: Readonly<Record<string, string | undefined>> = process.env, dataDir = ".strat/db"): Promise<Store> {
  const { openStore } = await import("../adapters/postgres/store.js");
  const url = env.DATABASE_URL;
  const store = await openStore(url === undefined || url === "" ? { dataDir } : { databaseUrl: url });
  await store.migrate();
  return store;
}
