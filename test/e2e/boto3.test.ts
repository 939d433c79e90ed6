/**
 * `npm start` driven by Python and boto3 as installed on this machine, through test/e2e/cognito-idp-wrapper.py:
 * AWS's Python example (a wrapper whose sign_up_user computes the SecretHash for the client with a secret
 * and, on UsernameExistsException, checks the user's status). Skipped, saying so, where python3 or boto3 is
 * missing.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../harness/paths.js';
import { parseTriggerError } from '../../shared/parse-trigger-error.js';
import { runsHereOrSkips } from '../support/ci.js';
import { lastMessageTo, PASSWORD, uniqueEmail } from './support/clients.js';
import { type PipelineProcess, startPipelineProcess } from './support/pipeline-process.js';
import { localAwsEnvironment, runCommand, toolWorks } from './support/tools.js';

const SCRIPT = join(PROJECT_ROOT, 'test/e2e/cognito-idp-wrapper.py');
const SKIP_NOTE = 'python3 with boto3 is not installed on this machine';
const hasBoto3 = runsHereOrSkips(
  'E2E: npm start with Python boto3',
  toolWorks('python3', ['-c', 'import boto3']),
  SKIP_NOTE,
);

type WrapperResult = { confirmed?: boolean; error?: { code: string; message: string } };

describe('E2E: npm start with Python boto3 (AWS example wrapper, client with a secret)', () => {
  let pipeline: PipelineProcess | undefined;

  beforeAll(async () => {
    if (hasBoto3) pipeline = await startPipelineProcess();
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  async function wrapper(action: 'sign-up' | 'confirm', args: readonly string[]): Promise<WrapperResult> {
    const state = pipeline?.state;
    const result = await runCommand(
      'python3',
      [
        SCRIPT,
        action,
        '--endpoint-url',
        state?.endpoints.cognito ?? '',
        '--region',
        state?.region ?? '',
        '--user-pool-id',
        state?.userPoolId ?? '',
        '--client-id',
        state?.confidentialClientId ?? '',
        '--client-secret',
        state?.confidentialClientSecret ?? '',
        ...args,
      ],
      { env: localAwsEnvironment },
    );
    if (result.stdout.trim() === '') throw new Error(`The wrapper printed nothing:\n${result.stderr}`);
    return JSON.parse(result.stdout) as WrapperResult;
  }

  it('signs up with a SecretHash, confirms with the inbox code, then finds the existing user confirmed', async (context) => {
    if (pipeline === undefined) return context.skip(SKIP_NOTE);
    // Prepare
    const email = uniqueEmail('boto3');
    const user = ['--username', email, '--password', PASSWORD, '--email', email];

    // Act
    const first = await wrapper('sign-up', user);
    const message = lastMessageTo(pipeline.state, email);
    const confirmed = await wrapper('confirm', ['--username', email, '--code', message?.code ?? '']);
    const again = await wrapper('sign-up', user);

    // Assess
    expect(first).toEqual({ confirmed: false });
    expect(message).toMatchObject({ source: 'CustomMessage_SignUp', custom: true });
    expect(confirmed).toEqual({ confirmed: true });
    expect(again).toEqual({ confirmed: true });
  });

  it('reports a rejected sign-up as UserLambdaValidationException that parseTriggerError decodes', async (context) => {
    if (pipeline === undefined) return context.skip(SKIP_NOTE);
    // Prepare
    const email = uniqueEmail('boto3', 'blocked.example');

    // Act
    const result = await wrapper('sign-up', ['--username', email, '--password', PASSWORD, '--email', email]);

    // Assess
    expect(result.error?.code).toBe('UserLambdaValidationException');
    expect(parseTriggerError(result.error?.message)).toMatchObject({
      trigger: 'PreSignUp',
      code: 'EMAIL_DOMAIN_BLOCKED',
    });
  });

  it('carries ValidationData and ClientMetadata from boto3 into the triggers', async (context) => {
    if (pipeline === undefined) return context.skip(SKIP_NOTE);
    // Prepare
    const email = uniqueEmail('boto3');
    const user = ['--username', email, '--password', PASSWORD, '--email', email];

    // Act
    const refused = await wrapper('sign-up', [...user, '--validation-data', 'invite=not-a-token']);
    const accepted = await wrapper('sign-up', [...user, '--client-metadata', 'locale=pt-BR']);
    const message = lastMessageTo(pipeline.state, email);

    // Assess
    expect(parseTriggerError(refused.error?.message)?.code).toBe('INVITE_INVALID');
    expect(accepted).toEqual({ confirmed: false });
    expect(message?.subject).toMatch(/verificação/);
  });
});
