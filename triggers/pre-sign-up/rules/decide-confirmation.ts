/**
 * Rule 7 of pre sign-up, `decideConfirmation`: whether the new user is confirmed and their email verified — only with
 * proof (contract §2 rules 1–6; KIT: never auto-verify a self-asserted email).
 *
 * | source | proof | autoConfirmUser | autoVerifyEmail |
 * |---|---|---|---|
 * | `PreSignUp_SignUp` | a valid invite bound to the event's normalised email (rule 5) | true | true, unless the alias guard objects |
 * | `PreSignUp_SignUp` | none, but the email is in `AUTO_CONFIRM_DOMAINS` | true | false, always |
 * | `PreSignUp_ExternalProvider` | a provider in `TRUSTED_EMAIL_PROVIDERS` mapped `email_verified` = `"true"` | true | true, unless the alias guard objects |
 * | `PreSignUp_AdminCreateUser` | — | skipped: Cognito ignores the flags (contract §2 rule 3) | |
 *
 * `autoVerifyPhone` is never set: nothing here proves control of a phone number.
 *
 * Federated users: the API reference says "Users who federate through an external identity provider (IdP)
 * have already been confirmed by their IdP" (ConfirmSignUp / AdminConfirmSignUp, [D]); their status is
 * `EXTERNAL_PROVIDER`. Users report that `autoVerifyEmail` set for `PreSignUp_ExternalProvider` has no
 * visible effect and that `email_verified` follows the provider's attribute mapping, which Cognito rewrites
 * at every sign-in [O, aws-amplify/amplify-js #5287, aws-amplify/amplify-backend #1619, amplify-cli #4427].
 * The flags are still set on proof (harmless where ignored, right where honoured) and still guarded.
 */

import {
  type CognitoClientProvider,
  defaultCognitoClient,
  listUsersByEmail,
} from '../../../shared/cognito-client.js';
import { type Env, readChoice, readList } from '../../../shared/config.js';
import {
  domainEntriesOf,
  domainMatches,
  type NormalizedEmail,
  normalizeEmail,
} from '../../../shared/email.js';
import type { PreSignUpEvent } from '../../../shared/event-types.js';
import type { Rule, RuleContext, RuleOutcome } from '../../../shared/handler-core.js';
import { maskEmail } from '../../../shared/mask.js';
import { logger } from '../../../shared/observability.js';
import { OptionsError } from '../../../shared/options.js';
import { declareSettings, SettingValue } from '../../../shared/settings.js';
import { TriggerSource } from '../../../shared/trigger-source.js';
import { emailOf } from '../email-attribute.js';
import {
  checkTrustedProviders,
  defaultTrustedEmailProviders,
  trustedEmailProvidersFromEnv,
  trustedIdentityProofOf,
} from '../identity-provider.js';
import { emailProofOf, recordEmailProof } from '../proof.js';

/** How the rule makes sure verifying an email does not take it from another user (contract §2 rule 2). */
export const AliasGuard = {
  /** ListUsers by email first; any other user with the address stops `autoVerifyEmail`. */
  ListUsers: 'list-users',
  /** No lookup (no Cognito call, no IAM permission): only for pools where email is not an alias. */
  Off: 'off',
} as const;

/** One of {@link AliasGuard}'s values. */
export type AliasGuard = (typeof AliasGuard)[keyof typeof AliasGuard];

/** Options of {@link decideConfirmation}. */
export type DecideConfirmationOptions = {
  /**
   * Domain entries (`example.com`, or `*.example.com` for sub-domains only) whose self sign-ups are
   * confirmed WITHOUT proof and never verified: anyone can sign up as anyone@that-domain.
   */
  autoConfirmDomains?: readonly string[];
  /** Identity providers whose `email_verified` is believed, as named in the pool. */
  trustedEmailProviders?: readonly string[];
  /** `list-users` (default) or `off`. */
  aliasGuard?: AliasGuard;
};

/** What the rule calls out to: a lazy Cognito client getter, used only by the alias guard. */
export type DecideConfirmationDependencies = {
  cognito: CognitoClientProvider;
};

const defaults = {
  autoConfirmDomains: [] as readonly string[],
  trustedEmailProviders: defaultTrustedEmailProviders,
  aliasGuard: AliasGuard.ListUsers as AliasGuard,
};

const defaultDependencies: DecideConfirmationDependencies = { cognito: defaultCognitoClient };

const aliasGuards: readonly string[] = Object.values(AliasGuard);

// Two are enough to see another user even if the new user itself were listed.
const GUARD_LIMIT = 2;

function sameUser(event: PreSignUpEvent, username: string, sub: string | undefined): boolean {
  // Exactly: in a case-sensitive pool (the API's default) `Alice` is another user than `alice`; where the pool
  // ignores case, a listed self spelled otherwise only withholds the verification (fails closed).
  if (username === event.userName) return true;
  const attributes = event.request.userAttributes;
  const ownSub = Object.hasOwn(attributes, 'sub') ? attributes.sub : undefined;
  return typeof ownSub === 'string' && ownSub !== '' && ownSub === sub;
}

/**
 * Auto-confirms and auto-verifies only with proof: an invite bound to the email (recorded by
 * `requireInvite`) or a trusted identity provider's `email_verified`. `AUTO_CONFIRM_DOMAINS` confirms
 * without verifying. Before verifying, the alias guard looks for another user holding the address.
 *
 * @example
 * const rule = decideConfirmation({ autoConfirmDomains: ['example.com'], aliasGuard: 'list-users' });
 * // PreSignUp_SignUp with a valid invite for jane@example.com: autoConfirmUser and autoVerifyEmail true
 * // PreSignUp_SignUp from bob@example.com without an invite: autoConfirmUser true, autoVerifyEmail false
 */
