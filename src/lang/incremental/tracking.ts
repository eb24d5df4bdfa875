/**
 * Maps and sets that log what elaboration reads from them: which names it looked up (found or
 * not) and whether it listed all names (for "did you mean" suggestions). A strategy's
 * elaboration reads the root module only through its `lets`, `params`, `imports` and
 * `strategies` maps and its program's `brokenNames`, so these logs are the exact set of
 * declarations its result depends on.
 */

/** What one elaboration read from one map. */
export interface Lookups<V> {
  /** Names looked up, with what was found (undefined: absent). */
  readonly found: Map<string, V | undefined>;
  /** Names `get` found (elaboration marks an import it reads through `get` as used). */
  readonly got: Set<string>;
  /** True when all names were listed. */
  listed: boolean;
}

/** A Map that records reads into `log` while one is set. */
export class TrackingMap<V> extends Map<string, V> {
  log: Lookups<V> | null = null;

  override get(key: string): V | undefined {
    const value = super.get(key);
    if (this.log !== null) {
      if (!this.log.found.has(key)) this.log.found.set(key, value);
      if (value !== undefined) this.log.got.add(key);
    }
    return value;
  }

  override has(key: string): boolean {
    if (this.log !== null && !this.log.found.has(key)) this.log.found.set(key, super.get(key));
    return super.has(key);
  }

  override keys(): MapIterator<string> {
    this.listAll();
    return super.keys();
  }

  override values(): MapIterator<V> {
    this.listAll();
    return super.values();
  }

  override entries(): MapIterator<[string, V]> {
    this.listAll();
    return super.entries();
  }

  override forEach(callback: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    this.listAll();
    super.forEach(callback, thisArg);
  }

  override get size(): number {
    this.listAll();
    return super.size;
  }

  override [Symbol.iterator](): MapIterator<[string, V]> {
    this.listAll();
    return super.entries();
  }

  private listAll(): void {
    if (this.log !== null) this.log.listed = true;
  }
}

/** A fresh, empty log. */
export function newLookups<V>(): Lookups<V> {
  return { found: new Map(), got: new Set(), listed: false };
}

/** A tracking copy of `map`, same order. */
export function tracking<V>(map: Map<string, V>): TrackingMap<V> {
  const copy = new TrackingMap<V>();
  for (const [k, v] of map) Map.prototype.set.call(copy, k, v);
  return copy;
}

/** A Set whose `has` answers are recorded into `log` while one is set. */
export class TrackingSet extends Set<string> {
  log: Map<string, boolean> | null = null;

  override has(value: string): boolean {
    const found = super.has(value);
    if (this.log !== null) this.log.set(value, found);
    return found;
  }
}
