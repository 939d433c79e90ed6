/**
 * Rule 5 of pre sign-up, invitations: a signed invite in ValidationData key `invite` (see shared/invite.ts
 * for the token) proves the person signing up was invited at that email address. `INVITE_ONLY=true` makes one mandatory
 * for self sign-up. Only `PreSignUp_SignUp` carries a caller's ValidationData worth checking: an admin
 * already decided on AdminCreateUser, and a federated first sign-in has none (contract §2).
 */
import { ValidationDataFields, ValidationDataKey } from '../../../shared/caller-keys.js';
import { type Env, readBoolean, readChoice } from '../../../shared/config.js';
import { ConfigurationError, SignUpRejection } from '../../../shared/errors.js';
import type { PreSignUpEvent } from '../../../shared/event-types.js';
import type { Rule } from '../../../shared/handler-core.js';
import { type InviteFailureReason, InviteLimits, verifyInvite } from '../../../shared/invite.js';
import { maskEmail } from '../../../shared/mask.js';
import { createMetadataReader } from '../../../shared/metadata.js';
import { logger as sharedLogger } from '../../../shared/observability.js';
import { checkWhole, OptionsError } from '../../../shared/options.js';
import { type SecretSource, secretSourceFromEnv } from '../../../shared/secret.js';
import { CallerValue, declareSettings, SettingValue } from '../../../shared/settings.js';
import { TriggerSource } from '../../../shared/trigger-source.js';
import { recordEmailProof } from '../proof.js';

/** Self sign-up without an invite while `INVITE_ONLY` is on. */
export class InviteRequiredError extends SignUpRejection {
  public constructor(options?: ErrorOptions) {
    super('INVITE_REQUIRED', options);
    this.name = 'InviteRequiredError';
  }
}

/** An invite that is forged, altered, expired or bound to another email. The reason never reaches the user. */
export class InviteInvalidError extends SignUpRejection {
  public readonly reason: InviteFailureReason;

  public constructor(reason: InviteFailureReason, options?: ErrorOptions) {
    super('INVITE_INVALID', options);
    this.name = 'InviteInvalidError';
    this.reason = reason;
  }
}

/** Options of {@link requireInvite}. */
export type RequireInviteOptions = {
  /** A valid invite is mandatory for `PreSignUp_SignUp`. Needs `secrets`. */
  inviteOnly?: boolean;
  /**
   * With `inviteOnly`, what a federated first sign-in gets (it can carry no ValidationData): `reject`
   * (default: an invite-only pool stays closed to every Google account) or `allow`.
   */
  inviteOnlyExternal?: 'reject' | 'allow';
  /** Where the HMAC secrets come from; none means invites are not accepted (a sent one is ignored). */
  secrets?: SecretSource;
  /** Seconds an invite stays valid past its expiry, for clock drift. */
  clockSkewSeconds?: number;
  /** The current time; tests fix it. */
  now?: () => Date;
  logger?: Pick<typeof sharedLogger, 'info' | 'warn'>;
};

const defaults = {
  inviteOnly: false,
  inviteOnlyExternal: 'reject' as 'reject' | 'allow',
  clockSkewSeconds: InviteLimits.defaultClockSkewSeconds,
  now: () => new Date(),
};

// The field apps are told (shared/caller-keys.ts). The empty string, which forms send for an empty field,
// counts as no invite.
const readValidationData = createMetadataReader('validationData', {
  [ValidationDataKey.Invite]: ValidationDataFields.invite,
});

/**
 * Checks the invite in ValidationData `invite` on self sign-up, and records a valid one as proof of the
 * email for the confirmation rule. Rejects with `INVITE_REQUIRED` (none while invite-only) or
 * `INVITE_INVALID` (forged, expired, for another email); the secret store being down is a fault.
 *
 * @throws OptionsError naming the option: `inviteOnly` set without `secrets`, or an option out of range.
 * @example
 * requireInvite({
 *   inviteOnly: true,
 *   secrets: createSecretSource({ ssmParameter: '/cognito/invite-secret' }, { minBytes: 32 }),
 * });
 */
