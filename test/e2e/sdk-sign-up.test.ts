/**
 * `npm start` driven by the AWS SDK for JavaScript v3, the way AWS's own SignUp example calls it
 * (`SignUpCommand` with ClientId, Username, Password, UserAttributes [{ Name: 'email', Value }]): pre sign-up
 * runs, the custom message is rendered into the inbox, ConfirmSignUp with the inbox's code runs post
 * confirmation, and the profile item and group memberships exist afterwards. The pipeline runs as a child
 * process from cli/start.ts, shared by the tests; each test makes its own users and reads only the output
 * printed after it began, so the tests do not depend on each other's order. test/e2e/start-lifecycle.test.ts
 * covers the stop.
 */
import { readFileSync } from 'node:fs';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  type CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTriggerError } from '../../shared/parse-trigger-error.js';
import {
  cognitoClientFor,
  dynamoDbClientFor,
  lastMessageTo,
  messagesTo,
  PASSWORD,
  profileOf,
  secretHash,
  uniqueEmail,
} from './support/clients.js';
import { type PipelineProcess, startPipelineProcess } from './support/pipeline-process.js';

describe('E2E: npm start with the AWS SDK for JavaScript v3', () => {
  let pipeline: PipelineProcess;
  let cognito: CognitoIdentityProviderClient;
  let dynamodb: DynamoDBClient;

  beforeAll(async () => {
    pipeline = await startPipelineProcess();
    cognito = cognitoClientFor(pipeline.state);
    dynamodb = dynamoDbClientFor(pipeline.state);
  });
  afterAll(async () => {
    cognito?.destroy();
    dynamodb?.destroy();
    await pipeline?.stop();
  });

  /** AWS's example: `signUp({ clientId, username, password, email })`. */
  function signUp({ clientId, username, password, email }: Record<string, string>) {
    const command = new SignUpCommand({
      ClientId: clientId,
      Username: username,
      Password: password,
      UserAttributes: [{ Name: 'email', Value: email }],
    });
    return cognito.send(command);
  }

  /** A new user signed up with the public client; `message` is the code message the inbox got. */
  async function signedUpUser(label: string) {
    const email = uniqueEmail(label);
    const signedUp = await signUp({
      clientId: pipeline.state.clientId,
      username: email,
      password: PASSWORD,
      email,
    });
    return { email, signedUp, message: lastMessageTo(pipeline.state, email) };
  }

  it('signs up an unconfirmed user and delivers the rendered custom message with the code to the inbox', async () => {
    // Prepare
    const { state } = pipeline;
    const email = uniqueEmail('jane');

    // Act
    const signedUp = await signUp({ clientId: state.clientId, username: email, password: PASSWORD, email });
    const message = lastMessageTo(state, email);

    // Assess
    expect(signedUp.UserConfirmed).toBe(false);
    expect(message).toMatchObject({ channel: 'email', source: 'CustomMessage_SignUp', custom: true });
    expect(message?.code).toMatch(/^\d{6}$/);
    const html = readFileSync(message?.file ?? '', 'utf8');
    expect(html).toContain(message?.code);
    expect(html).not.toContain('{####}');
  });

  it('confirms with the inbox code, verifies the email, and onboards (groups, profile) in post confirmation', async () => {
    // Prepare
    const { state } = pipeline;
    const { email, signedUp, message } = await signedUpUser('joan');

    // Act
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: state.clientId,
        Username: email,
        ConfirmationCode: message?.code ?? '',
        ClientMetadata: { referral: 'FRIEND-42', plan: 'pro', groups: 'beta-testers' },
      }),
    );
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: state.userPoolId, Username: email }),
    );
    const groups = await cognito.send(
      new AdminListGroupsForUserCommand({ UserPoolId: state.userPoolId, Username: email }),
    );
    const profile = await profileOf(dynamodb, state, signedUp.UserSub ?? '');

    // Assess
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
    expect((groups.Groups ?? []).map((group) => group.GroupName).sort()).toEqual(['beta-testers', 'users']);
    expect(profile).toMatchObject({
      sub: { S: signedUp.UserSub },
      email: { S: email },
      referral: { S: 'FRIEND-42' },
    });
  });

  it('rejects a blocked email domain with UserLambdaValidationException carrying the code parseTriggerError decodes', async () => {
    // Prepare
    const { state } = pipeline;
    const email = uniqueEmail('mallory', 'blocked.example');

    // Act
    const error = await signUp({
      clientId: state.clientId,
      username: email,
      password: PASSWORD,
      email,
    }).catch((caught: unknown) => caught as Error);

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('UserLambdaValidationException');
    expect(parseTriggerError((error as Error).message)).toEqual({
      trigger: 'PreSignUp',
      code: 'EMAIL_DOMAIN_BLOCKED',
      message: expect.any(String),
    });
    expect(lastMessageTo(state, email)).toBeUndefined();
  });

  it('renders the message in the ClientMetadata locale with the allowed redirect in its link', async () => {
    // Prepare
    const { state } = pipeline;
    const email = uniqueEmail('marie');

    // Act
    await cognito.send(
      new SignUpCommand({
        ClientId: state.clientId,
        Username: email,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: email }],
        ClientMetadata: { locale: 'fr', redirectUri: 'http://localhost:3000/welcome' },
      }),
    );
    const message = lastMessageTo(state, email);

    // Assess
    expect(message?.subject).toMatch(/vérification/);
    const html = readFileSync(message?.file ?? '', 'utf8');
    expect(html).toContain('lang="fr"');
    expect(html).toContain(`redirect_uri=${encodeURIComponent('http://localhost:3000/welcome')}`);
  });

  it('requires a valid SecretHash from the client with a secret, as Cognito does', async () => {
    // Prepare
    const { state } = pipeline;
    const clientId = state.confidentialClientId ?? '';
    const email = uniqueEmail('server');
    const base = {
      ClientId: clientId,
      Username: email,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: email }],
    };

    // Act
    const missing = await cognito.send(new SignUpCommand(base)).catch((caught: unknown) => caught as Error);
    const wrong = await cognito
      .send(new SignUpCommand({ ...base, SecretHash: secretHash(email, clientId, 'not-the-secret') }))
      .catch((caught: unknown) => caught as Error);
    const signed = await cognito.send(
      new SignUpCommand({
        ...base,
        SecretHash: secretHash(email, clientId, state.confidentialClientSecret ?? ''),
      }),
    );

    // Assess
    expect((missing as Error).name).toBe('NotAuthorizedException');
    expect((wrong as Error).name).toBe('NotAuthorizedException');
    expect(signed.UserSub).toEqual(expect.any(String));
  });

  it("refuses a password the template's policy refuses, with Cognito's InvalidPasswordException", async () => {
    // Prepare
    const { state } = pipeline;
    const email = uniqueEmail('weak');

    // Act
    const error = await signUp({
      clientId: state.clientId,
      username: email,
      password: 'short1A',
      email,
    }).catch((caught: unknown) => caught as Error);

    // Assess
    expect(error).toMatchObject({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
  });

  it('sends a new code through custom message on ResendConfirmationCode', async () => {
    // Prepare
    const { state } = pipeline;
    const email = uniqueEmail('again');
    await signUp({ clientId: state.clientId, username: email, password: PASSWORD, email });

    // Act
    await cognito.send(new ResendConfirmationCodeCommand({ ClientId: state.clientId, Username: email }));
    const messages = messagesTo(state, email);
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: state.clientId,
        Username: email,
        ConfirmationCode: messages.at(-1)?.code,
      }),
    );

    // Assess
    expect(messages.map((message) => message.source)).toEqual([
      'CustomMessage_SignUp',
      'CustomMessage_ResendCode',
    ]);
    expect(messages.every((message) => message.custom)).toBe(true);
  });

  it('runs pre sign-up for AdminCreateUser, which cognito-local skips, and delivers the invitation', async () => {
    // Prepare
    const { state } = pipeline;
    const email = uniqueEmail('invited');
    const since = pipeline.output().length;

    // Act
    const created = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: state.userPoolId,
        Username: email,
        UserAttributes: [{ Name: 'email', Value: email }],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    const invitation = lastMessageTo(state, email);

    // Assess
    expect(created.User?.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    await pipeline.waitForOutput(/PreSignUp_AdminCreateUser\s+default no rule decided/, since);
    expect(invitation).toMatchObject({ source: 'CustomMessage_AdminCreateUser', custom: true });
    const html = readFileSync(invitation?.file ?? '', 'utf8');
    expect(html).toContain(invitation?.code);
    expect(html).not.toContain('{username}');
  });

  it('prints one live line per trigger invocation: source, deciding rule, outcome, duration; no address', async () => {
    // Prepare
    const { state } = pipeline;
    const since = pipeline.output().length;
    const blocked = uniqueEmail('mallory', 'blocked.example');
    const { email, message } = await signedUpUser('lines');

    // Act
    await signUp({ clientId: state.clientId, username: blocked, password: PASSWORD, email: blocked }).catch(
      () => undefined,
    );
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: state.clientId,
        Username: email,
        ConfirmationCode: message?.code ?? '',
      }),
    );
    await pipeline.waitForOutput(/PreSignUp_SignUp\s+rejected EMAIL_DOMAIN_BLOCKED/, since);
    const output = await pipeline.waitForOutput(/PostConfirmation_ConfirmSignUp/, since);
    const lines = output.split('\n').filter((line) => /^\d\d:\d\d:\d\d\.\d{3} {2}\w+_\w+/.test(line));

    // Assess
    expect(
      lines.some((line) => /PreSignUp_SignUp\s+rejected EMAIL_DOMAIN_BLOCKED by \w+\s+\d+ ms/.test(line)),
    ).toBe(true);
    expect(lines.some((line) => /CustomMessage_SignUp\s+changed by \w+/.test(line))).toBe(true);
    expect(lines.some((line) => line.includes('PostConfirmation_ConfirmSignUp'))).toBe(true);
    expect(output).not.toContain(email);
    expect(output).not.toContain(blocked);
  });
});
