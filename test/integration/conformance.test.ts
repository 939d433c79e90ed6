/**
 * The conformance suite (conformance/suite.ts) against the two endpoints it starts, as CI runs it (issue 16):
 * - the local pipeline of `npm start` passes every check that is judged (nothing fails, nothing is n/a: its
 *   inbox gives the suite the codes and texts), the unknown ones being exactly those the contract leaves [I];
 * - bare cognito-local 5.3.0 fails exactly its documented differences (conformance/expected-failures.ts), so a
 *   change in cognito-local, in the pipeline's corrections or in a check shows here;
 * - the committed scorecards (docs/conformance-scorecard.md) show the results of these runs.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Status } from '../../conformance/check.js';
import { COGNITO_LOCAL_EXPECTED_FAILURES } from '../../conformance/expected-failures.js';
import { SCORECARD_DOC, statusesOfScorecards } from '../../conformance/scorecard.js';
import { CHECKS, type CheckResult } from '../../conformance/suite.js';
import { scoreTarget, type TargetScore } from '../../conformance/targets.js';
import { fromProjectRoot } from '../../harness/paths.js';

/** The checks whose real value nobody has documented or observed (the contract's [I] and undocumented rows). */
const UNKNOWN_BY_DESIGN = [
  'auto-confirm.post-confirmation',
  'failure.custom-message-thrown',
  'failure.post-confirmation-kept',
  'admin.invitation-client-metadata',
  'attributes.user-token-client-id',
];

function idsWith(score: TargetScore, status: string): string[] {
  return score.results.filter((result) => result.status === status).map((result) => result.id);
}

function statusesOf(results: readonly CheckResult[]): Map<string, string> {
  return new Map(results.map((result) => [result.id, result.status]));
}

describe('Integration: the conformance suite', () => {
  let local: TargetScore;
  let cognitoLocal: TargetScore;

  beforeAll(async () => {
    local = await scoreTarget('local');
    cognitoLocal = await scoreTarget('cognito-local');
  }, 120_000);

  it('has at least 40 checks, each with a unique id and a contract section', () => {
    // Prepare
    const ids = CHECKS.map((check) => check.id);

    // Act
    const withoutSection = CHECKS.filter((check) => !/§\d/.test(check.section)).map((check) => check.id);

    // Assess
    expect(CHECKS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(ids).size).toBe(ids.length);
    expect(withoutSection).toEqual([]);
  });

  it('scores the local pipeline at 100 %: every judged check passes, none is n/a', () => {
    // Act
    const failed = local.results.filter((result) => result.status === Status.Fail);

    // Assess
    expect(failed).toEqual([]);
    expect(idsWith(local, Status.NotApplicable)).toEqual([]);
    expect(idsWith(local, Status.Pass).length).toBe(CHECKS.length - UNKNOWN_BY_DESIGN.length);
  });

  it('leaves unknown exactly the checks whose real value is not known', () => {
    // Act
    const unknown = idsWith(local, Status.Unknown);

    // Assess
    expect(unknown.sort()).toEqual([...UNKNOWN_BY_DESIGN].sort());
  });

  it('finds in bare cognito-local exactly its documented differences', () => {
    // Act
    const failed = idsWith(cognitoLocal, Status.Fail);

    // Assess
    expect(failed.sort()).toEqual(Object.keys(COGNITO_LOCAL_EXPECTED_FAILURES).sort());
  });

  it('reads no text from cognito-local, so the message checks are n/a there and only there', () => {
    // Act
    const notApplicable = idsWith(cognitoLocal, Status.NotApplicable);

    // Assess
    expect(notApplicable).toEqual(
      CHECKS.filter((check) => check.id.startsWith('messages.')).map((check) => check.id),
    );
  });

  it(`matches the committed scorecards (${SCORECARD_DOC}; npm run conformance:scorecards rewrites them)`, () => {
    // Prepare
    const committed = statusesOfScorecards(readFileSync(fromProjectRoot(SCORECARD_DOC), 'utf8'));

    // Act
    const cards = [local, cognitoLocal].map((score) => [score.target, committed.get(score.target)] as const);

    // Assess
    for (const [target, card] of cards) {
      const score = target === local.target ? local : cognitoLocal;
      expect(card, `${target} in ${SCORECARD_DOC}`).toEqual(statusesOf(score.results));
    }
  });
});
