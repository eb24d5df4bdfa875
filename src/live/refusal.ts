/** A safety rail said no: the run records the reason and trades nothing. */
export class Refusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "Refusal";
  }
}
