/**
 * A small seedable random stream for the synthetic bar generator. Every stream is keyed by a
 * name (a factor, a ticker), so one series never depends on which other series were drawn or
 * in what order: that is what keeps a ticker's bars identical across requests.
 */
import { sha256Hex } from "../ir/sha256.js";

/** Degrees of freedom of the Student-t shocks: fat tails (excess kurtosis 3) with finite variance. */
const T_DOF = 6;
/** A t(6) draw has variance 6/4; this scales it to unit variance. */
const T_UNIT = Math.sqrt((T_DOF - 2) / T_DOF);
/** Shocks beyond this many standard deviations are clipped: fat tails, never absurd ones. */
const T_CLIP = 10;

/** xoshiro128** seeded from sha256(`seed/key`); uniform, normal and Student-t draws. */
export class RandomStream {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  /** A stream determined only by `seed` (any integer) and `key` (any text). */
  constructor(seed: number, key: string) {
    const hex = sha256Hex(`${seed}/${key}`);
    this.a = parseInt(hex.slice(0, 8), 16) >>> 0;
    this.b = parseInt(hex.slice(8, 16), 16) >>> 0;
    this.c = parseInt(hex.slice(16, 24), 16) >>> 0;
    this.d = parseInt(hex.slice(24, 32), 16) >>> 0;
    // xoshiro's one forbidden state; sha256 makes it astronomically unlikely, but never loop on it.
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** Uniform in (0, 1): never exactly 0, so logarithms are safe. */
  uniform(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return (result + 0.5) / 4294967296;
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const value = this.spare;
      this.spare = null;
      return value;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Student-t with 6 degrees of freedom scaled to unit variance, clipped at ±10. */
  studentT(): number {
    // Bailey's polar method: an exact t draw from one point in the unit disc, one pow and one
    // sqrt; about twice as fast as a normal over a chi-square, and this runs per ticker per day.
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const w = u * u + v * v;
      if (w >= 1) continue;
      // w^(−2/6) as 1/∛w: the cube root is several times faster than a general power.
      const t = u * Math.sqrt((T_DOF * (1 / Math.cbrt(w) - 1)) / w) * T_UNIT;
      return t > T_CLIP ? T_CLIP : t < -T_CLIP ? -T_CLIP : t;
    }
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A number in [0, 1) determined by `seed` and `key` alone (for per-ticker traits like beta). */
export function hashUnit(seed: number, key: string): number {
  return parseInt(sha256Hex(`${seed}#${key}`).slice(0, 12), 16) / 2 ** 48;
}
