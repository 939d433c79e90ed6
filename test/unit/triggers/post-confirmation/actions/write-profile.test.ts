import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { DynamoDbRequestError } from '../../../../../shared/dynamodb-client.js';
import { ConfigurationError } from '../../../../../shared/errors.js';
import { logger } from '../../../../../shared/observability.js';
import { OptionsError, optionalRule } from '../../../../../shared/options.js';
import {
  defaultProfileAttributes,
  ProfileKeyMissingError,
  profileMetadataFields,
  type WriteProfileOptions,
  writeProfile,
  writeProfileFromEnv,
  writeProfileSettings,
} from '../../../../../triggers/post-confirmation/actions/write-profile.js';
import { anyText, prototypeKeys } from '../../../../support/arbitraries.js';
import { postConfirmationEvent, ruleContext, testEmail, testSub } from '../../../../support/builders.js';
import { everythingLogged, spyOnLogger } from '../../../../support/logger-spies.js';
import { errorOf, rejectionOf } from '../../../../support/outcomes.js';

const NOW = new Date('2026-01-01T00:00:00.000Z');
const PLANS = ['free', 'pro'];

type PutInput = {
  TableName: string;
  Item: Record<string, AttributeValue>;
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
};
type SentCall = { input: PutInput; abortSignal: AbortSignal | undefined };

/** A DynamoDB client getter whose client records each call and answers with `answer` (success by default). */
function fakeDynamoDb(answer: () => Promise<unknown> = async () => ({})) {
  const calls: SentCall[] = [];
  const client = {
    send: vi.fn(async (command: { input: PutInput }, options?: { abortSignal?: AbortSignal }) => {
      calls.push({ input: command.input, abortSignal: options?.abortSignal });
      return answer();
    }),
  };
  const dynamodb = vi.fn(async () => client as unknown as DynamoDBClient);
  return { dynamodb, calls, item: () => calls[0]?.input.Item };
}

/** A getter that fails the test if the action ever asks for a client. */
function noDynamoDb() {
  return vi.fn((): never => {
    throw new Error('Test: the action asked for a DynamoDB client');
  });
}

function namedError(name: string): Error {
  const error = new Error(`${name} (test)`);
  error.name = name;
  return error;
}

function action(
  dynamodb: ReturnType<typeof fakeDynamoDb>['dynamodb'] | ReturnType<typeof noDynamoDb>,
  options: Partial<WriteProfileOptions> = {},
) {
  return writeProfile({ tableName: 'Profiles', plans: PLANS, ...options }, { dynamodb, clock: () => NOW });
}

