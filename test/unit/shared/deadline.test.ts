import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  boundedSignal,
  COGNITO_TIMEOUT_MS,
  coldStartAllowance,
  invocationDeadline,
  REPLY_MARGIN_MS,
  withDeadline,
} from '../../../shared/deadline.js';
import { DeadlineExceededError } from '../../../shared/errors.js';

describe('Shared: invocationDeadline (contract §6, 5 s per attempt)', () => {
  const startedAt = 1_700_000_000_000;

  it("keeps Cognito's 5 s less the reply margin when the Lambda has more time", () => {
    // Prepare
    const lambdaRemainingMs = 30_000;

    // Act
    const deadline = invocationDeadline(startedAt, lambdaRemainingMs);

    // Assess
    expect(deadline).toBe(startedAt + COGNITO_TIMEOUT_MS - REPLY_MARGIN_MS);
  });

  it("keeps Cognito's 5 s less the reply margin when the remaining time is unknown", () => {
    // Prepare
    const lambdaRemainingMs = undefined;

    // Act
    const deadline = invocationDeadline(startedAt, lambdaRemainingMs);

    // Assess
    expect(deadline).toBe(startedAt + 4700);
  });

  it("follows the Lambda's own remaining time when it is shorter", () => {
    // Prepare
    const lambdaRemainingMs = 2000;

    // Act
    const deadline = invocationDeadline(startedAt, lambdaRemainingMs);

    // Assess
    expect(deadline).toBe(startedAt + 1700);
  });

  it('never lies before the start, however little time is left', () => {
    // Prepare
    const lambdaRemainingMs = 100;

    // Act
    const deadline = invocationDeadline(startedAt, lambdaRemainingMs);

    // Assess
    expect(deadline).toBe(startedAt);
  });

  it('stays within [start, start + 5 s - margin] for any remaining time', () => {
    // Prepare
    const remaining = fc.option(fc.integer({ min: -1_000_000, max: 1_000_000_000 }), { nil: undefined });

    // Act
    const property = fc.property(remaining, (lambdaRemainingMs) => {
      const deadline = invocationDeadline(startedAt, lambdaRemainingMs);
      return deadline >= startedAt && deadline <= startedAt + COGNITO_TIMEOUT_MS - REPLY_MARGIN_MS;
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});

describe('Shared: withDeadline', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('settles with the work when it finishes in time', async () => {
    // Prepare
    const work = Promise.resolve('done');

    // Act
    const result = await withDeadline('lookup', Date.now() + 1000, work);

    // Assess
    expect(result).toBe('done');
  });

  it('passes on the rejection of the work', async () => {
    // Prepare
    const failure = new Error('lookup failed');

    // Act
    const result = withDeadline('lookup', Date.now() + 1000, Promise.reject(failure));

    // Assess
    await expect(result).rejects.toBe(failure);
  });

  it('rejects with DeadlineExceededError naming the operation and its budget when the work is late', async () => {
    // Prepare
    vi.useFakeTimers({ now: 1_000_000 });
    const work = new Promise<never>(() => {});
    const result = withDeadline('invite lookup', 1_000_250, work);
    const assertion = expect(result).rejects.toMatchObject({ operation: 'invite lookup', budgetMs: 250 });

    // Act
    await vi.advanceTimersByTimeAsync(250);

    // Assess
    await assertion;
    await expect(result).rejects.toBeInstanceOf(DeadlineExceededError);
  });

  it('does not reject a moment before the deadline', async () => {
    // Prepare
    vi.useFakeTimers({ now: 1_000_000 });
    let settled = false;
    const result = withDeadline('lookup', 1_000_250, new Promise<never>(() => {})).catch(() => {
      settled = true;
    });

    // Act
    await vi.advanceTimersByTimeAsync(249);

    // Assess
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await result;
    expect(settled).toBe(true);
  });

  it('rejects at once when the deadline has already passed', async () => {
    // Prepare
    vi.useFakeTimers({ now: 1_000_000 });
    const result = withDeadline('lookup', 999_000, new Promise<never>(() => {}));
    const assertion = expect(result).rejects.toMatchObject({ budgetMs: 0 });

    // Act
    await vi.advanceTimersByTimeAsync(0);

    // Assess
    await assertion;
  });

  it('clears its timer once the work has finished', async () => {
    // Prepare
    vi.useFakeTimers({ now: 1_000_000 });

    // Act
    await withDeadline('lookup', 1_005_000, Promise.resolve('done'));

    // Assess
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears its timer once the work has failed', async () => {
    // Prepare
    vi.useFakeTimers({ now: 1_000_000 });

    // Act
    await withDeadline('lookup', 1_005_000, Promise.reject(new Error('x'))).catch(() => undefined);

    // Assess
    expect(vi.getTimerCount()).toBe(0);
  });

  it('times out for real with a short real timer', async () => {
    // Prepare
    const work = new Promise<string>((resolve) => setTimeout(() => resolve('late'), 200).unref());

    // Act
    const result = withDeadline('slow call', Date.now() + 20, work);

    // Assess
    await expect(result).rejects.toBeInstanceOf(DeadlineExceededError);
  });
});

describe('Shared: coldStartAllowance (Cognito counts the init of a cold environment)', () => {
  it('takes the process age off the first on-demand invocation', () => {
    // Act
    const allowance = coldStartAllowance('on-demand', 412.4, 5000);

    // Assess
    expect(allowance).toBe(412);
  });

  it('takes an init of 3 s whole: a starved cold start must still answer inside the 5 s (issue 11)', () => {
    // Act
    const allowance = coldStartAllowance('on-demand', 3000, 5000);

    // Assess
    expect(allowance).toBe(3000);
  });

  it('leaves the invocation at least 1,000 ms however long the init took', () => {
    // Act
    const allowance = coldStartAllowance('on-demand', 60_000, 5000);

    // Assess
    expect(allowance).toBe(4000);
  });

  it.each([['provisioned-concurrency'], ['snap-start'], [undefined]])(
    'takes nothing for an environment initialised before the call (%s)',
    (initializationType) => {
      // Act
      const allowance = coldStartAllowance(initializationType, 900, 5000);

      // Assess
      expect(allowance).toBe(0);
    },
  );
});

describe('Shared: boundedSignal', () => {
  it('aborts with a TimeoutError after its time limit', async () => {
    // Prepare
    const bounded = boundedSignal(undefined, 10);

    // Act
    await new Promise((resolve) => bounded.signal.addEventListener('abort', resolve, { once: true }));

    // Assess
    expect((bounded.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('aborts with the parent signal and its reason', () => {
    // Prepare
    const parent = new AbortController();
    const bounded = boundedSignal(parent.signal, 60_000);

    // Act
    parent.abort(new Error('parent gave up'));

    // Assess
    expect((bounded.signal.reason as Error).message).toBe('parent gave up');
    bounded.clear();
  });

  it('starts aborted when the parent already is', () => {
    // Act
    const bounded = boundedSignal(AbortSignal.abort('gone'), 60_000);

    // Assess
    expect(bounded.signal.reason).toBe('gone');
  });

  it('fires under garbage-collection pressure, held by nothing but its timer', async () => {
    // Prepare: only the composite of the callee holds it, the pattern nodejs/node#57736 loses.
    const parent = new AbortController();
    const composite = AbortSignal.any([parent.signal, boundedSignal(undefined, 30).signal]);
    const garbage = Array.from({ length: 200_000 }, (_, index) => ({ index }));

    // Act
    await new Promise((resolve) => composite.addEventListener('abort', resolve, { once: true }));

    // Assess
    expect({ aborted: composite.aborted, garbage: garbage.length }).toEqual({
      aborted: true,
      garbage: 200_000,
    });
  });

  it('aborts whatever still listens when cleared', () => {
    // Prepare
    const bounded = boundedSignal(undefined, 60_000);

    // Act
    bounded.clear();

    // Assess
    expect((bounded.signal.reason as DOMException).name).toBe('AbortError');
  });
});
