import type { LambdaConfigType, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidKmsKeyArnError, KmsKeyOptionError } from '../../../attach/errors.js';
import { planAttach, planDetach, poolAfter } from '../../../attach/plan.js';
import { writableRequestOf } from '../../../attach/pool-fields.js';
import {
  checkKmsKeyFor,
  checkReplacedValues,
  isKeyArn,
  KEY_SLOT,
  SLOT_ORDER,
  TRIGGER_SLOTS,
  type TriggerFunctions,
} from '../../../attach/trigger-slots.js';
import {
  ACCOUNT,
  everyFieldPool,
  functionArn,
  lambdaConfigArbitrary,
  OURS,
  poolArbitrary,
  updatedPool,
} from './pools.js';

/** Our two senders. */
const SENDERS = {
  CustomEmailSender: functionArn('ours-email-sender'),
  CustomSMSSender: functionArn('ours-sms-sender'),
} as const;

const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OTHER_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-0123456789abcdef0123456789abcdef`;
/** What {@link everyFieldPool} holds: another key, and their senders. */
const THEIR_KEY = everyFieldPool().LambdaConfig?.KMSKeyID as string;

/** {@link everyFieldPool} with `lambdaConfig` as its LambdaConfig. */
function poolWith(lambdaConfig: LambdaConfigType | undefined): UserPoolType {
  return { ...everyFieldPool(), LambdaConfig: lambdaConfig };
}

/** `LambdaConfig` with the senders of `functions` written as their slots write them. */
function withSenders(config: LambdaConfigType | undefined, functions: TriggerFunctions): LambdaConfigType {
  let next: LambdaConfigType = { ...config };
  for (const trigger of SLOT_ORDER) {
    const arn = functions[trigger];
    if (arn !== undefined) next = TRIGGER_SLOTS[trigger].write(next, arn);
  }
  return next;
}

/** The request fields of `pool`, `LambdaConfig: {}` read as none. */
function requestOf(pool: UserPoolType) {
  const { request } = writableRequestOf(pool);
  if (request.LambdaConfig !== undefined && Object.keys(request.LambdaConfig).length === 0) {
    delete request.LambdaConfig;
  }
  return request;
}

const sendersArbitrary = fc
  .subarray(['CustomEmailSender', 'CustomSMSSender'] as const, { minLength: 1 })
  .map((triggers): TriggerFunctions => Object.fromEntries(triggers.map((t) => [t, SENDERS[t]])));

/**
 * A pool whose key is absent, ours, another key, or an alias ARN (a pool configured elsewhere). Cognito refuses
 * a sender without a key, so a pool without one has no sender.
 */
const poolWithKeyArbitrary = fc
  .tuple(
    poolArbitrary,
    fc.constantFrom(undefined, KEY, OTHER_KEY, `arn:aws:kms:us-east-1:${ACCOUNT}:alias/their-key`),
  )
  .map(([pool, key]): UserPoolType => {
    const { KMSKeyID: _text, ...config } = pool.LambdaConfig ?? {};
    if (key !== undefined) return { ...pool, LambdaConfig: { ...config, KMSKeyID: key } };
    const { CustomEmailSender: _email, CustomSMSSender: _sms, ...plain } = config;
    return { ...pool, LambdaConfig: plain };
  });

describe('Attach: the custom sender slots', () => {
  it.each(['CustomEmailSender', 'CustomSMSSender'] as const)(
    'reads %s from LambdaArn and writes it with LambdaVersion V1_0, leaving every other entry',
    (trigger) => {
      fc.assert(
        fc.property(lambdaConfigArbitrary, (config) => {
          // Prepare
          const slot = TRIGGER_SLOTS[trigger];

          // Act
          const written = slot.write(config, SENDERS[trigger]);
          const emptied = slot.write(written, undefined);

          // Assess
          expect(written[trigger]).toEqual({ LambdaArn: SENDERS[trigger], LambdaVersion: 'V1_0' });
          expect(slot.read(written)).toBe(SENDERS[trigger]);
          expect(slot.read(emptied)).toBeUndefined();
          const { [trigger]: _slot, ...others } = config;
          expect(emptied).toEqual(others);
          expect(slot.usesKey).toBe(true);
        }),
      );
    },
  );

  it('keeps the plain slots as they were: a bare ARN, no key', () => {
    // Act
    const written = TRIGGER_SLOTS.PreSignUp.write({}, OURS.PreSignUp);

    // Assess
    expect(written).toEqual({ PreSignUp: OURS.PreSignUp });
    expect(SLOT_ORDER.filter((trigger) => TRIGGER_SLOTS[trigger].usesKey)).toEqual([
      'CustomEmailSender',
      'CustomSMSSender',
    ]);
    expect(KEY_SLOT.path).toBe('LambdaConfig.KMSKeyID');
  });

  it('accepts a key ARN, single- or multi-Region', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.constantFrom('aws', 'aws-cn', 'aws-us-gov'), (id, partition) => {
        // Act
        const accepted = isKeyArn(`arn:${partition}:kms:eu-west-1:${ACCOUNT}:key/${id}`);

        // Assess
        expect(accepted).toBe(true);
      }),
    );
    expect(isKeyArn(OTHER_KEY)).toBe(true);
  });

  it.each([
    ['a bare key id', '1234abcd-12ab-34cd-56ef-1234567890ab'],
    ['an alias name', 'alias/codes'],
    ['an alias ARN', `arn:aws:kms:us-east-1:${ACCOUNT}:alias/codes`],
    ['another service', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:key`],
    ['an empty string', ''],
  ])('refuses %s as our key', (_what, value) => {
    // Act
    const check = () => checkKmsKeyFor(SENDERS, value);

    // Assess
    expect(check).toThrow(InvalidKmsKeyArnError);
  });

  it('refuses any text that is not a key ARN', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        // Act
        const accepted = isKeyArn(text);

        // Assess
        expect(accepted).toBe(false);
      }),
    );
  });

  it('requires a key with a sender, and refuses one without', () => {
    // Act
    const missing = () => checkKmsKeyFor({ CustomSMSSender: SENDERS.CustomSMSSender }, undefined);
    const needless = () => checkKmsKeyFor({ PreSignUp: OURS.PreSignUp }, KEY);

    // Assess
    expect(missing).toThrow(KmsKeyOptionError);
    expect(missing).toThrow(/CustomSMSSender needs the KMS key/);
    expect(needless).toThrow(KmsKeyOptionError);
    expect(checkKmsKeyFor({ PreSignUp: OURS.PreSignUp }, undefined)).toBeUndefined();
    expect(checkKmsKeyFor(SENDERS, KEY)).toBe(KEY);
  });

  it('records a replaced key as Cognito accepts it (an alias ARN too), and nothing else', () => {
    // Act
    const alias = checkReplacedValues({ KMSKeyID: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/theirs` });
    const bare = () => checkReplacedValues({ KMSKeyID: 'alias/theirs' });

    // Assess
    expect(alias.KMSKeyID).toBe(`arn:aws:kms:us-east-1:${ACCOUNT}:alias/theirs`);
    expect(bare).toThrow(InvalidKmsKeyArnError);
  });
});

describe('Attach: planAttach with custom senders', () => {
  it('writes each sender as { LambdaArn, LambdaVersion: V1_0 } and sets the key, sending the rest back', () => {
    // Prepare
    const pool = poolWith({ PreAuthentication: functionArn('their-pre-authentication') });

    // Act
    const plan = planAttach(pool, SENDERS, { kmsKeyId: KEY });

    // Assess
    expect(plan.request?.LambdaConfig).toEqual({
      PreAuthentication: functionArn('their-pre-authentication'),
      CustomEmailSender: { LambdaArn: SENDERS.CustomEmailSender, LambdaVersion: 'V1_0' },
      CustomSMSSender: { LambdaArn: SENDERS.CustomSMSSender, LambdaVersion: 'V1_0' },
      KMSKeyID: KEY,
    });
    expect(plan.changes.map(({ trigger, from, to }) => [trigger, from, to])).toEqual([
      ['CustomEmailSender', undefined, SENDERS.CustomEmailSender],
      ['CustomSMSSender', undefined, SENDERS.CustomSMSSender],
      ['KMSKeyID', undefined, KEY],
    ]);
    expect(plan.replaced).toEqual({});
    const { LambdaConfig: _config, ...rest } = plan.request ?? {};
    const { LambdaConfig: _before, ...unchanged } = writableRequestOf(pool).request;
    expect(rest).toEqual(unchanged);
  });

  it('refuses a sender without a key before planning anything', () => {
    // Act
    const plan = () => planAttach(poolWith({}), SENDERS);

    // Assess
    expect(plan).toThrow(KmsKeyOptionError);
  });

  it('refuses a pool that holds another key, saying why, and sends nothing', () => {
    // Prepare
    const pool = poolWith({ KMSKeyID: OTHER_KEY });

    // Act
    const plan = planAttach(pool, { ...SENDERS, PreSignUp: OURS.PreSignUp }, { kmsKeyId: KEY });

    // Assess
    expect(plan.request).toBeUndefined();
    expect(plan.changes).toEqual([]);
    expect(plan.refused).toEqual([
      {
        trigger: 'KMSKeyID',
        path: 'LambdaConfig.KMSKeyID',
        current: OTHER_KEY,
        ours: KEY,
        why: expect.stringContaining('encrypted the codes in flight'),
      },
    ]);
  });

  it('with replace, replaces their senders and their key, and returns what they were', () => {
    // Prepare
    const pool = everyFieldPool();

    // Act
    const plan = planAttach(pool, SENDERS, { kmsKeyId: KEY, replace: true });

    // Assess
    expect(plan.replaced).toEqual({
      CustomEmailSender: functionArn('their-email-sender'),
      CustomSMSSender: functionArn('their-sms-sender'),
      KMSKeyID: THEIR_KEY,
    });
    expect(plan.request?.LambdaConfig?.KMSKeyID).toBe(KEY);
  });

  it('lets a replace function decide on the key apart from the slots', () => {
    // Prepare
    const pool = poolWith({ KMSKeyID: OTHER_KEY });

    // Act
    const plan = planAttach(pool, SENDERS, {
      kmsKeyId: KEY,
      replace: (conflict) => conflict.trigger !== 'KMSKeyID',
    });

    // Assess
    expect(plan.refused.map((conflict) => conflict.trigger)).toEqual(['KMSKeyID']);
  });

  it('leaves a key that is already ours, and moves one that is our previous key without asking', () => {
    // Prepare
    const ours = poolWith(withSenders({ KMSKeyID: KEY }, SENDERS));
    const previous = poolWith(withSenders({ KMSKeyID: OTHER_KEY }, SENDERS));

    // Act
    const same = planAttach(ours, SENDERS, { kmsKeyId: KEY });
    const moved = planAttach(previous, SENDERS, { kmsKeyId: KEY, previousKmsKeyId: OTHER_KEY });

    // Assess
    expect(same.request).toBeUndefined();
    expect(moved.refused).toEqual([]);
    expect(moved.replaced).toEqual({});
    expect(moved.changes.map(({ trigger, from, to }) => [trigger, from, to])).toEqual([
      ['KMSKeyID', OTHER_KEY, KEY],
    ]);
  });

  it('predicts the pool an UpdateUserPool with the plan leaves, the senders and key included, for any pool', () => {
    fc.assert(
      fc.property(poolWithKeyArbitrary, sendersArbitrary, (pool, senders) => {
        // Prepare
        const plan = planAttach(pool, senders, { kmsKeyId: KEY, replace: true });

        // Act
        const predicted = poolAfter(pool, plan.changes);

        // Assess
        const sent = updatedPool(pool, plan.request ?? writableRequestOf(pool).request);
        expect(requestOf(predicted)).toEqual(requestOf(sent));
        expect(predicted.LambdaConfig?.KMSKeyID).toBe(KEY);
      }),
    );
  });
});

describe('Attach: planDetach with custom senders', () => {
  it('empties our senders and removes the key the toolkit set, once no sender remains', () => {
    // Prepare
    const before = poolWith({ PreAuthentication: functionArn('their-pre-authentication') });
    const attach = planAttach(before, SENDERS, { kmsKeyId: KEY });
    const attached = updatedPool(before, attach.request ?? writableRequestOf(before).request);

    // Act
    const detach = planDetach(attached, SENDERS, attach.replaced, { kmsKeyId: KEY });

    // Assess
    expect(detach.changes.map(({ trigger, to }) => [trigger, to])).toEqual([
      ['CustomEmailSender', undefined],
      ['CustomSMSSender', undefined],
      ['KMSKeyID', undefined],
    ]);
    expect(requestOf(updatedPool(attached, detach.request ?? writableRequestOf(attached).request))).toEqual(
      requestOf(before),
    );
  });

  it('keeps the key while one of our senders stays', () => {
    // Prepare
    const pool = poolWith(withSenders({ KMSKeyID: KEY }, SENDERS));

    // Act
    const detach = planDetach(pool, { CustomEmailSender: SENDERS.CustomEmailSender }, {}, { kmsKeyId: KEY });

    // Assess
    expect(detach.changes.map(({ trigger }) => trigger)).toEqual(['CustomEmailSender']);
    expect(detach.left).toEqual([]);
  });

  it('puts back their senders and their key', () => {
    // Prepare
    const before = everyFieldPool();
    const attach = planAttach(before, SENDERS, { kmsKeyId: KEY, replace: true });
    const attached = updatedPool(before, attach.request ?? writableRequestOf(before).request);

    // Act
    const detach = planDetach(attached, SENDERS, attach.replaced, { kmsKeyId: KEY });

    // Assess
    expect(detach.request?.LambdaConfig).toEqual(writableRequestOf(before).request.LambdaConfig);
  });

  it('leaves a key that is not ours any more, and says so', () => {
    // Prepare
    const pool = poolWith(withSenders({ KMSKeyID: OTHER_KEY }, SENDERS));

    // Act
    const detach = planDetach(pool, SENDERS, {}, { kmsKeyId: KEY });

    // Assess
    expect(detach.left).toEqual([
      { trigger: 'KMSKeyID', path: 'LambdaConfig.KMSKeyID', current: OTHER_KEY, ours: KEY },
    ]);
    expect(detach.request?.LambdaConfig).toEqual({ KMSKeyID: OTHER_KEY });
  });

  it('after attach, returns the original request fields, for any pool and any of our triggers', () => {
    fc.assert(
      fc.property(poolWithKeyArbitrary, sendersArbitrary, fc.boolean(), (pool, senders, withPreSignUp) => {
        // Prepare
        const ours = withPreSignUp ? { ...senders, PreSignUp: OURS.PreSignUp } : senders;
        const attach = planAttach(pool, ours, { kmsKeyId: KEY, replace: true });
        const attached = updatedPool(pool, attach.request ?? writableRequestOf(pool).request);

        // Act
        const detach = planDetach(attached, ours, attach.replaced, { kmsKeyId: KEY });

        // Assess
        const detached = updatedPool(attached, detach.request ?? writableRequestOf(attached).request);
        expect(requestOf(detached)).toEqual(requestOf(pool));
      }),
    );
  });
});
