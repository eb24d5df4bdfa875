/**
 * The synthetic provider: deterministic, realistic-looking daily adjusted closes for any
 * ticker over NYSE sessions, for the demo, tests and golden backtests. A common market factor
 * with GJR-GARCH(1,1) volatility clustering and Student-t shocks drives sector, bond, gold and
 * commodity factors and per-ticker noise; leveraged/inverse ETFs compound their base's daily
 * return; volatility products spike when the market falls and decay otherwise.
 *
 * Every series is generated from a fixed epoch (2000-01-03) through at least the anchor date
 * (2025-12-31, where it is scaled to its nominal level) and then sliced, from random streams
 * keyed by (seed, name), so a ticker's closes never depend on the range requested or on the
 * other tickers in the request.
 */
import type { BarRequest, BarSet, BarSource, TickerBars } from "../ports/bar-source.js";
import { contentHashAsync } from "./content-hash.js";
import { DataError } from "./errors.js";
import { addDays, firstOnOrAfter, isIsoDate, sessionsBetween } from "./nyse-calendar.js";
import { RandomStream } from "./random.js";
import { tickerSpec, type Factor, type FactorSpec, type LeveragedSpec } from "./synthetic-tickers.js";

/** First session of every synthetic series. */
export const SYNTHETIC_EPOCH = "2000-01-03";
/** First date served when a request has no `from`. */
export const SYNTHETIC_DEFAULT_FROM = "2010-01-04";
/** Last date served when a request has no `to` (no clock: the same request, the same bars). */
export const SYNTHETIC_DEFAULT_TO = "2025-12-31";
/**
 * The date on which every series equals its nominal level (100 for ETFs): like real adjusted
 * data, history is scaled back from a recent close, so decaying products (inverse ETFs, VIX
 * futures) show plausible recent prices and very large early ones, never vanishing ones.
 */
export const SYNTHETIC_ANCHOR = "2025-12-31";
/** Seed used when none is given. */
export const SYNTHETIC_DEFAULT_SEED = 42;
/** Provenance timestamp of every synthetic load: fixed, so equal requests give equal bytes. */
export const SYNTHETIC_FETCHED_AT = "1970-01-01T00:00:00.000Z";

/**
 * Daily fee drag of leveraged and inverse products (0.95 % a year over 252 sessions). Their
 * closes follow `close[t] = close[t-1] * (1 + L * (base[t] / base[t-1] - 1) - LEVERAGED_DAILY_FEE)`,
 * the factor floored at `LEVERAGED_MIN_FACTOR` so a price never reaches zero.
 */
export const LEVERAGED_DAILY_FEE = 0.0095 / 252;
/** Smallest daily growth factor of a leveraged product (a −99 % day); keeps prices positive. */
export const LEVERAGED_MIN_FACTOR = 0.01;

const TRADING_DAYS = 252;

/** Long-run daily volatility and correlation with the market shock of the non-equity factors. */
const GARCH_FACTORS = {
  rates: { sigma: 0.009, rho: -0.25 },
  gold: { sigma: 0.0095, rho: 0.05 },
  commodity: { sigma: 0.012, rho: 0.3 },
} as const;

/** Daily volatility (at the market's average regime) of the equity sector factors. */
const SECTOR_SIGMA: Partial<Record<Factor, number>> = {
  tech: 0.006,
  semis: 0.012,
  financials: 0.008,
  energy: 0.013,
  health: 0.006,
  biotech: 0.014,
  industrials: 0.005,
  staples: 0.005,
  utilities: 0.007,
  discretionary: 0.006,
  materials: 0.007,
  realestate: 0.008,
  communications: 0.007,
  smallcap: 0.006,
  intl: 0.006,
  emerging: 0.008,
};

/** Options of the synthetic provider. */
export interface SyntheticOptions {
  /** Any integer; default 42. Different seeds give independent markets. */
  seed?: number;
}

/** A GARCH path: shock[t] (daily log return, shock[0] = 0) and the conditional volatility sigma[t] (length n + 1). */
interface GarchPath {
  shock: Float64Array;
  sigma: Float64Array;
}

/**
 * GJR-GARCH(1,1): var[t+1] = ω + (α + γ·[ε<0])·ε² + β·var[t]. Negative shocks raise volatility
 * more (the leverage effect), which is what makes crashes cluster.
 */
