/**
 * What code under test threw or rejected with, as a value a test can assert on. Each helper fails the test
 * with a plain message when the expected failure does not happen, so a test never passes on silence.
 */

/** The error of class `type` that `act` throws; a failed assertion when it throws nothing or something else. */
export function errorOf<T extends Error>(type: abstract new (...args: never[]) => T, act: () => unknown): T {
  try {
    act();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`Test: expected a ${type.name}`);
}

/**
 * What `work` rejects with: a promise (or any value, awaited), or a function whose synchronous throw counts
 * too. A failed assertion when it succeeds.
 */
export async function rejectionOf(work: unknown): Promise<unknown> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    return error;
  }
  throw new Error('Test: expected a rejection');
}

/** What `act` returns, or the error it throws: for properties that accept either. */
export function outcomeOf(act: () => unknown): unknown {
  try {
    return act();
  } catch (error) {
    return error;
  }
}

/** What `work` resolves to, or the error it rejects with: for properties that accept either. */
export async function settledOutcomeOf(work: unknown): Promise<unknown> {
  try {
    return await work;
  } catch (error) {
    return error;
  }
}
