/**
 * User pools for the custom resource's lifecycle tests: a pool with every field set that `UpdateUserPool`
 * hands back unchanged (none of the fields attach deliberately does not send), so a test can compare the
 * whole pool before and after; and that pool with some trigger slots set.
 */
import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { SLOT_ORDER, TRIGGER_SLOTS, type TriggerFunctions } from '../../../../attach/trigger-slots.js';
import { everyFieldPool } from '../pools.js';

/**
 * {@link everyFieldPool} without the values attach/pool-fields.ts does not send back (the deprecated
 * top-level verification messages, the legacy `UnusedAccountValidityDays`, the ACR levels' default names).
 */
export function plainPool(overrides: Partial<UserPoolType> = {}): UserPoolType {
  const {
    SmsVerificationMessage: _sms,
    EmailVerificationMessage: _email,
    EmailVerificationSubject: _subject,
    ...pool
  } = everyFieldPool();
  const { UnusedAccountValidityDays: _legacy, ...adminCreateUserConfig } = pool.AdminCreateUserConfig ?? {};
  return {
    ...pool,
    AdminCreateUserConfig: adminCreateUserConfig,
    AcrConfiguration: { Level2: { AcrValue: 'urn:example:mfa' } },
    ...overrides,
  };
}

/** {@link plainPool} with its `LambdaConfig` extended by `slots` (each written as its slot writes it). */
export function poolWithSlots(slots: TriggerFunctions, overrides: Partial<UserPoolType> = {}): UserPoolType {
  const pool = plainPool(overrides);
  let lambdaConfig = pool.LambdaConfig;
  for (const trigger of SLOT_ORDER) {
    const arn = slots[trigger];
    if (arn !== undefined) lambdaConfig = TRIGGER_SLOTS[trigger].write(lambdaConfig, arn);
  }
  return { ...pool, LambdaConfig: lambdaConfig };
}
