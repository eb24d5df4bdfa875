/**
 * What the synthetic generator knows about tickers: factor exposures of well-known ETFs, the
 * leveraged/inverse products that follow a base's daily return, the volatility products, and
 * a hashed generic stock for everything else. Numbers are rough, realistic-looking choices,
 * not estimates: the point is plausible behaviour (betas, correlations, decay), not fidelity.
 */
import { hashUnit } from "./random.js";

/** Common factors of the synthetic market; each is a daily log-return shock series. */
export type Factor =
  | "market"
  | "rates"
  | "gold"
  | "commodity"
  | "tech"
  | "semis"
  | "financials"
  | "energy"
  | "health"
  | "biotech"
  | "industrials"
  | "staples"
  | "utilities"
  | "discretionary"
  | "materials"
  | "realestate"
  | "communications"
  | "smallcap"
  | "intl"
  | "emerging";

/** A series built from factors: log return = drift/252 + Σ loading·factor + idio·shock. */
export interface FactorSpec {
  kind: "factor";
  /** Annual log drift (0.08 ≈ 8 % a year before volatility drag). */
  drift: number;
  /** Loadings on the factors' daily log-return shocks. */
  loadings: Partial<Record<Factor, number>>;
  /** Daily standard deviation of the idiosyncratic shock at average market volatility. */
  idio: number;
  /** Whether the idiosyncratic shock scales with the market's volatility regime (not for cash). */
  clustered: boolean;
  /** Close on the anchor date (2025-12-31); earlier closes are scaled from it, like real adjusted data. */
  level: number;
}

/** A daily-rebalanced leveraged or inverse product: r = leverage · r_base − fee, every session. */
export interface LeveragedSpec {
  kind: "leveraged";
  base: string;
  leverage: number;
  /** Close on the anchor date. */
  level: number;
}

/** A short-term VIX futures product: rises when the market falls or its volatility jumps, decays otherwise. */
export interface VolatilitySpec {
  kind: "volatility";
  /** Close on the anchor date. */
  level: number;
}

/** How one ticker is generated. */
export type TickerSpec = FactorSpec | LeveragedSpec | VolatilitySpec;

function equity(drift: number, loadings: Partial<Record<Factor, number>>, idio: number): FactorSpec {
  return { kind: "factor", drift, loadings, idio, clustered: true, level: 100 };
}

function bond(drift: number, loadings: Partial<Record<Factor, number>>, idio: number): FactorSpec {
  return { kind: "factor", drift, loadings, idio, clustered: false, level: 100 };
}

const BASES: Record<string, FactorSpec> = {
  SPY: equity(0.075, { market: 1 }, 0.0003),
  VOO: equity(0.075, { market: 1 }, 0.0003),
  IVV: equity(0.075, { market: 1 }, 0.0003),
  VTI: equity(0.075, { market: 1.02, smallcap: 0.1 }, 0.0005),
  QQQ: equity(0.1, { market: 1.1, tech: 0.9, communications: 0.2 }, 0.002),
  DIA: equity(0.07, { market: 0.95, industrials: 0.2 }, 0.003),
  IWM: equity(0.06, { market: 1.15, smallcap: 1 }, 0.002),
  MDY: equity(0.07, { market: 1.05, smallcap: 0.5 }, 0.002),
  XLK: equity(0.11, { market: 1.1, tech: 1 }, 0.002),
  SOXX: equity(0.12, { market: 1.35, tech: 1, semis: 1 }, 0.004),
  SMH: equity(0.12, { market: 1.35, tech: 1, semis: 1 }, 0.004),
  XLF: equity(0.06, { market: 1.15, financials: 1 }, 0.002),
  KRE: equity(0.04, { market: 1.2, financials: 1.4 }, 0.006),
  XLE: equity(0.04, { market: 0.9, energy: 1, commodity: 0.5 }, 0.003),
  XLV: equity(0.08, { market: 0.75, health: 1 }, 0.002),
  XBI: equity(0.05, { market: 1.1, health: 0.6, biotech: 1 }, 0.005),
  XLI: equity(0.075, { market: 1, industrials: 1 }, 0.002),
  XLP: equity(0.07, { market: 0.6, staples: 1 }, 0.002),
  XLU: equity(0.065, { market: 0.5, utilities: 1, rates: 0.3 }, 0.002),
  XLY: equity(0.09, { market: 1.1, discretionary: 1 }, 0.002),
  XLB: equity(0.06, { market: 1, materials: 1, commodity: 0.2 }, 0.002),
  XLRE: equity(0.05, { market: 0.9, realestate: 1, rates: 0.4 }, 0.003),
  XLC: equity(0.07, { market: 1, communications: 1 }, 0.003),
  EFA: equity(0.05, { market: 0.85, intl: 1 }, 0.002),
  VEA: equity(0.05, { market: 0.85, intl: 1 }, 0.002),
  EEM: equity(0.04, { market: 0.9, emerging: 1, commodity: 0.2 }, 0.003),
  VWO: equity(0.04, { market: 0.9, emerging: 1, commodity: 0.2 }, 0.003),
  GLD: bond(0.05, { gold: 1 }, 0.0005),
  IAU: bond(0.05, { gold: 1 }, 0.0005),
  SLV: equity(0.03, { gold: 1.3, commodity: 0.3 }, 0.01),
  GDX: equity(0.02, { market: 0.6, gold: 2 }, 0.012),
  DBC: equity(0.02, { commodity: 1 }, 0.002),
  USO: equity(-0.02, { commodity: 1.5, energy: 0.5 }, 0.01),
  TLT: bond(0.03, { rates: 1 }, 0.0008),
  EDV: bond(0.032, { rates: 1.4 }, 0.0012),
  IEF: bond(0.028, { rates: 0.45 }, 0.0004),
  GOVT: bond(0.025, { rates: 0.35 }, 0.0004),
  TIP: bond(0.028, { rates: 0.35 }, 0.002),
  BND: bond(0.027, { rates: 0.33 }, 0.0005),
  AGG: bond(0.027, { rates: 0.33 }, 0.0005),
  LQD: bond(0.035, { rates: 0.45, market: 0.06 }, 0.001),
  HYG: bond(0.045, { rates: 0.15, market: 0.3 }, 0.001),
  SHY: bond(0.02, { rates: 0.12 }, 0.0002),
  BSV: bond(0.021, { rates: 0.15 }, 0.0002),
  // Cash-like T-bill funds: a small positive drift (≈1.5 %/yr) and almost no noise.
  BIL: bond(0.015, {}, 0.00002),
  SHV: bond(0.015, {}, 0.00002),
  SGOV: bond(0.015, {}, 0.00002),
};

