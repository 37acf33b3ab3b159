/**
 * FIFO counting semaphore: the per-device cap on concurrent SSH sessions.
 * Written here rather than taken from p-limit, which is ESM-only from v4 and is not a declared dependency.
 */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  /** @param capacity slots, at least 1. */
  constructor(private capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`semaphore capacity must be an integer ≥ 1, got ${capacity}`);
  }

  /** Resolves once a slot is held; callers queue in arrival order. Returns the release function (idempotent). */
  async acquire(): Promise<() => void> {
    const now = this.tryAcquire();
    if (now) return now;
    // pump() counts the slot in before it wakes the waiter.
    await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.releaser();
  }

  /** A slot only if one is free now and nobody waits for one (so it never overtakes a queued caller). */
  tryAcquire(): (() => void) | undefined {
    if (this.active >= this.capacity || this.waiters.length > 0) return undefined;
    this.active++;
    return this.releaser();
  }

  /** Whether callers are queued for a slot. */
  get contended(): boolean {
    return this.waiters.length > 0;
  }

  /** Runs `fn` while holding a slot. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Changes the number of slots (e.g. sequential → per-exec fallback); waiting callers are admitted at once. */
  setCapacity(capacity: number): void {
    this.capacity = Math.max(1, capacity);
    this.pump();
  }

  get inUse(): number {
    return this.active;
  }

  /** The idempotent release of one held slot. */
  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.pump();
    };
  }

  private pump(): void {
    while (this.active < this.capacity && this.waiters.length > 0) {
      this.active++;
      this.waiters.shift()!();
    }
  }
}