function garch(stream: RandomStream, n: number, sigmaLongRun: number, alpha: number, gamma: number, beta: number, driver?: Float64Array, rho = 0): GarchPath {
  const shock = new Float64Array(n);
  const sigma = new Float64Array(n + 1);
  const omega = sigmaLongRun * sigmaLongRun * (1 - alpha - gamma / 2 - beta);
  let variance = sigmaLongRun * sigmaLongRun;
  const orthogonal = Math.sqrt(1 - rho * rho);
  sigma[0] = sigmaLongRun;
  for (let t = 1; t <= n; t++) {
    const s = Math.sqrt(variance);
    sigma[t] = s;
    if (t === n) break;
    const own = stream.studentT();
    const z = driver === undefined ? own : rho * driver[t]! + orthogonal * own;
    const eps = s * z;
    shock[t] = eps;
    variance = omega + (alpha + (eps < 0 ? gamma : 0)) * eps * eps + beta * variance;
  }
  return { shock, sigma };
}

/** One load's generator: factors and series memoised by name, all `n` sessions from the epoch. */
class Generator {
  private readonly factors = new Map<Factor, Float64Array>();
  private readonly closes = new Map<string, Float64Array>();
  private readonly market: GarchPath;
  /** The market's standardised shock, driving correlated factors. */
  private readonly marketZ: Float64Array;
  /** sigma[t] / long-run sigma: the volatility regime scaling sector and stock noise. */
  private readonly regime: Float64Array;

  /** `anchor`: index of SYNTHETIC_ANCHOR, where every series equals its spec's level. */
  constructor(
    private readonly seed: number,
    private readonly n: number,
    private readonly anchor: number,
  ) {
    const sigmaLongRun = 0.011;
    this.market = garch(new RandomStream(seed, "factor:market"), n, sigmaLongRun, 0.03, 0.08, 0.91);
    this.marketZ = new Float64Array(n);
    this.regime = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      this.marketZ[t] = this.market.shock[t]! / this.market.sigma[t]!;
      this.regime[t] = this.market.sigma[t]! / sigmaLongRun;
    }
    this.factors.set("market", this.market.shock);
  }

  private factor(name: Factor): Float64Array {
    const cached = this.factors.get(name);
    if (cached !== undefined) return cached;
    let shock: Float64Array;
    if (name === "rates" || name === "gold" || name === "commodity") {
      const { sigma, rho } = GARCH_FACTORS[name];
      shock = garch(new RandomStream(this.seed, `factor:${name}`), this.n, sigma, 0.05, 0, 0.93, this.marketZ, rho).shock;
    } else {
      const stream = new RandomStream(this.seed, `factor:${name}`);
      const sigma = SECTOR_SIGMA[name] ?? 0.006;
      shock = new Float64Array(this.n);
      for (let t = 1; t < this.n; t++) shock[t] = sigma * this.regime[t]! * stream.studentT();
    }
    this.factors.set(name, shock);
    return shock;
  }

  /** Closes of `ticker` over every session from the epoch. */
  closesOf(ticker: string): Float64Array {
    const key = ticker.toUpperCase();
    const cached = this.closes.get(key);
    if (cached !== undefined) return cached;
    const spec = tickerSpec(key, this.seed);
    const closes = spec.kind === "factor" ? this.factorSeries(key, spec) : spec.kind === "leveraged" ? this.leveragedSeries(spec) : this.volatilitySeries(key, spec.level);
    this.closes.set(key, closes);
    return closes;
  }

  /** Closes from cumulative log returns, scaled so the anchor session's close is `level`. */
  private fromLogReturns(logReturns: Float64Array, level: number): Float64Array {
    const cumulative = new Float64Array(this.n);
    for (let t = 1; t < this.n; t++) cumulative[t] = cumulative[t - 1]! + logReturns[t]!;
    const atAnchor = cumulative[this.anchor]!;
    const out = new Float64Array(this.n);
    for (let t = 0; t < this.n; t++) out[t] = level * Math.exp(cumulative[t]! - atAnchor);
    return out;
  }

  private factorSeries(key: string, spec: FactorSpec): Float64Array {
    const stream = new RandomStream(this.seed, `ticker:${key}`);
    const entries = Object.entries(spec.loadings);
    const shocks = entries.map(([f]) => this.factor(f as Factor));
    const weights = entries.map(([, w]) => w);
    const drift = spec.drift / TRADING_DAYS;
    const logReturns = new Float64Array(this.n);
    for (let t = 1; t < this.n; t++) {
      let logReturn = drift + spec.idio * (spec.clustered ? this.regime[t]! : 1) * stream.studentT();
      for (let k = 0; k < shocks.length; k++) logReturn += weights[k]! * shocks[k]![t]!;
      logReturns[t] = logReturn;
    }
    return this.fromLogReturns(logReturns, spec.level);
  }

  /**
   * Compounds the base's daily return exactly as LEVERAGED_DAILY_FEE documents. Run twice: once
   * from 1 to find the anchor value, then from the start that lands on the level, so the stored
   * closes satisfy the recurrence exactly (not merely up to a rescaling).
   */
  private leveragedSeries(spec: LeveragedSpec): Float64Array {
    const base = this.closesOf(spec.base);
    const compound = (start: number, length: number): Float64Array => {
      const out = new Float64Array(length);
      let close = start;
      out[0] = close;
      for (let t = 1; t < length; t++) {
        const factor = 1 + spec.leverage * (base[t]! / base[t - 1]! - 1) - LEVERAGED_DAILY_FEE;
        close = close * (factor < LEVERAGED_MIN_FACTOR ? LEVERAGED_MIN_FACTOR : factor);
        out[t] = close;
      }
      return out;
    };
    const unit = compound(1, this.anchor + 1);
    return compound(spec.level / unit[this.anchor]!, this.n);
  }

  /**
   * Short-term VIX futures: −3.2× the market's shock, plus a third of the change in the
   * market's log volatility (implied vol jumps after a crash), noise, and a roll decay of
   * 0.25 % a day (≈ −47 % a year) that dominates in calm markets.
   */
  private volatilitySeries(key: string, level: number): Float64Array {
    const stream = new RandomStream(this.seed, `ticker:${key}`);
    const { shock, sigma } = this.market;
    const logReturns = new Float64Array(this.n);
    for (let t = 1; t < this.n; t++) {
      const volChange = Math.log(sigma[t + 1]! / sigma[t]!);
      logReturns[t] = -0.0025 - 3.2 * shock[t]! + 0.35 * volChange + 0.02 * this.regime[t]! * stream.studentT();
    }
    return this.fromLogReturns(logReturns, level);
  }
}

