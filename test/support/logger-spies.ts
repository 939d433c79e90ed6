/**
 * Logger spies: a fake logger to inject where code takes one, a spy on the shared Powertools logger where it
 * does not, and everything either was given as one string, for "never logs this value" assertions.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { onTestFinished, vi } from 'vitest';

/** A logger whose four methods are spies, for the `logger` option of `createTriggerHandler` and the rules. */
export function spyLogger() {
  return { info: vi.fn(), warn: vi.fn(), error: vi.fn(), addContext: vi.fn() };
}

/**
 * Silences the shared Powertools `logger` for the rest of the current test and spies on what it is given,
 * for code that logs through shared/observability.ts rather than an injected logger.
 */
export function spyOnLogger(logger: Logger) {
  const silent = () => undefined;
  const spies = {
    info: vi.spyOn(logger, 'info').mockImplementation(silent),
    warn: vi.spyOn(logger, 'warn').mockImplementation(silent),
    error: vi.spyOn(logger, 'error').mockImplementation(silent),
  };
  // Restored when the test ends, passed or failed, so no other test finds the logger silenced.
  onTestFinished(() => {
    for (const spy of Object.values(spies)) spy.mockRestore();
  });
  return spies;
}

/** Logger spies, as {@link spyLogger} or {@link spyOnLogger} make them. */
type LoggerSpies = Record<string, { mock: { calls: unknown[][] } }>;

/** Everything the spied logger was given, as one string, for "never logs this value" assertions. */
export function everythingLogged(spies: LoggerSpies): string {
  return JSON.stringify(Object.values(spies).map((spy) => spy.mock.calls));
}
