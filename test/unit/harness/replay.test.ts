import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../harness/paths.js';
import { createReplayer } from '../../../harness/replay.js';

// Scratch files live under the project so an expectation can name its env-vars file relative to the root.
const scratch = mkdtempSync(join(PROJECT_ROOT, 'dist', 'replay-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const base = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'events/pre-sign-up/sign-up.validation-data-null.json'), 'utf8'),
) as Record<string, unknown>;
const migration = { ...base, triggerSource: 'PreSignUp_UserMigration' };
const rejectEnv = join(scratch, 'env.reject.json');
writeFileSync(rejectEnv, JSON.stringify({ PreSignUpFunction: { UNKNOWN_TRIGGER_SOURCE: 'reject' } }));

describe.each(['in-process', 'bundle'] as const)('Harness: createReplayer (%s)', (mode) => {
  // Logs and metrics documents silenced: in this process they would go to the test's own stdout.
  const replayer = createReplayer({
    mode,
    environment: { POWERTOOLS_LOG_LEVEL: 'SILENT', METRICS_ENABLED: 'false' },
  });
  afterAll(() => replayer.close());

  it('replays with events/env.json by default', async () => {
    // Prepare
    const event = structuredClone(migration);

    // Act
    const call = await replayer.replayEvent(event);

    // Assess
    expect(call.cognito.outcome).toBe('success');
  });

  it('replays a fixture under the env-vars file its expectation names, beside the default one', async () => {
    // Prepare
    const file = join(scratch, `sign-up.${mode}.json`);
    writeFileSync(file, JSON.stringify(migration));
    writeFileSync(
      file.replace(/\.json$/, '.expected.json'),
      JSON.stringify({
        description: 'An undocumented source is refused under UNKNOWN_TRIGGER_SOURCE=reject.',
        envVars: relative(PROJECT_ROOT, rejectEnv),
        attempts: 1,
        cognito: {
          outcome: 'error',
          errorType: 'UserLambdaValidationException',
          message:
            'PreSignUp failed with error SIGNUP_UNAVAILABLE: Sign-up is temporarily unavailable. Please try again later..',
        },
      }),
    );

    // Act
    const result = await replayer.replayFixture(file);
    const again = await replayer.replayEvent(structuredClone(migration));

    // Assess
    expect(result.passed).toBe(true);
    expect(again.cognito.outcome).toBe('success');
  });
});
