/**
 * The golden suite: every recorded event under events/ replays to the outcome recorded beside it, both
 * in this process (the sources) and as the built bundles in child processes (what `sam build` ships).
 */
import { relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFixtureInvariants, findEventFiles } from '../../harness/fixtures.js';
import { PROJECT_ROOT } from '../../harness/paths.js';
import { createReplayer } from '../../harness/replay.js';

const EVENTS = `${PROJECT_ROOT}/events`;
const files = findEventFiles([EVENTS]).map((file) => relative(PROJECT_ROOT, file));

describe('Fixtures: invariants of events/', () => {
  it('holds events for all twelve trigger sources', () => {
    // Prepare
    const sources = new Set(files.map((file) => file.split('/').slice(1).join('/').split('.')[0]));

    // Act
    const count = files.length;

    // Assess
    expect(count).toBeGreaterThanOrEqual(12);
    expect([...sources].sort()).toEqual(
      expect.arrayContaining([
        'pre-sign-up/sign-up',
        'pre-sign-up/admin-create-user',
        'pre-sign-up/external-provider',
        'custom-message/sign-up',
        'custom-message/admin-create-user',
        'custom-message/resend-code',
        'custom-message/forgot-password',
        'custom-message/update-user-attribute',
        'custom-message/verify-user-attribute',
        'custom-message/authentication',
        'post-confirmation/confirm-sign-up',
        'post-confirmation/confirm-forgot-password',
      ]),
    );
  });

  it('pairs every event with an expectation, and names each after its triggerSource', () => {
    // Prepare
    const root = EVENTS;

    // Act
    const problems = checkFixtureInvariants(root);

    // Assess
    expect(problems).toEqual([]);
  });
});

describe.each([
  ['in-process', 'in-process'],
  ['built bundles', 'bundle'],
] as const)('Replay: events/ (%s)', (_title, mode) => {
  // The functions' own log lines are captured in bundle mode; in this process they are silenced.
  const replayer = createReplayer({ mode, environment: { POWERTOOLS_LOG_LEVEL: 'SILENT' } });
  afterAll(() => replayer.close());

  it.each(files)('%s', async (file) => {
    // Prepare
    const path = `${PROJECT_ROOT}/${file}`;

    // Act
    const result = await replayer.replayFixture(path);

    // Assess
    expect(result.expected, 'a .expected.json beside the event').toBeDefined();
    expect(result.actual).toEqual({ attempts: result.expected?.attempts, cognito: result.expected?.cognito });
  });
});
