import { describe, expect, it } from 'vitest';
import type { ShareRow } from '../../../bench/share-scenarios.js';
import { checkEffects, problemsOf, sharesUnavailableReason } from '../../../bench/shares.js';

describe('Bench: problemsOf', () => {
  it('counts the processes that did not return cleanly, by what went wrong', () => {
    // Prepare
    const samples = [
      { outcome: 'returned', errorLines: 0, notes: [] },
      { outcome: 'threw SignUpUnavailableError', errorLines: 0, notes: ['fault in decideConfirmation'] },
      { outcome: 'threw SignUpUnavailableError', errorLines: 0, notes: ['fault in decideConfirmation'] },
      { outcome: 'timeout', errorLines: 0, notes: [] },
    ];

    // Act
    const problems = problemsOf(samples);

    // Assess
    expect(problems).toEqual(['2× threw SignUpUnavailableError (fault in decideConfirmation)', '1× timeout']);
  });

  it('counts a return whose logs report a failure', () => {
    // Prepare
    const samples = [{ outcome: 'returned', errorLines: 1, notes: ['onboarding action failed'] }];

    // Act
    const problems = problemsOf(samples);

    // Assess
    expect(problems).toEqual(['1× returned (onboarding action failed)']);
  });
});

describe('Bench: sharesUnavailableReason', () => {
  it("gives the controller's reason when no CPU controller is writable", () => {
    // Prepare
    const controller = { kind: 'none' as const, reason: 'no cgroup CPU controller is mounted' };
    const rows: ShareRow[] = [];

    // Act
    const reason = sharesUnavailableReason(controller, rows);

    // Assess
    expect(reason).toBe('no cgroup CPU controller is mounted');
  });

  it('needs nothing more than the controller when no row calls out', () => {
    // Prepare
    const controller = { kind: 'v2' as const, root: '/sys/fs/cgroup' };
    const rows: ShareRow[] = [];

    // Act
    const reason = sharesUnavailableReason(controller, rows);

    // Assess
    expect(reason).toBeUndefined();
  });
});

describe('Bench: checkEffects', () => {
  const found = { groupMembers: 8, profiles: 8, published: 8, queued: 2, captchaCalls: 5 };

  it('accepts effects the clean processes left and the flagged ones may have missed or queued', () => {
    // Prepare
    const [confirmed, callsOut] = [
      { all: 10, clean: 8 },
      { all: 5, clean: 5 },
    ];

    // Act
    const check = checkEffects(found, confirmed, callsOut);

    // Assess
    expect(check.mismatches).toEqual([]);
  });

  it('reports a missing effect of a process that returned cleanly', () => {
    // Prepare
    const [confirmed, callsOut] = [
      { all: 10, clean: 9 },
      { all: 6, clean: 6 },
    ];

    // Act
    const check = checkEffects(found, confirmed, callsOut);

    // Assess
    expect(check.mismatches).toEqual([
      'groupMembers 8, expected 9 to 10',
      'profiles 8, expected 9 to 10',
      'published 8, expected 9 to 10',
      'queued 2, expected 0 to 1',
      'captchaCalls 5, expected 6',
    ]);
  });
});