export function decideConfirmation(
  options: DecideConfirmationOptions = {},
  dependencies: DecideConfirmationDependencies = defaultDependencies,
): Rule<PreSignUpEvent> {
  const settings = { ...defaults, ...options };
  const domains = domainEntriesOf(settings.autoConfirmDomains, 'autoConfirmDomains');
  const trusted = checkTrustedProviders(settings.trustedEmailProviders);
  if (!aliasGuards.includes(settings.aliasGuard)) {
    throw new OptionsError('aliasGuard', `one of ${aliasGuards.join(', ')}`);
  }
  if (typeof dependencies.cognito !== 'function') {
    throw new OptionsError('dependencies.cognito', 'a function');
  }

  /** Whether verifying `email` could take it from another user; a failed lookup throws (fail closed). */
  async function emailHeldByAnother(
    event: PreSignUpEvent,
    raw: string,
    email: NormalizedEmail,
    context: RuleContext,
  ): Promise<boolean> {
    if (settings.aliasGuard === AliasGuard.Off) return false;
    const found = await listUsersByEmail(await dependencies.cognito(event.region), {
      userPoolId: event.userPoolId,
      // Both spellings: whether the `email` filter ignores case is undocumented [I].
      emails: [raw, email.address],
      limit: GUARD_LIMIT,
      attributesToGet: ['sub'],
      signal: context.signal,
    });
    if (!found.complete) {
      // An address too long for the 256-character filter cannot be checked: unsure means no verification.
      logger.warn('alias guard: email not checkable', { rule: 'decideConfirmation', email: maskEmail(raw) });
      return true;
    }
    const held = found.users.some((user) => !sameUser(event, user.username, user.attributes.get('sub')));
    if (held) logger.warn('alias guard: email in use', { rule: 'decideConfirmation', email: maskEmail(raw) });
    return held;
  }

  async function decideSignUp(event: PreSignUpEvent, context: RuleContext): Promise<RuleOutcome> {
    const raw = emailOf(event);
    const email = raw === undefined ? undefined : normalizeEmail(raw);
    // No sane email: nothing can be proved, and `autoVerifyEmail` would fail the sign-up (contract §2 rule 1).
    if (raw === undefined || email === undefined) return 'pass';
    const proof = emailProofOf(event);
    if (proof?.kind === 'invite' && proof.email === email.address) {
      const verify = !(await emailHeldByAnother(event, raw, email, context));
      event.response.autoConfirmUser = true;
      if (verify) event.response.autoVerifyEmail = true;
      return 'changed';
    }
    if (domains.some((entry) => domainMatches(email.domain, entry))) {
      // Confirmed, never verified: the address is self-asserted (KIT).
      event.response.autoConfirmUser = true;
      return 'changed';
    }
    return 'pass';
  }

  async function decideExternalProvider(event: PreSignUpEvent, context: RuleContext): Promise<RuleOutcome> {
    const identity = trustedIdentityProofOf(event, trusted);
    const raw = emailOf(event);
    const email = raw === undefined ? undefined : normalizeEmail(raw);
    if (identity === undefined || raw === undefined || email === undefined) return 'pass';
    recordEmailProof(event, identity.proof);
    const verify = !(await emailHeldByAnother(event, raw, email, context));
    event.response.autoConfirmUser = true;
    if (verify) event.response.autoVerifyEmail = true;
    return 'changed';
  }

  return async function decideConfirmation(event, context) {
    switch (event.triggerSource) {
      case TriggerSource.PreSignUpSignUp:
        return decideSignUp(event, context);
      case TriggerSource.PreSignUpExternalProvider:
        return decideExternalProvider(event, context);
      default:
        // AdminCreateUser: Cognito ignores all three flags (contract §2 rule 3). A source nobody
        // documented (user migration, contract §2) never gains a flag either.
        return 'skipped';
    }
  };
}

/**
 * Whether an environment keeps the alias guard's ListUsers on (`ALIAS_GUARD`, on unless `off`): for tools that
 * must know it without configuring the rule (local/record.ts).
 */
export function aliasGuardOn(env: Env): boolean {
  return env.ALIAS_GUARD?.trim() !== AliasGuard.Off;
}

/**
 * The options from `AUTO_CONFIRM_DOMAINS` (read as written: the factory checks and normalises the entries),
 * `TRUSTED_EMAIL_PROVIDERS` and `ALIAS_GUARD`; this rule always runs.
 *
 * @throws ConfigurationError naming the variable, for a value that cannot be read.
 */
export function decideConfirmationFromEnv(env: Env): Required<DecideConfirmationOptions> {
  return {
    autoConfirmDomains: readList(env, 'AUTO_CONFIRM_DOMAINS'),
    trustedEmailProviders: trustedEmailProvidersFromEnv(env),
    aliasGuard: readChoice(env, 'ALIAS_GUARD', [AliasGuard.ListUsers, AliasGuard.Off], AliasGuard.ListUsers),
  };
}

/** What {@link decideConfirmation} reads (shared/settings.ts). */
export const decideConfirmationSettings = declareSettings({
  owner: 'decideConfirmation',
  variables: [
    { name: 'AUTO_CONFIRM_DOMAINS', option: 'autoConfirmDomains', value: SettingValue.EmailDomains },
    {
      name: 'TRUSTED_EMAIL_PROVIDERS',
      option: 'trustedEmailProviders',
      value: SettingValue.IdentityProviders,
    },
    {
      name: 'ALIAS_GUARD',
      option: 'aliasGuard',
      calls: { service: 'cognito-idp', offline: { value: 'off', says: 'the alias guard off' } },
    },
  ],
});
