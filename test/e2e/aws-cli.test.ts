/**
 * `npm start` driven by the AWS CLI installed on this machine (`aws cognito-idp sign-up --endpoint-url …`),
 * with the command the ready banner prints. Skipped, saying so, where `aws` is not installed.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpCommand } from '../../local/banner.js';
import { parseTriggerError } from '../../shared/parse-trigger-error.js';
import { runsHereOrSkips } from '../support/ci.js';
import { lastMessageTo, PASSWORD, uniqueEmail } from './support/clients.js';
import { type PipelineProcess, startPipelineProcess } from './support/pipeline-process.js';
import { localAwsEnvironment, runCommand, toolWorks } from './support/tools.js';

const SKIP_NOTE = 'the AWS CLI (`aws`) is not installed on this machine';
const hasAwsCli = runsHereOrSkips(
  'E2E: npm start with the AWS CLI',
  toolWorks('aws', ['--version']),
  SKIP_NOTE,
);

/** The arguments of `aws cognito-idp sign-up` for a new user signing in by email. */
function signUpArgs(clientId: string, email: string): string[] {
  return [
    '--client-id',
    clientId,
    '--username',
    email,
    '--password',
    PASSWORD,
    '--user-attributes',
    `Name=email,Value=${email}`,
  ];
}

describe('E2E: npm start with the AWS CLI', () => {
  let pipeline: PipelineProcess | undefined;

  beforeAll(async () => {
    if (hasAwsCli) pipeline = await startPipelineProcess();
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  function cognitoIdp(operation: string, args: readonly string[]) {
    const state = pipeline?.state;
    return runCommand(
      'aws',
      [
        'cognito-idp',
        operation,
        '--endpoint-url',
        state?.endpoints.cognito ?? '',
        '--region',
        state?.region ?? '',
        '--output',
        'json',
        ...args,
      ],
      { env: localAwsEnvironment },
    );
  }

  it('signs up with the banner command, and confirms with the code from the inbox', async (context) => {
    if (pipeline === undefined) return context.skip(SKIP_NOTE);
    // Prepare
    const { state } = pipeline;
    const email = uniqueEmail('cli');
    const command = signUpCommand(state, email).replaceAll('\\\n', ' ').split(/\s+/).filter(Boolean);

    // Act
    const signedUp = await runCommand(command[0] ?? 'aws', command.slice(1), { env: localAwsEnvironment });
    const message = lastMessageTo(state, email);
    const confirmed = await cognitoIdp('confirm-sign-up', [
      '--client-id',
      state.clientId,
      '--username',
      email,
      '--confirmation-code',
      message?.code ?? '',
    ]);
    const user = await cognitoIdp('admin-get-user', [
      '--user-pool-id',
      state.userPoolId,
      '--username',
      email,
    ]);

    // Assess
    expect(signedUp.code, signedUp.stderr).toBe(0);
    expect(JSON.parse(signedUp.stdout)).toMatchObject({ UserConfirmed: false, UserSub: expect.any(String) });
    expect(message).toMatchObject({ source: 'CustomMessage_SignUp', custom: true });
    expect(readFileSync(message?.file ?? '', 'utf8')).toContain(message?.code);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(JSON.parse(user.stdout)).toMatchObject({ UserStatus: 'CONFIRMED' });
  });

  it('reports a rejected sign-up as UserLambdaValidationException with our code', async (context) => {
    if (pipeline === undefined) return context.skip(SKIP_NOTE);
    // Prepare
    const email = uniqueEmail('cli', 'blocked.example');

    // Act
    const result = await cognitoIdp('sign-up', signUpArgs(pipeline.state.clientId, email));
    // "An error occurred (UserLambdaValidationException) when calling the SignUp operation: <message>"
    const match = /An error occurred \((\w+)\) when calling the SignUp operation: (.*)$/m.exec(result.stderr);

    // Assess
    expect(result.code).not.toBe(0);
    expect(match?.[1]).toBe('UserLambdaValidationException');
    expect(parseTriggerError(match?.[2])).toMatchObject({
      trigger: 'PreSignUp',
      code: 'EMAIL_DOMAIN_BLOCKED',
    });
  });

  it('carries --validation-data and --client-metadata into pre sign-up and custom message', async (context) => {
    if (pipeline === undefined) return context.skip(SKIP_NOTE);
    // Prepare
    const { state } = pipeline;
    const email = uniqueEmail('cli');
    const forged = 'v1.eyJlbWFpbCI6Im5vYm9keUBleGFtcGxlLmNvbSJ9.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

    // Act
    const refused = await cognitoIdp('sign-up', [
      ...signUpArgs(state.clientId, email),
      '--validation-data',
      `Name=invite,Value=${forged}`,
    ]);
    const accepted = await cognitoIdp('sign-up', [
      ...signUpArgs(state.clientId, email),
      '--client-metadata',
      'locale=es',
    ]);
    const message = lastMessageTo(state, email);

    // Assess
    expect(parseTriggerError(/operation: (.*)$/m.exec(refused.stderr)?.[1])?.code).toBe('INVITE_INVALID');
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(readFileSync(message?.file ?? '', 'utf8')).toContain('lang="es"');
  });
});
