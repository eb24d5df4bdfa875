/**
 * Assets of the fake Alpaca server: `GET /v2/assets/{symbol}` and `GET /v2/assets`. A symbol
 * configured in the seed has its flags; any other symbol the server can price (bars or a
 * latest trade) is an active, tradable, fractionable US equity; anything else is unknown (404).
 */
import { latestTradeOf } from "./market-data.js";
import { apiError, type FakeRequest, type FakeResponse, type Router } from "./router.js";
import { defaultAsset, type FakeAlpacaState, type FakeAsset } from "./state.js";

/** Registers the asset routes. */
export function registerAssets(router: Router): void {
  router.add("GET", "/v2/assets", listAssets).add("GET", "/v2/assets/:symbol", getAsset);
}

/** The asset for `symbol`: configured, else implied by a price, else undefined. */
export function assetOf(state: FakeAlpacaState, symbol: string): FakeAsset | undefined {
  const configured = state.assets.get(symbol);
  if (configured !== undefined) return configured;
  return latestTradeOf(state, symbol) === undefined ? undefined : defaultAsset(symbol);
}

/** An asset in Alpaca's JSON. */
export function toWireAsset(asset: FakeAsset): Record<string, unknown> {
  return {
    id: asset.id,
    class: "us_equity",
    exchange: asset.exchange,
    symbol: asset.symbol,
    name: asset.name,
    status: asset.status,
    tradable: asset.tradable,
    marginable: asset.marginable,
    maintenance_margin_requirement: 30,
    margin_requirement_long: "30",
    margin_requirement_short: "100",
    shortable: asset.shortable,
    easy_to_borrow: asset.easyToBorrow,
    fractionable: asset.fractionable,
    attributes: asset.fractionable ? ["fractional_eh_enabled"] : [],
  };
}

function getAsset(req: FakeRequest, state: FakeAlpacaState): FakeResponse {
  const symbol = req.params["symbol"]!;
  const asset = assetOf(state, symbol);
  if (asset === undefined) return apiError(404, 40410000, "asset not found");
  return { status: 200, body: toWireAsset(asset) };
}

function listAssets(req: FakeRequest, state: FakeAlpacaState): FakeResponse {
  const status = req.query.get("status");
  const symbols = new Set([...state.assets.keys(), ...state.bars.keys(), ...state.latestTrades.keys()]);
  const assets = [...symbols]
    .sort()
    .map((symbol) => assetOf(state, symbol)!)
    .filter((asset) => status === null || status === "" || asset.status === status);
  return { status: 200, body: assets.map(toWireAsset) };
}
