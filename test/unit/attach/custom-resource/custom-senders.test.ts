import { describe, expect, it } from 'vitest';
import { answerRequest } from '../../../../attach/custom-resource/lifecycle.js';
import { NOT_ATTACHED, physicalIdOf, recordOf } from '../../../../attach/custom-resource/physical-id.js';
import {
  parseAttachmentProperties,
  ResourcePropertiesError,
} from '../../../../attach/custom-resource/properties.js';
import { fakeCognito } from '../fake-cognito.js';
import { ACCOUNT, functionArn, OURS } from '../pools.js';
import { plainPool } from './pool-states.js';
import { createEvent, deleteEvent, POOL_ID, propertiesOf, requestOf, updateEvent } from './requests.js';

const EMAIL = functionArn('ours-email-sender');
const SMS = functionArn('ours-sms-sender');
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const NEW_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-0123456789abcdef0123456789abcdef`;
const THEIR_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0f5e7c4e-6d5c-4f6b-9b1d-2f3a4b5c6d7e`;

/** The properties template.yaml gives with MessageDelivery CustomSenders. */
function senderProperties(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return propertiesOf({
    Functions: {
      PreSignUp: OURS.PreSignUp,
      PostConfirmation: OURS.PostConfirmation,
      CustomEmailSender: EMAIL,
      CustomSMSSender: SMS,
    },
    KMSKeyID: KEY,
    ...overrides,
  });
}

const progress = () => ({ physicalResourceId: NOT_ATTACHED });

describe('Custom resource: the KMSKeyID property', () => {
  it('is read beside the sender functions', () => {
    // Act
    const properties = parseAttachmentProperties(senderProperties());

    // Assess
    expect(properties.kmsKeyId).toBe(KEY);
    expect(properties.functions.CustomEmailSender).toBe(EMAIL);
  });

  it.each([
    ['missing with a sender', senderProperties({ KMSKeyID: undefined })],
    ['a bare key id', senderProperties({ KMSKeyID: '1234abcd-12ab-34cd-56ef-1234567890ab' })],
    ['an alias ARN', senderProperties({ KMSKeyID: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/codes` })],
    ['given without a sender', propertiesOf({ KMSKeyID: KEY })],
  ])('is refused %s', (_what, properties) => {
    // Act
    const parse = () => parseAttachmentProperties(properties);

    // Assess
    expect(parse).toThrow(ResourcePropertiesError);
  });
});

describe('Custom resource: custom senders', () => {
  it('creates with both senders and the key, and its Delete restores the pool exactly', async () => {
    // Prepare
    const before = plainPool({ LambdaConfig: { PreAuthentication: functionArn('their-pre-auth') } });
    const cognito = fakeCognito({ pool: before });

    // Act
    const created = await answerRequest(
      requestOf(createEvent({ ResourceProperties: senderProperties() })),
      cognito.client,
      progress(),
    );
    const attached = cognito.pool();
    const deleted = await answerRequest(
      requestOf(deleteEvent(created.physicalResourceId, senderProperties())),
      cognito.client,
      progress(),
    );

    // Assess
    expect(created.status).toBe('SUCCESS');
    expect(attached.LambdaConfig).toEqual({
      PreAuthentication: functionArn('their-pre-auth'),
      PreSignUp: OURS.PreSignUp,
      PostConfirmation: OURS.PostConfirmation,
      CustomEmailSender: { LambdaArn: EMAIL, LambdaVersion: 'V1_0' },
      CustomSMSSender: { LambdaArn: SMS, LambdaVersion: 'V1_0' },
      KMSKeyID: KEY,
    });
    expect(deleted.status).toBe('SUCCESS');
    expect(cognito.pool()).toEqual(before);
  });

  it('fails a create on a pool that holds another key, saying why, and changes nothing', async () => {
    // Prepare
    const before = plainPool({ LambdaConfig: { KMSKeyID: THEIR_KEY } });
    const cognito = fakeCognito({ pool: before });

    // Act
    const answer = await answerRequest(
      requestOf(createEvent({ ResourceProperties: senderProperties() })),
      cognito.client,
      progress(),
    );

    // Assess
    expect(answer.status).toBe('FAILED');
    expect(answer.reason).toContain(`LambdaConfig.KMSKeyID holds ${THEIR_KEY}`);
    expect(answer.reason).toContain('encrypted the codes in flight');
    expect(cognito.pool()).toEqual(before);
  });

  it('with ReplaceExistingTriggers, records the replaced key in its id, and its Delete puts it back', async () => {
    // Prepare
    const before = plainPool({ LambdaConfig: { KMSKeyID: THEIR_KEY } });
    const cognito = fakeCognito({ pool: before });
    const properties = senderProperties({ ReplaceExistingTriggers: 'true' });

    // Act
    const created = await answerRequest(
      requestOf(createEvent({ ResourceProperties: properties })),
      cognito.client,
      progress(),
    );
    await answerRequest(
      requestOf(deleteEvent(created.physicalResourceId, properties)),
      cognito.client,
      progress(),
    );

    // Assess
    expect(recordOf(created.physicalResourceId)?.replaced).toEqual({ KMSKeyID: THEIR_KEY });
    expect(created.data?.ReplacedTriggers).toBe(`KMSKeyID=${THEIR_KEY}`);
    expect(cognito.pool()).toEqual(before);
  });

  it('moves the pool to a new key of the stack on an update, without asking', async () => {
    // Prepare
    const cognito = fakeCognito({ pool: plainPool({ LambdaConfig: {} }) });
    const created = await answerRequest(
      requestOf(createEvent({ ResourceProperties: senderProperties() })),
      cognito.client,
      progress(),
    );

    // Act
    const updated = await answerRequest(
      requestOf(
        updateEvent(created.physicalResourceId, senderProperties({ KMSKeyID: NEW_KEY }), senderProperties()),
      ),
      cognito.client,
      progress(),
    );

    // Assess
    expect(updated.status).toBe('SUCCESS');
    expect(cognito.pool().LambdaConfig?.KMSKeyID).toBe(NEW_KEY);
  });

  it('on an update back to CustomMessage, detaches the senders and removes the key it set', async () => {
    // Prepare
    const before = plainPool({ LambdaConfig: {} });
    const cognito = fakeCognito({ pool: before });
    const created = await answerRequest(
      requestOf(createEvent({ ResourceProperties: senderProperties() })),
      cognito.client,
      progress(),
    );

    // Act
    const updated = await answerRequest(
      requestOf(updateEvent(created.physicalResourceId, propertiesOf(), senderProperties())),
      cognito.client,
      progress(),
    );

    // Assess
    expect(updated.status).toBe('SUCCESS');
    expect(cognito.pool().LambdaConfig).toEqual({ ...OURS });
    expect(updated.physicalResourceId).toBe(physicalIdOf({ userPoolId: POOL_ID, replaced: {} }));
  });
});
