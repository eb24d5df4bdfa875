/**
 * Overfitting guards: the deflated Sharpe ratio (Bailey & López de Prado, "The Deflated
 * Sharpe Ratio", 2014) and the neighbourhood stability of the best point.
 */
import { SESSIONS_PER_YEAR } from "../backtest/metrics.js";

const EULER_MASCHERONI = 0.5772156649015329;

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 via erf; |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** Inverse standard normal CDF (Acklam's rational approximation; relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** The deflated Sharpe ratio and its inputs; Sharpe ratios here are per session (not annualised). */
export interface DeflatedSharpe {
  /** Probability that the best Sharpe is real (> the expected maximum of `trials` null trials). */
  probability: number;
  trials: number;
  /** The best trial's Sharpe, per session. */
  sharpe: number;
  /** Expected maximum Sharpe of `trials` skill-less trials, per session. */
  expectedMaxSharpe: number;
  /** Variance of the trials' Sharpe ratios, per session. */
  sharpeVariance: number;
  skewness: number;
  /** Kurtosis (not excess: 3 for normal returns). */
  kurtosis: number;
  /** Sessions of the best trial's returns. */
  sessions: number;
}

/**
 * DSR = Φ((SR − SR₀)·√(T−1) / √(1 − γ₃·SR + (γ₄−1)/4·SR²)), where
 * SR₀ = √V[SRₙ]·((1−γ)·Φ⁻¹(1−1/N) + γ·Φ⁻¹(1−1/(N·e))) is the expected maximum Sharpe of N
 * independent null trials (γ the Euler–Mascheroni constant). `trialSharpes` are annualised
 * (as the metrics report them) and converted to per-session here; `returns` are the best
 * trial's daily returns. Null when fewer than 3 returns or no finite Sharpe.
 */
export function deflatedSharpe(trialSharpes: readonly number[], returns: readonly number[]): DeflatedSharpe | null {
  const n = returns.length;
  if (n < 3) return null;
  const mean = returns.reduce((s, r) => s + r, 0) / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const r of returns) {
    const d = r - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  if (!(m2 > 0)) return null;
  const sd = Math.sqrt((m2 * n) / (n - 1));
  const sharpe = mean / sd;
  const skewness = m3 / m2 ** 1.5;
  const kurtosis = m4 / (m2 * m2);
  const perSession = trialSharpes.filter(Number.isFinite).map((s) => s / Math.sqrt(SESSIONS_PER_YEAR));
  const N = Math.max(1, perSession.length);
  const mu = perSession.reduce((s, x) => s + x, 0) / Math.max(1, perSession.length);
  const variance = perSession.length < 2 ? 0 : perSession.reduce((s, x) => s + (x - mu) ** 2, 0) / (perSession.length - 1);
  const expectedMaxSharpe =
    N < 2 ? 0 : Math.sqrt(variance) * ((1 - EULER_MASCHERONI) * normalQuantile(1 - 1 / N) + EULER_MASCHERONI * normalQuantile(1 - 1 / (N * Math.E)));
  const denominator = 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  const z = denominator > 0 ? ((sharpe - expectedMaxSharpe) * Math.sqrt(n - 1)) / Math.sqrt(denominator) : 0;
  return { probability: normalCdf(z), trials: N, sharpe, expectedMaxSharpe, sharpeVariance: variance, skewness, kurtosis, sessions: n };
}

/** The objective around the best point, relative to the best (1 = as good). */
export interface Stability {
  neighbours: number;
  /** Mean of neighbour objective / best objective. */
  meanRatio: number | null;
  /** Lowest neighbour objective / best objective. */
  minRatio: number | null;
}

/** Neighbourhood stability from the best objective and its neighbours' (null ones skipped). */
export function stability(best: number, neighbourObjectives: readonly (number | null)[]): Stability {
  const values = neighbourObjectives.filter((v): v is number => v !== null);
  if (values.length === 0 || best === 0) return { neighbours: values.length, meanRatio: null, minRatio: null };
  const ratios = values.map((v) => v / best);
  return { neighbours: values.length, meanRatio: ratios.reduce((s, r) => s + r, 0) / ratios.length, minRatio: Math.min(...ratios) };
}
