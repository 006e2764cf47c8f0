/** Milliseconds from an arbitrary origin; injectable so the budget logic can be tested without waiting. */
export type Clock = () => number;

export const realClock: Clock = () => performance.now();

/**
 * A case's time budget, warm-up and repeats together. It is checked between runs, never inside one (a tfjs
 * kernel cannot be interrupted), so a case ends at most one run past it.
 */
export class CaseBudget {
  private readonly start: number;

  constructor(
    readonly limitMs: number,
    private readonly clock: Clock = realClock,
  ) {
    this.start = clock();
  }

  elapsedMs(): number {
    return this.clock() - this.start;
  }

  exhausted(): boolean {
    return this.elapsedMs() >= this.limitMs;
  }
}
