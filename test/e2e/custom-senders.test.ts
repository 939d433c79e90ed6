/**
 * `npm start -- --message-delivery CustomSenders` with the AWS SDK for JavaScript v3 (docs/custom-senders.md):
 * the local pool hands each code, encrypted as Cognito encrypts it, to the template's custom sender
 * functions, which decrypt it, compose the message from the catalogue and deliver it (through the local
 * SES/SNS stand-in) into the inbox; the code from the inbox confirms the sign-up. Cognito invokes senders
 * asynchronously (contract §6): the SignUp answer does not wait for the delivery.
 */

import { readFileSync } from 'node:fs';
import {
  AdminCreateUserCommand,
  type CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  ResendConfirmationCodeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxMessage } from '../../local/inbox.js';
import { cognitoClientFor, messagesTo, signUpWithEmail, uniqueEmail } from './support/clients.js';
import { type PipelineProcess, startPipelineProcess } from './support/pipeline-process.js';

describe('E2E: npm start in sender mode (custom email sender)', () => {
  let pipeline: PipelineProcess;
  let cognito: CognitoIdentityProviderClient;

  beforeAll(async () => {
    pipeline = await startPipelineProcess({ args: ['--message-delivery', 'CustomSenders'] });
    cognito = cognitoClientFor(pipeline.state);
  }, 60_000);

  afterAll(async () => {
    cognito?.destroy();
    await pipeline?.stop('SIGINT');
  }, 30_000);

  /** The messages sent to `email`, once `count` of them have arrived (the senders run asynchronously). */
  async function delivered(email: string, count: number): Promise<InboxMessage[]> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const messages = messagesTo(pipeline.state, email);
      if (messages.length >= count) return messages;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return messagesTo(pipeline.state, email);
  }

  it('delivers the sign-up code through CustomEmailSender, and that code confirms the user', async () => {
    // Prepare
    const email = uniqueEmail('sender-jane');
    await signUpWithEmail(cognito, pipeline.state, email);
    const [message] = await delivered(email, 1);

    // Act
    const confirmed = await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: pipeline.state.clientId,
        Username: email,
        ConfirmationCode: message?.code ?? '',
      }),
    );

    // Assess
    expect(message).toMatchObject({
      source: 'CustomEmailSender_SignUp',
      custom: true,
      code: expect.stringMatching(/^\d{6}$/),
    });
    expect(confirmed.$metadata.httpStatusCode).toBe(200);
    await pipeline.waitForOutput(/CustomEmailSender_SignUp\s+changed by sendMessage/);
  });

  it('delivers a new code for ResendConfirmationCode (CustomEmailSender_ResendCode)', async () => {
    // Prepare
    const email = uniqueEmail('sender-kim');
    await signUpWithEmail(cognito, pipeline.state, email);
    await delivered(email, 1);

    // Act
    await cognito.send(
      new ResendConfirmationCodeCommand({ ClientId: pipeline.state.clientId, Username: email }),
    );
    const messages = await delivered(email, 2);

    // Assess
    expect(messages.map((message) => message.source)).toEqual([
      'CustomEmailSender_SignUp',
      'CustomEmailSender_ResendCode',
    ]);
    expect(messages[1]?.code).not.toBe(messages[0]?.code);
  });

  it("delivers an administrator's invitation with the temporary password as the pool generated it", async () => {
    // Prepare
    const email = uniqueEmail('sender-lee');

    // Act
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: pipeline.state.userPoolId,
        Username: email,
        UserAttributes: [{ Name: 'email', Value: email }],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    const [message] = await delivered(email, 1);

    // Assess: the password Cognito escaped and encrypted arrives as the pool made it, HTML-escaped once.
    const escaped = (message?.code ?? '').replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
    const body = readFileSync(message?.file ?? '', 'utf8').replace(
      /&(amp|lt|gt|quot);/g,
      (entity) => `&#${{ '&amp;': 38, '&lt;': 60, '&gt;': 62, '&quot;': 34 }[entity]};`,
    );
    expect(message?.source).toBe('CustomEmailSender_AdminCreateUser');
    expect(message?.code.length).toBeGreaterThanOrEqual(12);
    expect(body).toContain(escaped);
    expect(body).toContain(email);
  });
});
