/**
 * vitest globalSetup: builds every trigger function once before the tests, so the bundle-mode tests run the
 * bundles of the code under test, never a stale `dist/`.
 */
import { buildFunctions } from '../harness/build-functions.js';

/** Runs once, before any test file. */
export async function setup(): Promise<void> {
  await buildFunctions();
}
