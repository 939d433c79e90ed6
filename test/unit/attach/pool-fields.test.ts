import {
  UpdateUserPoolRequest$,
  type UserPoolType,
  UserPoolType$,
} from '@aws-sdk/client-cognito-identity-provider';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { poolDifferences } from '../../../attach/diff-pools.js';
import { UnknownPoolFieldError } from '../../../attach/errors.js';
import {
  assertKnownFields,
  isVolatileField,
  REQUEST_FIELDS,
  USER_POOL_FIELDS,
  writableRequestOf,
} from '../../../attach/pool-fields.js';
import { everyFieldPool, poolArbitrary, updatedPool } from './pools.js';

/** The member names of one of the SDK's structure schemas (`[3, namespace, name, traits, members, …]`). */
function membersOf(schema: unknown): string[] {
  return [...((schema as unknown[])[4] as string[])].sort();
}

describe('Attach: the field tables', () => {
  it("name every member of the SDK's UserPoolType, at run time as the compiler does", () => {
    // Prepare
    const sdk = membersOf(UserPoolType$);

    // Act
    const known = Object.keys(USER_POOL_FIELDS).sort();

    // Assess
    expect(known).toEqual(sdk);
  });

  it("copy every member of the SDK's UpdateUserPoolRequest", () => {
    // Prepare
    const sdk = membersOf(UpdateUserPoolRequest$);

    // Act
    const copied = [...REQUEST_FIELDS].sort();

    // Assess
    expect(copied).toEqual(sdk);
  });

  it('fill every request field from exactly one pool field', () => {
    // Prepare
    const roles = Object.values(USER_POOL_FIELDS);

    // Act
    const sources = roles.flatMap((role) => ('sentAs' in role ? [role.sentAs] : [])).sort();

    // Assess
    expect(sources).toEqual([...REQUEST_FIELDS].sort());
  });

  it.each([
    ['LastModifiedDate', true],
    ['EstimatedNumberOfUsers', true],
    ['CreationDate', false],
    ['LambdaConfig', false],
    ['NoSuchField', false],
  ])('call %s volatile: %s', (field, volatile) => {
    // Prepare
    const name = field;

    // Act
    const answer = isVolatileField(name);

    // Assess
    expect(answer).toBe(volatile);
  });
});

