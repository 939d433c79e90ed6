import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Flow, Status } from '../../../conformance/check.js';
import type { ConformancePool } from '../../../conformance/context.js';
import {
  compareWithExpected,
  scorecardMarkdown,
  scoreOf,
  stableText,
  statusesOfScorecards,
  summaryLine,
  tallyOf,
} from '../../../conformance/scorecard.js';
import type { CheckResult } from '../../../conformance/suite.js';

/** A check result with the fields a scorecard reads; `status` and `flow` as given. */
function result(
  id: string,
  status: Status,
  flow: Flow = Flow.SignUp,
  more: Partial<CheckResult> = {},
): CheckResult {
  return {
    id,
    flow,
    title: `Title of ${id}`,
    section: '§2 rule 1',
    status,
    ...(status === Status.NotApplicable ? {} : { expected: `expected of ${id}` }),
    observed: `observed of ${id}`,
    ...more,
  };
}

const POOL: ConformancePool = {
  userPoolId: 'us-east-1_AbCdEf123',
  publicClientId: '5r2dc1q9ls0o8v8dj0ltnqbn0a',
  legacyClientId: '1h57kf5cpq17m0eml12ek4eu4l',
  confidentialClientId: '7v2g1m0e4l3d6c9b8a5j2k1h0g',
  confidentialClientSecret: 'secret-not-shown',
};

const anyStatus = fc.constantFrom(...Object.values(Status));
const anyFlow = fc.constantFrom(...Object.values(Flow));
const anyResult = fc.record({
  id: fc.string({ maxLength: 20 }),
  flow: anyFlow,
  title: fc.string({ maxLength: 20 }),
  section: fc.string({ maxLength: 10 }),
  status: anyStatus,
});

describe('Conformance: compareWithExpected', () => {
  it('sorts failures into unexpected, listed passes into fixed, and names listed ids with no check', () => {
    // Prepare
    const results = [
      result('sign-up.version', Status.Pass),
      result('sign-up.code', Status.Fail),
      result('messages.text', Status.Fail),
      result('requests.limit', Status.Pass),
    ];
    const expected = {
      'messages.text': 'cognito-local sends no text',
      'requests.limit': 'no limit here',
      'gone.check': 'renamed long ago',
    };

    // Act
    const comparison = compareWithExpected(results, expected);

    // Assess
    expect(comparison.unexpected.map((found) => found.id)).toEqual(['sign-up.code']);
    expect(comparison.fixed.map((found) => found.id)).toEqual(['requests.limit']);
    expect(comparison.unknownIds).toEqual(['gone.check']);
  });

  it('counts a listed check that was not applicable or unknown as no longer failing', () => {
    // Prepare
    const results = [result('a', Status.NotApplicable), result('b', Status.Unknown)];
    const expected = { a: 'why a', b: 'why b' };

    // Act
    const comparison = compareWithExpected(results, expected);

    // Assess
    expect(comparison.fixed.map((found) => found.id)).toEqual(['a', 'b']);
    expect(comparison.unexpected).toEqual([]);
  });

  it('does not take an Object.prototype member for a listed id', () => {
    // Prepare
    const results = [result('constructor', Status.Fail), result('toString', Status.Fail)];

    // Act
    const comparison = compareWithExpected(results, {});

    // Assess
    expect(comparison.unexpected.map((found) => found.id)).toEqual(['constructor', 'toString']);
  });

  it('finds nothing to report when the run matches the list', () => {
    // Prepare
    const results = [result('a', Status.Pass), result('b', Status.Fail)];

    // Act
    const comparison = compareWithExpected(results, { b: 'known' });

    // Assess
    expect(comparison).toEqual({ unexpected: [], fixed: [], unknownIds: [] });
  });
});

