import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AttachmentRecord,
  MAX_PHYSICAL_ID_BYTES,
  NOT_ATTACHED,
  physicalIdOf,
  recordOf,
} from '../../../../attach/custom-resource/physical-id.js';
import { AttachError } from '../../../../attach/errors.js';
import { prototypeKeys } from '../../../support/arbitraries.js';
import { functionArn, OURS, THEIRS } from '../pools.js';
import { POOL_ID } from './requests.js';

const PREFIX = 'cognito-sign-up-triggers';

/** Any well-formed user pool id (Region, then letters and digits; at most 55 characters). */
const poolIdArbitrary = fc.stringMatching(/^[a-z]{2}(-[a-z]{1,10}){1,2}-\d{1,2}_[0-9A-Za-z]{1,20}$/);

/** Any Lambda function ARN, in any partition, some with a version or an alias. */
const functionArnArbitrary = fc.stringMatching(
  /^arn:aws(-cn|-us-gov)?:lambda:[a-z]{2}(-[a-z]{1,10}){1,2}-\d{1,2}:\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|\d{1,5}|[A-Za-z0-9_-]{1,128}))?$/,
);

/** Any record attach can make: a pool, and any of our slots replaced. */
const recordArbitrary: fc.Arbitrary<AttachmentRecord> = fc.record({
  userPoolId: poolIdArbitrary,
  replaced: fc.record(
    {
      PreSignUp: functionArnArbitrary,
      CustomMessage: functionArnArbitrary,
      PostConfirmation: functionArnArbitrary,
    },
    { requiredKeys: [] },
  ),
});

/** A function ARN in a Region whose name makes the ARN `length` characters long (valid by Lambda's pattern). */
function arnOfLength(length: number): string {
  const shortest = 'arn:aws:lambda:us--1:123456789012:function:f'.length;
  return `arn:aws:lambda:us-${'a'.repeat(length - shortest)}-1:123456789012:function:f`;
}

describe('Custom resource: physicalIdOf and recordOf', () => {
  it('reads back any record it wrote, within 1 KB', () => {
    fc.assert(
      fc.property(recordArbitrary, (record) => {
        // Prepare
        const expected = structuredClone(record);

        // Act
        const id = physicalIdOf(record);

        // Assess
        expect(recordOf(id)).toEqual(expected);
        expect(Buffer.byteLength(id)).toBeLessThanOrEqual(MAX_PHYSICAL_ID_BYTES);
      }),
    );
  });

  it('writes the pool, then one entry per replaced slot in trigger order', () => {
    // Prepare
    const record = { userPoolId: POOL_ID, replaced: { PostConfirmation: THEIRS[1], PreSignUp: THEIRS[0] } };

    // Act
    const id = physicalIdOf(record);

    // Assess
    expect(id).toBe(`${PREFIX}|${POOL_ID}|PreSignUp=${THEIRS[0]}|PostConfirmation=${THEIRS[1]}`);
  });

  it('records a pool where nothing was replaced', () => {
    // Prepare
    const record = { userPoolId: POOL_ID, replaced: {} };

    // Act
    const id = physicalIdOf(record);

    // Assess
    expect({ id, record: recordOf(id) }).toEqual({ id: `${PREFIX}|${POOL_ID}`, record });
  });

  it('fits three of the longest function ARNs Lambda names in the usual Regions', () => {
    // Prepare
    const longest = (trigger: string) =>
      `arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:${trigger.padEnd(64, 'x')}:${'a'.repeat(128)}`;
    const record = {
      userPoolId: `us-gov-west-1_${'A'.repeat(41)}`,
      replaced: {
        PreSignUp: longest('PreSignUp'),
        CustomMessage: longest('CustomMessage'),
        PostConfirmation: longest('PostConfirmation'),
      },
    };

    // Act
    const id = physicalIdOf(record);

    // Assess
    expect(recordOf(id)).toEqual(record);
  });

  it('accepts a record of exactly 1 KB and refuses one byte more, before anything else, as an AttachError', () => {
    // Prepare
    const head = `${PREFIX}|${POOL_ID}|PreSignUp=`.length;
    const fits = { userPoolId: POOL_ID, replaced: { PreSignUp: arnOfLength(MAX_PHYSICAL_ID_BYTES - head) } };
    const tooLong = {
      userPoolId: POOL_ID,
      replaced: { PreSignUp: arnOfLength(MAX_PHYSICAL_ID_BYTES - head + 1) },
    };

    // Act
    const write = () => physicalIdOf(tooLong);

    // Assess
    expect(Buffer.byteLength(physicalIdOf(fits))).toBe(MAX_PHYSICAL_ID_BYTES);
    expect(write).toThrow(AttachError);
    expect(write).toThrow(/1 KB.*nothing was changed/);
  });

  it.each([
    ['NOT_ATTACHED', NOT_ATTACHED],
    [
      "a log stream name (CloudFormation's helpers answer one)",
      '2026/01/02/[$LATEST]0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    ],
    ['an empty id', ''],
    ['the prefix alone', PREFIX],
    ['another resource of the stack', `sign-up-TriggerAttachment-1A2B3C4D5E6F|${POOL_ID}`],
    ['a malformed pool id', `${PREFIX}|us-east-1-AbC123`],
    ['an entry without "="', `${PREFIX}|${POOL_ID}|PreSignUp`],
    ['an entry without a trigger', `${PREFIX}|${POOL_ID}|=${THEIRS[0]}`],
    [
      'an entry that is no function ARN',
      `${PREFIX}|${POOL_ID}|PreSignUp=arn:aws:sns:us-east-1:123456789012:t`,
    ],
    ['a trigger the toolkit does not have', `${PREFIX}|${POOL_ID}|PreAuthentication=${THEIRS[0]}`],
    ['an empty entry', `${PREFIX}|${POOL_ID}|PreSignUp=${THEIRS[0]}|`],
    ...prototypeKeys.map((key): [string, string] => [
      `an entry named ${key}`,
      `${PREFIX}|${POOL_ID}|${key}=${THEIRS[0]}`,
    ]),
  ])('reads %s as no record', (_case, id) => {
    // Prepare
    const physicalId = id;

    // Act
    const record = recordOf(physicalId);

    // Assess
    expect(record).toBeUndefined();
  });

  it('never throws, whatever the id, and reads only well-formed records', () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom(PREFIX, POOL_ID, 'not-attached', 'PreSignUp=', '=', OURS.PreSignUp, functionArn('x:1')),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(piece, { maxLength: 5 }).map((parts) => parts.join('|')),
        ),
        (id) => {
          // Prepare
          const physicalId = id;

          // Act
          const record = recordOf(physicalId);

          // Assess
          if (record !== undefined) expect(physicalIdOf(record)).toBe(physicalId);
        },
      ),
    );
  });
});
