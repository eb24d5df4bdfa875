/**
 * An account's holdings, targets and prices over a fixed universe of symbols, kept in dense
 * arrays indexed by symbol. The simulated account keeps one for a whole backtest, so a session
 * costs no Map, Set or sort; the live runner builds one per decision from its Maps. Both then plan
 * through the same functions (rebalance-step.ts), which is what keeps backtest and live trading
 * the same orders.
 */

export class Book {
  /** Index of each symbol. */
  readonly index = new Map<string, number>();
  /** Universe indexes in symbol order (JavaScript's default string order): orders are listed in it. */
  readonly symbolOrder: Int32Array;
  /** Shares held, by index (0 when not held). */
  readonly held: Float64Array;
  readonly isHeld: Uint8Array;
  /**
   * Held indexes in the order they were first bought. Sums over holdings follow it, as they
   * followed a Map's insertion order before, so equity is the same double however the account
   * is kept.
   */
  readonly heldOrder: Int32Array;
  /** Entries of `heldOrder` in use. */
  heldCount = 0;
  /** Target weight by index (0 when not a target). */
  readonly target: Float64Array;
  readonly isTarget: Uint8Array;
  /** Target indexes in the order they were given: entries `[0, targetCount)`. */
  readonly targetOrder: Int32Array;
  targetCount = 0;
  /** Planning price by index; NaN when unknown. */
  readonly price: Float64Array;
  /** 1 where the symbol trades only in whole shares. */
  readonly whole: Uint8Array;

  constructor(
    readonly symbols: readonly string[],
    wholeShares?: ReadonlySet<string>,
  ) {
    const n = symbols.length;
    symbols.forEach((s, i) => this.index.set(s, i));
    this.symbolOrder = Int32Array.from(
      symbols.map((_, i) => i).sort((a, b) => (symbols[a]! < symbols[b]! ? -1 : symbols[a]! > symbols[b]! ? 1 : 0)),
    );
    this.held = new Float64Array(n);
    this.heldOrder = new Int32Array(n);
    this.targetOrder = new Int32Array(n);
    this.isHeld = new Uint8Array(n);
    this.target = new Float64Array(n);
    this.isTarget = new Uint8Array(n);
    this.price = new Float64Array(n).fill(Number.NaN);
    this.whole = new Uint8Array(n);
    if (wholeShares !== undefined) for (const s of wholeShares) if (this.index.has(s)) this.whole[this.index.get(s)!] = 1;
  }

  /** A book over the symbols of some Maps (the live runner's and the planner's Map interface). */
  static fromMaps(holdings: ReadonlyMap<string, number>, targets: ReadonlyMap<string, number>, prices: ReadonlyMap<string, number>, wholeShares?: ReadonlySet<string>): Book {
    const book = new Book([...new Set([...holdings.keys(), ...targets.keys()])], wholeShares);
    for (const [symbol, qty] of holdings) book.setHolding(book.index.get(symbol)!, qty);
    book.setTargets(
      [...targets.keys()].map((s) => book.index.get(s)!),
      [...targets.values()],
    );
    book.symbols.forEach((s, i) => {
      book.price[i] = prices.get(s) ?? Number.NaN;
    });
    return book;
  }

  /** Replaces the targets: `weights[k]` for universe index `indexes[k]`. */
  setTargets(indexes: readonly number[], weights: readonly number[]): void {
    for (let k = 0; k < this.targetCount; k++) {
      const i = this.targetOrder[k]!;
      this.isTarget[i] = 0;
      this.target[i] = 0;
    }
    this.targetCount = 0;
    for (let k = 0; k < indexes.length; k++) {
      const i = indexes[k]!;
      if (this.isTarget[i] === 0) this.targetOrder[this.targetCount++] = i;
      this.isTarget[i] = 1;
      this.target[i] = weights[k]!;
    }
  }

  /** Sets a holding, keeping its place in `heldOrder` (a new one goes last, as in a Map). */
  setHolding(i: number, qty: number): void {
    if (this.isHeld[i] === 0) {
      this.isHeld[i] = 1;
      this.heldOrder[this.heldCount++] = i;
    }
    this.held[i] = qty;
  }

  /** Removes a holding. */
  removeHolding(i: number): void {
    if (this.isHeld[i] === 0) return;
    this.isHeld[i] = 0;
    this.held[i] = 0;
    const at = this.heldOrder.indexOf(i);
    this.heldOrder.copyWithin(at, at + 1, this.heldCount);
    this.heldCount--;
  }
}
