/**
 * Baseline: the smallest handler there is. What bundling, loading and invoking anything costs over
 * `node -e 0`.
 */

/** Returns the event unchanged, as Cognito needs it back. */
export const handler = async (event: unknown): Promise<unknown> => event;