export function requireInvite(options: RequireInviteOptions = {}): Rule<PreSignUpEvent> {
  const settings = { ...defaults, ...options };
  if (typeof settings.inviteOnly !== 'boolean') throw new OptionsError('inviteOnly', 'a boolean');
  if (settings.inviteOnly && settings.secrets === undefined) {
    // An invite cannot be checked without a secret.
    throw new OptionsError('inviteOnly', 'false unless secrets is given');
  }
  const clockSkewSeconds = checkWhole('clockSkewSeconds', settings.clockSkewSeconds, { min: 0, max: 3600 });
  const log = settings.logger ?? sharedLogger;
  if (settings.inviteOnlyExternal !== 'reject' && settings.inviteOnlyExternal !== 'allow') {
    throw new OptionsError('inviteOnlyExternal', '"reject" or "allow"');
  }
  const { inviteOnly, inviteOnlyExternal, secrets, now } = settings;

  return async function requireInvite(event, context) {
    if (event.triggerSource === TriggerSource.PreSignUpExternalProvider) {
      // A federated first sign-in is a self sign-up too. Linking to an existing (invited) account runs
      // before this rule and stops the chain with ACCOUNT_LINKED.
      if (inviteOnly && inviteOnlyExternal === 'reject') throw new InviteRequiredError();
      return 'skipped';
    }
    if (event.triggerSource !== TriggerSource.PreSignUpSignUp) return 'skipped';
    const invite = readValidationData(event.request.validationData)[ValidationDataKey.Invite];
    if (invite === undefined || invite === '') {
      if (inviteOnly) throw new InviteRequiredError();
      return 'pass';
    }
    if (secrets === undefined) {
      log.warn('invite ignored: no invite secret is configured', { triggerSource: event.triggerSource });
      return 'pass';
    }
    // A fault (SecretUnavailableError) when the store is down and nothing is cached: SIGNUP_UNAVAILABLE.
    const accepted = await secrets.get(context.deadline, context.signal);
    const email = event.request.userAttributes.email;
    const result = verifyInvite(invite, {
      email: typeof email === 'string' ? email : '',
      secrets: accepted,
      userPoolId: event.userPoolId,
      now: now(),
      clockSkewSeconds,
    });
    if (!result.ok) {
      log.info('invite rejected', { reason: result.reason, email: maskEmail(email) });
      throw new InviteInvalidError(result.reason);
    }
    // Proof only: the confirmation rule decides what it grants (never ValidationData by itself).
    recordEmailProof(event, { kind: 'invite', email: result.email, claims: result.claims });
    return 'pass';
  };
}

/**
 * The options read from `INVITE_ONLY` (default false), `INVITE_ONLY_EXTERNAL` (`reject` or `allow`) and the
 * invite secret: `INVITE_SECRET`, `INVITE_SECRET_SSM_PARAMETER` or `INVITE_SECRET_ARN` (none: invites are not
 * accepted), cached for `INVITE_SECRET_CACHE_SECONDS` (default 300). The rule is always on (it records a sent
 * invite as proof even when invites are optional).
 *
 * @throws {ConfigurationError} for a bad value, or `INVITE_ONLY=true` with no secret (checked here, where the
 * message can name the three secret variables).
 */
export function requireInviteFromEnv(env: Env): RequireInviteOptions {
  const inviteOnly = readBoolean(env, 'INVITE_ONLY', false);
  const inviteOnlyExternal = readChoice(env, 'INVITE_ONLY_EXTERNAL', ['reject', 'allow'], 'reject');
  const secrets = secretSourceFromEnv(env, 'INVITE_SECRET', { minBytes: InviteLimits.minSecretBytes });
  if (inviteOnly && secrets === undefined) {
    throw new ConfigurationError(
      'INVITE_ONLY',
      '"false" unless INVITE_SECRET, INVITE_SECRET_SSM_PARAMETER or INVITE_SECRET_ARN is set',
    );
  }
  return secrets === undefined
    ? { inviteOnly, inviteOnlyExternal }
    : { inviteOnly, inviteOnlyExternal, secrets };
}

/** What {@link requireInvite} reads (shared/settings.ts). */
export const requireInviteSettings = declareSettings({
  owner: 'requireInvite',
  variables: [
    { name: 'INVITE_ONLY', option: 'inviteOnly', value: SettingValue.Boolean },
    { name: 'INVITE_ONLY_EXTERNAL', option: 'inviteOnlyExternal' },
    // A recording replaces the run's secret with this one and re-signs the invites it holds (local/record.ts).
    {
      name: 'INVITE_SECRET',
      value: SettingValue.InviteSecrets,
      secret: {
        fake: 'recorded-fake-invite-secret-not-for-production-0001',
        says: 'a fake invite secret (invites re-signed with it)',
      },
    },
    { name: 'INVITE_SECRET_SSM_PARAMETER', secret: true },
    { name: 'INVITE_SECRET_ARN', secret: true },
    { name: 'INVITE_SECRET_CACHE_SECONDS' },
  ],
  validationData: [{ key: ValidationDataKey.Invite, value: CallerValue.Invite }],
});
