import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EXAMPLE_POOL_ID,
  NO_TRIGGER_TEMPLATE,
  writeExistingPoolTemplate,
} from '../harness/template-copies.js';
import { envVarsWarningOf, runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'invoke-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SIGN_UP = 'events/pre-sign-up/sign-up.email-as-username.json';
const BROKEN = 'events/pre-sign-up/sign-up.user-attributes-missing.json';

describe('CLI: invoke', () => {
  it('prints the response on stdout, logs on stderr, and exits 0', () => {
    // Prepare
    const event = JSON.parse(readFileSync(SIGN_UP, 'utf8')) as unknown;

    // Act
    const run = runCli('invoke', ['PreSignUpFunction', '-e', SIGN_UP]);

    // Assess
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(event);
    expect(run.stderr).toContain('"message":"trigger decision"');
  });

  it('runs a custom sender on a recorded event, its code encrypted now, and prints what it delivered', () => {
    // Act
    const run = runCli('invoke', [
      'CustomEmailSenderFunction',
      '-e',
      'events/custom-email-sender/sign-up.email.json',
    ]);

    // Assess
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      kind: 'returned',
      delivered: [
        {
          channel: 'email',
          to: 'jane.doe@example.com',
          source: 'CustomEmailSender_SignUp',
          subject: 'Your My App verification code',
          codeInBody: true,
        },
      ],
    });
  });

  it('prints errorType and errorMessage and exits 1 when the handler throws', () => {
    // Prepare
    const args = ['PreSignUpFunction', '-e', BROKEN];

    // Act
    const run = runCli('invoke', args);

    // Assess
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      errorType: 'SignUpUnavailableError',
      errorMessage: 'SIGNUP_UNAVAILABLE: Sign-up is temporarily unavailable. Please try again later.',
    });
  });

  it('prints what the Cognito caller sees with --cognito', () => {
    // Prepare
    const args = ['PreSignUpFunction', '-e', BROKEN, '--cognito'];

    // Act
    const run = runCli('invoke', args);

    // Assess
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      attempts: 1,
      cognito: {
        outcome: 'error',
        errorType: 'UserLambdaValidationException',
        message:
          'PreSignUp failed with error SIGNUP_UNAVAILABLE: Sign-up is temporarily unavailable. Please try again later..',
      },
    });
  });

  it('reads the event from standard input with -e -', () => {
    // Prepare
    const event = readFileSync(SIGN_UP, 'utf8');

    // Act
    const run = runCli('invoke', ['PreSignUpFunction', '-e', '-'], event);

    // Assess
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(event));
  });

  it('applies an --env-vars file over the template environment', () => {
    // Prepare
    const event = JSON.parse(readFileSync(SIGN_UP, 'utf8')) as Record<string, unknown>;
    event.triggerSource = 'PreSignUp_UserMigration';
    const eventFile = join(scratch, 'migration.json');
    writeFileSync(eventFile, JSON.stringify(event));
    const envFile = join(scratch, 'env.json');
    writeFileSync(envFile, JSON.stringify({ PreSignUpFunction: { UNKNOWN_TRIGGER_SOURCE: 'reject' } }));

    // Act
    const passthrough = runCli('invoke', ['PreSignUpFunction', '-e', eventFile]);
    const rejected = runCli('invoke', ['PreSignUpFunction', '-e', eventFile, '--env-vars', envFile]);

    // Assess
    expect(passthrough.status).toBe(0);
    expect(rejected.status).toBe(1);
    expect(JSON.parse(rejected.stdout)).toMatchObject({ errorType: 'SignUpUnavailableError' });
  });

  it('warns once on stderr about an env-vars block that names no function of the template', () => {
    // Prepare
    const envFile = join(scratch, 'env.typo.json');
    writeFileSync(
      envFile,
      JSON.stringify({ PreSignUpFunction: {}, PreSignupFunction: { UNKNOWN_TRIGGER_SOURCE: 'reject' } }),
    );

    // Act
    const run = runCli('invoke', ['PreSignUpFunction', '-e', SIGN_UP, '--env-vars', envFile]);

    // Assess
    const { warning, ...seen } = envVarsWarningOf(run, 'PreSignupFunction');
    expect(seen).toEqual({ status: 0, warnings: [warning] });
  });

  it('asks for exactly one function, naming them, and exits 2 without one', () => {
    // Prepare
    const args = ['-e', SIGN_UP];

    // Act
    const run = runCli('invoke', args);

    // Assess
    expect({ status: run.status, first: run.stderr.split('\n')[0] }).toEqual({
      status: 2,
      first: expect.stringMatching(/^name exactly one function: .*PreSignUpFunction/),
    });
  });

  it(`invokes a function of the template in existing-pool mode (${EXAMPLE_POOL_ID}) with --template`, () => {
    // Prepare
    const template = writeExistingPoolTemplate(join(scratch, 'existing-pool'));
    const event = JSON.parse(readFileSync(SIGN_UP, 'utf8')) as unknown;

    // Act
    const run = runCli('invoke', ['PreSignUpFunction', '--template', template, '-e', SIGN_UP]);

    // Assess
    expect({ status: run.status, response: JSON.parse(run.stdout) }).toEqual({ status: 0, response: event });
  });

  it('says the template has no trigger function, and how they are found, when it has none', () => {
    // Prepare
    const template = join(scratch, 'no-trigger.yaml');
    writeFileSync(template, NO_TRIGGER_TEMPLATE);

    // Act
    const unnamed = runCli('invoke', ['-t', template, '-e', SIGN_UP]);
    const named = runCli('invoke', ['PreSignUpFunction', '-t', template, '-e', SIGN_UP]);

    // Assess
    expect({
      unnamed: { status: unnamed.status, first: unnamed.stderr.split('\n')[0] },
      named: { status: named.status, stderr: named.stderr },
    }).toEqual({
      unnamed: {
        status: 2,
        first: expect.stringMatching(
          /^no function to name: no AWS::Serverless::Function names the Cognito trigger/,
        ),
      },
      named: {
        status: 2,
        stderr: expect.stringContaining(
          'PreSignUpFunction is not a trigger function of the template (the template has none: ',
        ),
      },
    });
  });

  it('names the known functions when the logical id is unknown', () => {
    // Prepare
    const args = ['NoSuchFunction', '-e', SIGN_UP];

    // Act
    const run = runCli('invoke', args);

    // Assess
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('PreSignUpFunction');
  });
});