const VOLATILITY: Record<string, VolatilitySpec> = {
  VIXY: { kind: "volatility", level: 40 },
  VXX: { kind: "volatility", level: 40 },
};

/** Leveraged and inverse products as [base, daily leverage]. */
const LEVERAGED: Record<string, [string, number]> = {
  TQQQ: ["QQQ", 3],
  SQQQ: ["QQQ", -3],
  QLD: ["QQQ", 2],
  QID: ["QQQ", -2],
  PSQ: ["QQQ", -1],
  UPRO: ["SPY", 3],
  SPXL: ["SPY", 3],
  SSO: ["SPY", 2],
  SPXU: ["SPY", -3],
  SPXS: ["SPY", -3],
  SDS: ["SPY", -2],
  SH: ["SPY", -1],
  UDOW: ["DIA", 3],
  SDOW: ["DIA", -3],
  TNA: ["IWM", 3],
  TZA: ["IWM", -3],
  URTY: ["IWM", 3],
  SRTY: ["IWM", -3],
  TECL: ["XLK", 3],
  TECS: ["XLK", -3],
  SOXL: ["SOXX", 3],
  SOXS: ["SOXX", -3],
  FAS: ["XLF", 3],
  FAZ: ["XLF", -3],
  LABU: ["XBI", 3],
  LABD: ["XBI", -3],
  ERX: ["XLE", 2],
  ERY: ["XLE", -2],
  CURE: ["XLV", 3],
  DRN: ["XLRE", 3],
  DRV: ["XLRE", -3],
  UTSL: ["XLU", 3],
  WANT: ["XLY", 3],
  DUSL: ["XLI", 3],
  TMF: ["TLT", 3],
  TMV: ["TLT", -3],
  UBT: ["TLT", 2],
  TBT: ["TLT", -2],
  TBF: ["TLT", -1],
  TYD: ["IEF", 3],
  TYO: ["IEF", -3],
  UGL: ["GLD", 2],
  GLL: ["GLD", -2],
  NUGT: ["GDX", 2],
  DUST: ["GDX", -2],
  EDC: ["EEM", 3],
  EDZ: ["EEM", -3],
  UVXY: ["VIXY", 1.5],
  UVIX: ["VIXY", 2],
  SVXY: ["VIXY", -0.5],
  SVIX: ["VIXY", -1],
};

/** Equity sectors a generic stock may belong to. */
const SECTORS: Factor[] = ["tech", "financials", "energy", "health", "industrials", "staples", "utilities", "discretionary", "materials", "communications", "realestate", "semis", "biotech"];

/** The leveraged products the generator knows, with their base and leverage (for docs and tests). */
export function leveragedProducts(): ReadonlyMap<string, { base: string; leverage: number }> {
  return new Map(Object.entries(LEVERAGED).map(([t, [base, leverage]]) => [t, { base, leverage }]));
}

/**
 * How `ticker` is generated under `seed`. Known ETFs come from the tables above; any other
 * ticker is a generic stock whose traits (beta 0.7–1.3, sector, idiosyncratic volatility
 * 1–2.2 %/day, drift, price level 20–300) come from a hash of its name, so they never depend on the
 * other tickers requested.
 */
export function tickerSpec(ticker: string, seed: number): TickerSpec {
  const key = ticker.toUpperCase();
  const base = BASES[key];
  if (base !== undefined) return base;
  const vol = VOLATILITY[key];
  if (vol !== undefined) return vol;
  const leveraged = LEVERAGED[key];
  if (leveraged !== undefined) return { kind: "leveraged", base: leveraged[0], leverage: leveraged[1], level: 100 };
  const u = (trait: string) => hashUnit(seed, `${key}:${trait}`);
  const sector = SECTORS[Math.floor(u("sector") * SECTORS.length)]!;
  return {
    kind: "factor",
    drift: 0.02 + 0.1 * u("drift"),
    loadings: { market: 0.7 + 0.6 * u("beta"), [sector]: 0.6 + 0.4 * u("loading") },
    idio: 0.01 + 0.012 * u("idio"),
    clustered: true,
    level: Math.round(20 * Math.exp(2.7 * u("level")) * 100) / 100,
  };
}