/** Sessions from the epoch through `to`, memoised for the latest `to` asked (loads repeat it). */
let sessionMemo: { to: string; sessions: string[] } | null = null;

function sessionsThrough(to: string): string[] {
  if (sessionMemo === null || sessionMemo.to !== to) sessionMemo = { to, sessions: sessionsBetween(SYNTHETIC_EPOCH, to) };
  return sessionMemo.sessions;
}

function nextDay(date: string): string {
  return addDays(date, 1);
}

/** The deterministic synthetic `BarSource`; see the module comment for the model. */
export class SyntheticBarSource implements BarSource {
  readonly name = "synthetic";
  /** The seed every series derives from. */
  readonly seed: number;

  constructor(options: SyntheticOptions = {}) {
    const seed = options.seed ?? SYNTHETIC_DEFAULT_SEED;
    if (!Number.isSafeInteger(seed)) throw new RangeError(`synthetic seed must be an integer, got ${seed}`);
    this.seed = seed;
  }

  /**
   * Bars of every requested ticker (any name, case-insensitive) on the NYSE sessions in
   * [from, to]; the range defaults to 2010-01-04..2025-12-31 and starts no earlier than the
   * epoch 2000-01-03. Invalid dates reject with a DataError.
   */
  async load(request: BarRequest): Promise<BarSet> {
    const from = request.from ?? SYNTHETIC_DEFAULT_FROM;
    const to = request.to ?? SYNTHETIC_DEFAULT_TO;
    for (const [name, date] of [["from", from], ["to", to]] as const) {
      if (!isIsoDate(date)) throw new DataError(`invalid '${name}' date '${date}' in the request (expected YYYY-MM-DD)`);
    }
    // Always generate through the anchor: the scaling to each level happens there.
    const sessions = sessionsThrough(to > SYNTHETIC_ANCHOR ? to : SYNTHETIC_ANCHOR);
    const first = firstOnOrAfter(sessions, from < SYNTHETIC_EPOCH ? SYNTHETIC_EPOCH : from);
    const last = firstOnOrAfter(sessions, nextDay(to));
    const dates = sessions.slice(first, Math.max(first, last));
    const generator = new Generator(this.seed, sessions.length, firstOnOrAfter(sessions, SYNTHETIC_ANCHOR));
    const bars = new Map<string, TickerBars>();
    for (const ticker of request.tickers) {
      if (bars.has(ticker)) continue;
      // Each ticker gets its own dates array: callers may keep one and not expect it shared.
      bars.set(ticker, { ticker, dates: dates.slice(), close: generator.closesOf(ticker).slice(first, first + dates.length) });
    }
    return {
      bars,
      provenance: { provider: "synthetic", source: `seed=${this.seed}`, adjustment: "all", fetchedAt: SYNTHETIC_FETCHED_AT, contentHash: await contentHashAsync(bars) },
    };
  }
}

/** The synthetic provider with `options.seed` (default 42). */
export function createSyntheticBarSource(options: SyntheticOptions = {}): SyntheticBarSource {
  return new SyntheticBarSource(options);
}