describe('Rule: writeProfile', () => {
  it('is a function named writeProfile', () => {
    // Prepare
    const { dynamodb } = fakeDynamoDb();

    // Act
    const built = action(dynamodb);

    // Assess
    expect(built.name).toBe('writeProfile');
  });

  it('writes the item once, conditioned on attribute_not_exists(sub), with the signal', async () => {
    // Prepare
    spyOnLogger(logger);
    const fake = fakeDynamoDb();
    const context = ruleContext();
    const event = postConfirmationEvent({
      request: {
        userAttributes: {
          sub: testSub,
          email: testEmail,
          email_verified: 'true',
          given_name: 'Alice',
          'cognito:user_status': 'CONFIRMED',
          phone_number: '+15555550123',
        },
      },
    });

    // Act
    const outcome = await action(fake.dynamodb)(event, context);

    // Assess
    expect(outcome).toBe('done');
    expect(fake.calls).toEqual([
      {
        input: {
          TableName: 'Profiles',
          Item: {
            sub: { S: testSub },
            email: { S: testEmail },
            email_verified: { S: 'true' },
            given_name: { S: 'Alice' },
            userName: { S: event.userName },
            createdAt: { S: '2026-01-01T00:00:00.000Z' },
          },
          ConditionExpression: 'attribute_not_exists(#key)',
          ExpressionAttributeNames: { '#key': 'sub' },
        },
        abortSignal: context.signal,
      },
    ]);
  });

  it('stores the ClientMetadata fields that pass the schema, typed', async () => {
    // Prepare
    spyOnLogger(logger);
    const fake = fakeDynamoDb();
    const event = postConfirmationEvent({
      request: { clientMetadata: { referral: 'FRIEND-42', plan: 'pro', marketingConsent: 'false' } },
    });

    // Act
    await action(fake.dynamodb)(event, ruleContext());

    // Assess
    expect(fake.item()).toMatchObject({
      referral: { S: 'FRIEND-42' },
      plan: { S: 'pro' },
      marketingConsent: { BOOL: false },
    });
  });

  it.each([
    ['a plan outside the list', { plan: 'enterprise' }, 'plan'],
    ['a referral with a space', { referral: 'FRIEND 42' }, 'referral'],
    ['a referral of 65 characters', { referral: 'R'.repeat(65) }, 'referral'],
    ['a consent that is not "true" or "false"', { marketingConsent: 'yes' }, 'marketingConsent'],
  ])('leaves out %s, keeps the rest, and logs the key without the value', async (_label, bad, key) => {
    // Prepare
    const spies = spyOnLogger(logger);
    const fake = fakeDynamoDb();
    const clientMetadata = { referral: 'FRIEND-42', plan: 'pro', marketingConsent: 'true', ...bad };
    const event = postConfirmationEvent({ request: { clientMetadata } });

    // Act
    const outcome = await action(fake.dynamodb)(event, ruleContext());

    // Assess
    expect(outcome).toBe('done');
    expect(Object.keys(fake.item() ?? {})).not.toContain(key);
    expect(Object.keys(fake.item() ?? {}).filter((name) => name in profileMetadataFields)).toHaveLength(2);
    expect(spies.warn).toHaveBeenCalledWith(
      'profile: ClientMetadata fields ignored',
      expect.objectContaining({ ignored: [expect.objectContaining({ key })] }),
    );
    expect(everythingLogged(spies)).not.toContain(Object.values(bad)[0]);
  });

  it('never stores a plan while no plans are configured', async () => {
    // Prepare
    spyOnLogger(logger);
    const fake = fakeDynamoDb();
    const event = postConfirmationEvent({ request: { clientMetadata: { plan: 'pro' } } });

    // Act
    await action(fake.dynamodb, { plans: [] })(event, ruleContext());

    // Assess
    expect(fake.item()).not.toHaveProperty('plan');
  });

  it('copies only the configured attributes, leaving out empty values', async () => {
    // Prepare
    spyOnLogger(logger);
    const fake = fakeDynamoDb();
    const event = postConfirmationEvent({
      request: { userAttributes: { sub: testSub, email: testEmail, 'custom:tier': 'gold', locale: '' } },
    });

    // Act
    await action(fake.dynamodb, { attributes: ['custom:tier', 'locale'] })(event, ruleContext());

    // Assess
    expect(Object.keys(fake.item() ?? {}).sort()).toEqual(['createdAt', 'custom:tier', 'sub', 'userName']);
  });

  it.each([
    ['absent', undefined, 'absent'],
    ['empty', '', 'string'],
    ['longer than 128 characters', 's'.repeat(129), 'string'],
  ])(
    'throws ProfileKeyMissingError without asking for a client when the sub is %s',
    async (_label, sub, found) => {
      // Prepare
      const dynamodb = noDynamoDb();
      const event = postConfirmationEvent({
        request: { userAttributes: sub === undefined ? { email: testEmail } : { sub, email: testEmail } },
      });

      // Act
      const error = await rejectionOf(action(dynamodb)(event, ruleContext()));

      // Assess
      expect(error).toBeInstanceOf(ProfileKeyMissingError);
      expect((error as ProfileKeyMissingError).found).toBe(found);
      expect(dynamodb).not.toHaveBeenCalled();
    },
  );

  it('resolves skipped, without a second write, when the item already exists', async () => {
    // Prepare
    spyOnLogger(logger);
    const fake = fakeDynamoDb(async () => {
      throw namedError('ConditionalCheckFailedException');
    });

    // Act
    const outcome = await action(fake.dynamodb)(postConfirmationEvent(), ruleContext());

    // Assess
    expect(outcome).toBe('skipped');
    expect(fake.calls).toHaveLength(1);
  });

  it.each([['ProvisionedThroughputExceededException'], ['TimeoutError'], ['AbortError']])(
    'throws DynamoDbRequestError naming %s',
    async (name) => {
      // Prepare
      const fake = fakeDynamoDb(async () => {
        throw namedError(name);
      });

      // Act
      const error = await rejectionOf(action(fake.dynamodb)(postConfirmationEvent(), ruleContext()));

      // Assess
      expect(error).toBeInstanceOf(DynamoDbRequestError);
      expect(error).toMatchObject({
        operation: 'PutItem',
        errorName: name,
        message: `PutItem failed: ${name}`,
      });
    },
  );

  it.each([
    ['an empty table name', { tableName: '' }, 'tableName'],
    ['a table name with a slash', { tableName: 'a/b' }, 'tableName'],
    ['an attribute the action writes itself', { attributes: ['createdAt'] }, 'attributes'],
    ['the key as an attribute', { attributes: ['sub'] }, 'attributes'],
    ['a metadata field as an attribute', { attributes: ['plan'] }, 'attributes'],
    ['__proto__ as an attribute', { attributes: ['__proto__'] }, 'attributes'],
    ['an attribute name longer than 32 characters', { attributes: ['a'.repeat(33)] }, 'attributes'],
    ['a plan with a space', { plans: ['two words'] }, 'plans'],
  ])(
    'throws an OptionsError naming the option for %s',
    (_label, options: Partial<WriteProfileOptions>, named) => {
      // Prepare
      const build = () => action(noDynamoDb(), options);

      // Act
      const error = errorOf(OptionsError, build);

      // Assess
      expect(error.option).toBe(named);
    },
  );

  describe('writeProfileFromEnv', () => {
    it('returns undefined while PROFILE_TABLE is not set', () => {
      // Prepare
      const env = { PROFILE_PLANS: 'free' };

      // Act
      const options = writeProfileFromEnv(env);

      // Assess
      expect(options).toBeUndefined();
    });

    it('reads the table, the default attributes and the plans', () => {
      // Prepare
      const env = { PROFILE_TABLE: 'Profiles', PROFILE_PLANS: 'free, pro' };

      // Act
      const options = writeProfileFromEnv(env);

      // Assess
      expect(options).toEqual({
        tableName: 'Profiles',
        attributes: defaultProfileAttributes,
        plans: ['free', 'pro'],
      });
    });

    it('reads a table ARN and configured attributes', () => {
      // Prepare
      const arn = 'arn:aws:dynamodb:us-east-1:123456789012:table/Profiles';
      const env = { PROFILE_TABLE: arn, PROFILE_ATTRIBUTES: 'email,custom:tier' };

      // Act
      const options = writeProfileFromEnv(env);

      // Assess
      expect(options).toEqual({ tableName: arn, attributes: ['email', 'custom:tier'], plans: [] });
    });

    it.each([
      ['PROFILE_TABLE', { PROFILE_TABLE: 'bad table' }],
      ['PROFILE_ATTRIBUTES', { PROFILE_TABLE: 'Profiles', PROFILE_ATTRIBUTES: 'email,createdAt' }],
      ['PROFILE_ATTRIBUTES', { PROFILE_TABLE: 'Profiles', PROFILE_ATTRIBUTES: `email,${'a'.repeat(33)}` }],
      ['PROFILE_PLANS', { PROFILE_TABLE: 'Profiles', PROFILE_PLANS: 'free,two words' }],
    ])('names %s for a bad value, through the settings declaration', (variable, env) => {
      // Prepare
      const configure = () =>
        optionalRule(writeProfileSettings, writeProfileFromEnv(env), (options) =>
          writeProfile(options, { dynamodb: noDynamoDb() }),
        );

      // Act
      const error = errorOf(ConfigurationError, configure);

      // Assess
      expect(error.variable).toBe(variable);
    });
  });

  describe('schema (property)', () => {
    const fieldNames = Object.keys(profileMetadataFields);
    const allowedKeys = new Set(['sub', 'userName', 'createdAt', ...defaultProfileAttributes, ...fieldNames]);
    const value = fc.oneof(
      fc.constantFrom('pro', 'free', 'true', 'false', 'FRIEND-42', '', 'R'.repeat(65)),
      anyText({ maxLength: 80 }),
    );
    const key = fc.oneof(
      fc.constantFrom(
        ...fieldNames,
        'sub',
        'createdAt',
        'userName',
        'email',
        'admin',
        'Plan',
        ...prototypeKeys,
      ),
      anyText({ maxLength: 20 }),
    );
    const clientMetadata = fc.oneof(fc.constant(undefined), fc.dictionary(key, value, { maxKeys: 12 }));

    it('never lets a ClientMetadata field outside the schema, or a value that fails it, reach the item', async () => {
      spyOnLogger(logger);
      await fc.assert(
        fc.asyncProperty(clientMetadata, async (metadata) => {
          // Prepare
          const fake = fakeDynamoDb();
          const event = postConfirmationEvent();
          if (metadata !== undefined) event.request.clientMetadata = metadata;

          // Act
          await action(fake.dynamodb)(event, ruleContext());

          // Assess
          const item = fake.item() ?? {};
          expect(Object.keys(item).every((name) => allowedKeys.has(name))).toBe(true);
          expect(item.sub).toEqual({ S: testSub });
          expect(item.createdAt).toEqual({ S: NOW.toISOString() });
          if (item.plan !== undefined) expect(PLANS).toContain(item.plan.S);
          if (item.referral !== undefined) expect(item.referral.S).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
          if (item.marketingConsent !== undefined) expect(typeof item.marketingConsent.BOOL).toBe('boolean');
        }),
        { numRuns: 300 },
      );
    });
  });
});