describe('Conformance: stableText', () => {
  it("replaces the run's subs, probe keys, pool id and client ids by stable names", () => {
    // Prepare
    const text =
      `user a1b2c3d4-0000-4000-8000-00000000000f (p12ab34cd.sign-up@example.com) of ${POOL.userPoolId}, ` +
      `clients ${POOL.publicClientId}, ${POOL.legacyClientId} and ${POOL.confidentialClientId}`;

    // Act
    const stable = stableText(text, POOL);

    // Assess
    expect(stable).toBe(
      'user <sub> (<key>.sign-up@example.com) of <pool id>, ' +
        'clients <client id>, <legacy client id> and <confidential client id>',
    );
  });

  it('leaves ordinary text as it is', () => {
    // Prepare
    const text = 'UsernameExistsException: User already exists (HTTP 400, p1 of 3)';

    // Act
    const stable = stableText(text, POOL);

    // Assess
    expect(stable).toBe(text);
  });

  it('ignores an id the pool does not have, instead of replacing the empty string', () => {
    // Prepare
    const pool = { ...POOL, legacyClientId: '', confidentialClientId: '' };

    // Act
    const stable = stableText('abc', pool);

    // Assess
    expect(stable).toBe('abc');
  });

  it('never leaves a sub, a probe key, the pool id or a client id behind', () => {
    // Prepare
    const pools = fc.record({
      userPoolId: fc.stringMatching(/^[A-Za-z0-9]{9}$/).map((suffix) => `us-east-1_${suffix}`),
      publicClientId: fc.stringMatching(/^[a-z0-9]{26}$/),
      legacyClientId: fc.stringMatching(/^[a-z0-9]{26}$/),
      confidentialClientId: fc.stringMatching(/^[a-z0-9]{26}$/),
      confidentialClientSecret: fc.constant('secret'),
    });
    const keys = fc
      .tuple(fc.integer({ min: 1, max: 10_000 }), fc.stringMatching(/^[0-9a-f]{6}$/))
      .map(([count, hex]) => `p${count}${hex}`);
    const texts = (pool: ConformancePool) =>
      fc.array(
        fc.oneof(
          fc.uuid(),
          keys,
          fc.constantFrom(
            pool.userPoolId,
            pool.publicClientId,
            pool.legacyClientId,
            pool.confidentialClientId,
          ),
          fc.string({ maxLength: 20 }),
        ),
        { maxLength: 8 },
      );
    const cases = pools.chain((pool) => fc.tuple(fc.constant(pool), texts(pool)));

    // Act
    const property = fc.property(cases, ([pool, parts]) => {
      const stable = stableText(parts.join(' '), pool);
      const ids = [pool.userPoolId, pool.publicClientId, pool.legacyClientId, pool.confidentialClientId];
      const subs = parts.filter((part) => /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/.test(part));
      const probeKeys = parts.filter((part) => /^p\d+[0-9a-f]{6}$/.test(part));
      return [...ids, ...subs, ...probeKeys].every((id) => !stable.includes(id));
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});

describe('Conformance: tallyOf', () => {
  it('counts each status', () => {
    // Prepare
    const results = [
      result('a', Status.Pass),
      result('b', Status.Pass),
      result('c', Status.Fail),
      result('d', Status.NotApplicable),
    ];

    // Act
    const tally = tallyOf(results);

    // Assess
    expect(tally).toEqual({ pass: 2, fail: 1, 'n/a': 1, unknown: 0 });
  });

  it('counts only the results of the flow asked for', () => {
    // Prepare
    const results = [
      result('a', Status.Pass, Flow.SignUp),
      result('b', Status.Fail, Flow.Messages),
      result('c', Status.Unknown, Flow.Messages),
    ];

    // Act
    const tally = tallyOf(results, Flow.Messages);

    // Assess
    expect(tally).toEqual({ pass: 0, fail: 1, 'n/a': 0, unknown: 1 });
  });

  it('has counts that sum to the number of results, in all and per flow', () => {
    // Prepare
    const sum = (tally: Record<string, number>) =>
      Object.values(tally).reduce((total, count) => total + count, 0);

    // Act
    const property = fc.property(fc.array(anyResult, { maxLength: 40 }), anyFlow, (results, flow) => {
      const perFlow = Object.values(Flow).map((each) => sum(tallyOf(results, each)));
      return (
        sum(tallyOf(results)) === results.length &&
        sum(tallyOf(results, flow)) === results.filter((each) => each.flow === flow).length &&
        perFlow.reduce((total, count) => total + count, 0) === results.length
      );
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});

describe('Conformance: scoreOf', () => {
  it.each([
    [{ pass: 2, fail: 1, 'n/a': 0, unknown: 0 }, 66],
    [{ pass: 199, fail: 1, 'n/a': 0, unknown: 0 }, 99],
    [{ pass: 0, fail: 3, 'n/a': 4, unknown: 0 }, 0],
    [{ pass: 5, fail: 0, 'n/a': 9, unknown: 9 }, 100],
    [{ pass: 0, fail: 0, 'n/a': 5, unknown: 2 }, 100],
  ])('scores %j as %i', (tally, score) => {
    // Prepare
    const given = tally;

    // Act
    const found = scoreOf(given);

    // Assess
    expect(found).toBe(score);
  });

  it('is a whole percentage that reaches 100 only when nothing failed', () => {
    // Prepare
    const counts = fc.nat({ max: 10_000 });
    const tallies = fc.record({ pass: counts, fail: counts, 'n/a': counts, unknown: counts });

    // Act
    const property = fc.property(tallies, (tally) => {
      const score = scoreOf(tally);
      return Number.isInteger(score) && score >= 0 && score <= 100 && (score === 100) === (tally.fail === 0);
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});

describe('Conformance: summaryLine', () => {
  it('gives the counts and the score in one line', () => {
    // Prepare
    const results = [
      result('a', Status.Pass),
      result('b', Status.Pass),
      result('c', Status.Fail),
      result('d', Status.NotApplicable),
      result('e', Status.Unknown),
    ];

    // Act
    const line = summaryLine(results);

    // Assess
    expect(line).toBe('5 checks: 2 pass, 1 fail, 1 n/a, 1 unknown; score 66 % (pass / (pass + fail))');
  });
});

describe('Conformance: scorecardMarkdown', () => {
  it('shows the target, the summary, then a tally row per flow that ran, in flow order, and in all', () => {
    // Prepare
    const results = [
      result('m', Status.Fail, Flow.Messages),
      result('s', Status.Pass, Flow.SignUp),
      result('c', Status.NotApplicable, Flow.Confirmation),
    ];

    // Act
    const markdown = scorecardMarkdown({ target: 'npm start', results });

    // Assess
    expect(markdown.split('\n').slice(0, 10)).toEqual([
      '### npm start',
      '',
      '3 checks: 1 pass, 1 fail, 1 n/a, 0 unknown; score 50 % (pass / (pass + fail)).',
      '',
      '| flow | pass | fail | n/a | unknown | score |',
      '|---|---|---|---|---|---|',
      '| Sign-up | 1 | 0 | 0 | 0 | 100 % |',
      '| Confirmation | 0 | 0 | 1 | 0 | - |',
      '| Messages | 0 | 1 | 0 | 0 | 0 % |',
      '| **all** | 1 | 1 | 1 | 0 | 50 % |',
    ]);
  });

  it('lists every check in run order, hiding what a passing one expected and observed', () => {
    // Prepare
    const results = [result('sign-up.code', Status.Fail), result('sign-up.version', Status.Pass)];

    // Act
    const markdown = scorecardMarkdown({ target: 't', results });

    // Assess
    expect(markdown.split('\n').slice(-5)).toEqual([
      '| check | contract | result | expected | observed |',
      '|---|---|---|---|---|',
      '| `sign-up.code` Title of sign-up.code | §2 rule 1 | fail | expected of sign-up.code | observed of sign-up.code |',
      '| `sign-up.version` Title of sign-up.version | §2 rule 1 | pass |  |  |',
      '',
    ]);
  });

  it('says why beside a failure the target is known for, and only beside a failure', () => {
    // Prepare
    const results = [result('a', Status.Fail), result('b', Status.Pass)];
    const expected = { a: 'cognito-local sends no text', b: 'stale entry' };

    // Act
    const markdown = scorecardMarkdown({ target: 't', results, expected });

    // Assess
    expect(markdown).toContain('| fail (expected: cognito-local sends no text) |');
    expect(markdown).not.toContain('stale entry');
  });

  it('keeps each check on one table row: pipes escaped, new lines flattened', () => {
    // Prepare
    const results = [
      result('a', Status.Fail, Flow.SignUp, { title: 'A | B', observed: 'line one\nline two | more' }),
    ];

    // Act
    const markdown = scorecardMarkdown({ target: 't', results });

    // Assess
    expect(markdown).toContain(
      '| `a` A \\| B | §2 rule 1 | fail | expected of a | line one line two \\| more |',
    );
  });

  it('shows only the all row when there is no result', () => {
    // Prepare
    const results: CheckResult[] = [];

    // Act
    const markdown = scorecardMarkdown({ target: 't', results });

    // Assess
    expect(markdown).toContain('0 checks: 0 pass, 0 fail, 0 n/a, 0 unknown; score 100 %');
    expect(markdown).toContain('|---|---|---|---|---|---|\n| **all** | 0 | 0 | 0 | 0 | - |\n');
  });
});

describe('Conformance: statusesOfScorecards', () => {
  it('reads back the status of every check of every card scorecardMarkdown wrote, pipes in titles included', () => {
    // Prepare
    const first = [
      result('sign-up.version', Status.Pass),
      result('sign-up.pipes', Status.Fail, Flow.SignUp, { title: 'a | b', observed: 'x | y' }),
    ];
    const second = [
      result('limits.password', Status.NotApplicable, Flow.Requests),
      result('x.y', Status.Unknown),
    ];
    const page = [
      scorecardMarkdown({ target: 'first endpoint', results: first }),
      scorecardMarkdown({ target: 'second endpoint', results: second, expected: { 'x.y': 'why' } }),
    ].join('\n');

    // Act
    const cards = statusesOfScorecards(page);

    // Assess
    expect(cards).toEqual(
      new Map([
        [
          'first endpoint',
          new Map([
            ['sign-up.version', 'pass'],
            ['sign-up.pipes', 'fail'],
          ]),
        ],
        [
          'second endpoint',
          new Map([
            ['limits.password', 'n/a'],
            ['x.y', 'unknown'],
          ]),
        ],
      ]),
    );
  });
});