describe('Attach: writableRequestOf', () => {
  it('sends every writable field of a pool back as it was, with the documented exceptions', () => {
    // Prepare
    const pool = everyFieldPool();

    // Act
    const { request } = writableRequestOf(pool);

    // Assess
    const { UnusedAccountValidityDays: _legacy, ...adminCreateUserConfig } = pool.AdminCreateUserConfig ?? {};
    expect(request).toEqual({
      UserPoolId: pool.Id,
      PoolName: pool.Name,
      Policies: pool.Policies,
      DeletionProtection: pool.DeletionProtection,
      LambdaConfig: pool.LambdaConfig,
      AutoVerifiedAttributes: pool.AutoVerifiedAttributes,
      VerificationMessageTemplate: pool.VerificationMessageTemplate,
      SmsAuthenticationMessage: pool.SmsAuthenticationMessage,
      UserAttributeUpdateSettings: pool.UserAttributeUpdateSettings,
      MfaConfiguration: pool.MfaConfiguration,
      DeviceConfiguration: pool.DeviceConfiguration,
      EmailConfiguration: pool.EmailConfiguration,
      SmsConfiguration: pool.SmsConfiguration,
      UserPoolTags: pool.UserPoolTags,
      AdminCreateUserConfig: adminCreateUserConfig,
      UserPoolAddOns: pool.UserPoolAddOns,
      AccountRecoverySetting: pool.AccountRecoverySetting,
      UserPoolTier: pool.UserPoolTier,
      KeyConfiguration: pool.KeyConfiguration,
      IssuerConfiguration: pool.IssuerConfiguration,
      AcrConfiguration: { Level2: { AcrValue: 'urn:example:mfa' } },
    });
  });

  it('says which values it does not send as read, and why', () => {
    // Prepare
    const pool = everyFieldPool();

    // Act
    const { adjustments } = writableRequestOf(pool);

    // Assess
    expect(adjustments.map((adjustment) => adjustment.field)).toEqual([
      'SmsVerificationMessage',
      'EmailVerificationMessage',
      'EmailVerificationSubject',
      'AdminCreateUserConfig.UnusedAccountValidityDays',
      'DcrConfiguration',
      'AcrConfiguration.Level1',
      'AcrConfiguration.Level3',
      'AcrConfiguration.Level4',
    ]);
  });

  it.each<[string, UserPoolType, Partial<Record<string, unknown>>]>([
    [
      'a deprecated message the template does not hold',
      {
        Id: 'us-east-1_A',
        SmsVerificationMessage: 'Code {####}',
        VerificationMessageTemplate: { EmailMessage: 'x' },
      },
      { SmsVerificationMessage: 'Code {####}', VerificationMessageTemplate: { EmailMessage: 'x' } },
    ],
    [
      'the deprecated messages of a pool without a template',
      { Id: 'us-east-1_A', EmailVerificationMessage: 'Code {####}', EmailVerificationSubject: 'Hi' },
      { EmailVerificationMessage: 'Code {####}', EmailVerificationSubject: 'Hi' },
    ],
    [
      'UnusedAccountValidityDays when the password policy has no TemporaryPasswordValidityDays',
      {
        Id: 'us-east-1_A',
        AdminCreateUserConfig: { UnusedAccountValidityDays: 9 },
        Policies: { PasswordPolicy: {} },
      },
      { AdminCreateUserConfig: { UnusedAccountValidityDays: 9 }, Policies: { PasswordPolicy: {} } },
    ],
    [
      'threat protection turned off, with its feature plan',
      { Id: 'us-east-1_A', UserPoolAddOns: { AdvancedSecurityMode: 'OFF' }, UserPoolTier: 'LITE' },
      { UserPoolAddOns: { AdvancedSecurityMode: 'OFF' }, UserPoolTier: 'LITE' },
    ],
    [
      'an ACR level that is not a default name, and no other',
      { Id: 'us-east-1_A', AcrConfiguration: { Level1: { AcrValue: 'urn:cognito:loa:2' } } },
      { AcrConfiguration: { Level1: { AcrValue: 'urn:cognito:loa:2' } } },
    ],
  ])('sends %s', (_case, pool, expected) => {
    // Prepare
    const input = structuredClone(pool);

    // Act
    const { request } = writableRequestOf(input);

    // Assess
    expect(request).toEqual({ UserPoolId: 'us-east-1_A', ...expected });
  });

  it('leaves out AcrConfiguration when every level has its default name', () => {
    // Prepare
    const pool: UserPoolType = {
      Id: 'us-east-1_A',
      AcrConfiguration: {
        Level1: { AcrValue: 'urn:cognito:loa:1' },
        Level2: { AcrValue: 'urn:cognito:loa:2' },
      },
    };

    // Act
    const { request } = writableRequestOf(pool);

    // Assess
    expect(request).toEqual({ UserPoolId: 'us-east-1_A' });
  });

  it('leaves every field as it was when sent back, but the values its adjustments name, for any pool', () => {
    fc.assert(
      fc.property(poolArbitrary, (pool) => {
        // Prepare
        const { request, adjustments } = writableRequestOf(pool);
        const adjusted = adjustments.map((adjustment) => adjustment.field);

        // Act
        const sent = updatedPool(pool, request);

        // Assess
        const lost = poolDifferences(pool, sent).filter(
          ({ path, after }) =>
            after !== undefined || !adjusted.some((field) => path === field || path.startsWith(`${field}.`)),
        );
        expect(lost).toEqual([]);
      }),
    );
  });

  it('returns a copy: changing the request leaves the pool as it was', () => {
    // Prepare
    const pool = everyFieldPool();
    const { request } = writableRequestOf(pool);

    // Act
    if (request.LambdaConfig !== undefined) request.LambdaConfig.PreSignUp = 'changed';
    if (request.UserPoolTags !== undefined) request.UserPoolTags.team = 'changed';

    // Assess
    expect(pool).toEqual(everyFieldPool());
  });
});

describe('Attach: assertKnownFields', () => {
  it('accepts a pool with every field of the SDK', () => {
    // Prepare
    const pool = everyFieldPool();

    // Act
    const check = () => assertKnownFields(pool);

    // Assess
    expect(check).not.toThrow();
  });

  it('refuses a pool with fields it does not know, naming each', () => {
    // Prepare
    const pool = { ...everyFieldPool(), PasskeyConfiguration: { Enabled: true }, Zeta: 1 } as UserPoolType;

    // Act
    const check = () => assertKnownFields(pool);

    // Assess
    expect(check).toThrow(
      expect.objectContaining({ name: 'UnknownPoolFieldError', fields: ['PasskeyConfiguration', 'Zeta'] }),
    );
    expect(check).toThrow(UnknownPoolFieldError);
  });
});
