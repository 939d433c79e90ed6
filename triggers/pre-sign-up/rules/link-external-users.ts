/**
 * Rule 4 of pre sign-up, `linkExternalUsers` (`LINK_EXTERNAL_USERS=true`): on a federated user's first
 * sign-in, links the provider identity to the existing native user with the same email, so one person keeps one account.
 * Only when both sides proved the address: a trusted provider asserted `email_verified` = `"true"`, and the
 * native user is `CONFIRMED` with `email_verified` = `"true"`. Never guesses between two candidates.
 *
 * First sign-in after a link made here. AdminLinkProviderForUser "allows you to create a link from the
 * existing user account to an external federated user identity that has not yet been used to sign in"
 * [D, API reference]. Made from inside pre sign-up, that first sign-in is already creating the federated
 * user `<Provider>_<id>`; users report that it then fails with `Already found an entry for username
 * <Provider>_<id>` and that the next sign-in works, as the linked native user, without pre sign-up running
 * again [O, aws-amplify/amplify-flutter #1716 (an Amplify maintainer's investigation, labelled
 * service-team), aws-amplify/amplify-js #9976, aws-amplify/amplify-js #565]. The maintainer's advice there
 * is to throw a recognisable error after linking and ask the user to sign in again. Hence the default
 * `LINK_FIRST_SIGN_IN=reject`: the user reads `ACCOUNT_LINKED: Your accounts have been linked. Please sign
 * in again.` instead of Cognito's error. `continue` lets Cognito carry on, for pools where it has been
 * seen to cope [I: not documented either way].
 *
 * Retries: Cognito retries a pre sign-up that timed out (contract §6), so a second run may find the link
 * already made. The native user's `identities` attribute (as ListUsers returns it) then lists the identity,
 * and the rule does not link again [I: the attribute's JSON shape follows the AdminGetUser sample].
 */
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  type CognitoClientProvider,
  CognitoRequestError,
  defaultCognitoClient,
  listUsersByEmail,
  loadCognitoSdk,
  type PoolUser,
} from '../../../shared/cognito-client.js';
import { type Env, readBoolean, readChoice } from '../../../shared/config.js';
import { normalizeEmail } from '../../../shared/email.js';
import { SignUpRejection } from '../../../shared/errors.js';
import type { PreSignUpEvent } from '../../../shared/event-types.js';
import type { Rule, RuleContext } from '../../../shared/handler-core.js';
import { maskEmail } from '../../../shared/mask.js';
import { logger } from '../../../shared/observability.js';
import { OptionsError } from '../../../shared/options.js';
import { declareSettings, SettingValue } from '../../../shared/settings.js';
import { TriggerSource } from '../../../shared/trigger-source.js';
import { emailOf } from '../email-attribute.js';
import {
  checkTrustedProviders,
  defaultTrustedEmailProviders,
  type ExternalIdentity,
  type TrustedIdentity,
  trustedEmailProvidersFromEnv,
  trustedIdentityProofOf,
} from '../identity-provider.js';
import { recordEmailProof } from '../proof.js';

/** What happens to the first sign-in that made the link. */
export const FirstSignIn = {
  /** Reject with `ACCOUNT_LINKED`; the user signs in again, as the linked native user. */
  Reject: 'reject',
  /** Let Cognito carry on creating the federated user [I]. */
  Continue: 'continue',
} as const;

/** One of {@link FirstSignIn}'s values. */
export type FirstSignIn = (typeof FirstSignIn)[keyof typeof FirstSignIn];

/** Options of {@link linkExternalUsers}. */
export type LinkExternalUsersOptions = {
  /** Identity providers whose `email_verified` is believed, as named in the pool. */
  trustedEmailProviders?: readonly string[];
  /** `reject` (default) or `continue`. */
  firstSignIn?: FirstSignIn;
};

/** What the rule calls out to: a lazy Cognito client getter. */
export type LinkExternalUsersDependencies = {
  cognito: CognitoClientProvider;
};

/** The code of {@link AccountLinkedError}. */
const ACCOUNT_LINKED = 'ACCOUNT_LINKED';

/**
 * The federated identity was linked to an existing account; this first sign-in stops here and the next one
 * signs in as that account. A rejection by construction, though nothing was refused.
 */
export class AccountLinkedError extends SignUpRejection {
  /** The provider name as configured (`Google`). */
  public readonly provider: string;

  public constructor(provider: string, options?: ErrorOptions) {
    super(ACCOUNT_LINKED, options);
    this.name = 'AccountLinkedError';
    this.provider = provider;
  }
}

const defaults = {
  trustedEmailProviders: defaultTrustedEmailProviders,
  firstSignIn: FirstSignIn.Reject as FirstSignIn,
};

const defaultDependencies: LinkExternalUsersDependencies = { cognito: defaultCognitoClient };

const firstSignIns: readonly string[] = Object.values(FirstSignIn);

// More users than this with one address is ambiguous anyway; a further page is treated the same way.
const LOOKUP_LIMIT = 10;

// Answers after which the link may nevertheless exist: boto3 #4163 saw InvalidParameterException returned
// for a link that was made [O]; AliasExistsException is in the operation's error list [M].
const RECHECKED_ERRORS = new Set(['InvalidParameterException', 'AliasExistsException']);

/** A native user who proved the address: confirmed, enabled, `email_verified` = `"true"`, same email. */
function isVerifiedNativeUser(user: PoolUser, email: string): boolean {
  // EXTERNAL_PROVIDER users (other federated identities) are never a destination.
  if (user.status !== 'CONFIRMED' || !user.enabled) return false;
  if (user.attributes.get('email_verified') !== 'true') return false;
  return normalizeEmail(user.attributes.get('email') ?? '')?.address === email;
}

/** Whether the user's `identities` attribute already lists this provider subject. */
function isLinked(user: PoolUser, identity: ExternalIdentity): boolean {
  const raw = user.attributes.get('identities');
  if (raw === undefined) return false;
  let identities: unknown;
  try {
    identities = JSON.parse(raw);
  } catch {
    return false;
  }
  if (!Array.isArray(identities)) return false;
  return identities.some(
    (entry: unknown) =>
      typeof entry === 'object' &&
      entry !== null &&
      typeof Reflect.get(entry, 'providerName') === 'string' &&
      (Reflect.get(entry, 'providerName') as string).toLowerCase() === identity.providerName.toLowerCase() &&
      Reflect.get(entry, 'userId') === identity.subject,
  );
}

/**
 * Links a trusted, verified federated identity to the one confirmed native user with the same verified
 * email, then (by default) rejects this first sign-in with `ACCOUNT_LINKED` so the user signs in again.
 * Only for `PreSignUp_ExternalProvider`.
 *
 * @example
 * const rule = linkExternalUsers({ trustedEmailProviders: ['Google'], firstSignIn: 'reject' });
 * // Google_1234 with email_verified "true" and a CONFIRMED native user jane@example.com (verified):
 * // AdminLinkProviderForUser, then throws AccountLinkedError (ACCOUNT_LINKED).
 */
export function linkExternalUsers(
  options: LinkExternalUsersOptions = {},
  dependencies: LinkExternalUsersDependencies = defaultDependencies,
): Rule<PreSignUpEvent> {
  const settings = { ...defaults, ...options };
  const trusted = checkTrustedProviders(settings.trustedEmailProviders);
  if (!firstSignIns.includes(settings.firstSignIn)) {
    throw new OptionsError('firstSignIn', `one of ${firstSignIns.join(', ')}`);
  }
  if (typeof dependencies.cognito !== 'function') {
    throw new OptionsError('dependencies.cognito', 'a function');
  }

  async function findNativeUsers(
    client: CognitoIdentityProviderClient,
    event: PreSignUpEvent,
    identity: TrustedIdentity,
    raw: string,
    signal: AbortSignal,
  ): Promise<{ users: readonly PoolUser[]; complete: boolean }> {
    const found = await listUsersByEmail(client, {
      userPoolId: event.userPoolId,
      // Both spellings: whether the `email` filter ignores case is undocumented [I].
      emails: [raw, identity.proof.email],
      limit: LOOKUP_LIMIT,
      signal,
    });
    return {
      users: found.users.filter((user) => isVerifiedNativeUser(user, identity.proof.email)),
      complete: found.complete,
    };
  }

  async function link(
    client: CognitoIdentityProviderClient,
    event: PreSignUpEvent,
    identity: TrustedIdentity,
    native: PoolUser,
    raw: string,
    context: RuleContext,
  ): Promise<void> {
    const { AdminLinkProviderForUserCommand } = await loadCognitoSdk();
    try {
      await client.send(
        new AdminLinkProviderForUserCommand({
          UserPoolId: event.userPoolId,
          // For a native user: ProviderName `Cognito`, the value is the user name (API reference).
          DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: native.username },
          // Social providers need `Cognito_Subject`; the subject is the user name after `<Provider>_`.
          SourceUser: {
            ProviderName: identity.providerName,
            ProviderAttributeName: 'Cognito_Subject',
            ProviderAttributeValue: identity.subject,
          },
        }),
        { abortSignal: context.signal },
      );
    } catch (error) {
      if (!(error instanceof Error && RECHECKED_ERRORS.has(error.name))) {
        throw new CognitoRequestError('AdminLinkProviderForUser', error);
      }
      // "Already linked" has no documented answer: whatever Cognito said, a link that now exists counts.
      const again = await findNativeUsers(client, event, identity, raw, context.signal);
      const user = again.users.find((candidate) => candidate.username === native.username);
      if (user === undefined || !isLinked(user, identity)) {
        throw new CognitoRequestError('AdminLinkProviderForUser', error);
      }
    }
  }

  return async function linkExternalUsers(event, context) {
    if (event.triggerSource !== TriggerSource.PreSignUpExternalProvider) return 'skipped';
    const identity = trustedIdentityProofOf(event, trusted);
    // No trusted provider asserting a verified email: never link (either side unverified is a takeover).
    if (identity === undefined) return 'pass';
    recordEmailProof(event, identity.proof);
    const raw = emailOf(event) ?? identity.proof.email;
    const masked = maskEmail(identity.proof.email);
    const client = await dependencies.cognito(event.region);

    const found = await findNativeUsers(client, event, identity, raw, context.signal);
    if (!found.complete || found.users.length > 1) {
      logger.warn('link: ambiguous native users, not linked', {
        rule: 'linkExternalUsers',
        email: masked,
        candidates: found.users.length,
      });
      return 'pass';
    }
    const native = found.users[0];
    if (native === undefined) return 'pass';

    if (isLinked(native, identity)) {
      logger.info('link: identity already linked', {
        rule: 'linkExternalUsers',
        provider: identity.providerName,
      });
    } else {
      await link(client, event, identity, native, raw, context);
      logger.info('link: identity linked', {
        rule: 'linkExternalUsers',
        provider: identity.providerName,
        email: masked,
      });
    }
    if (settings.firstSignIn === FirstSignIn.Reject) throw new AccountLinkedError(identity.providerName);
    // No response flag was set: the link changed the pool, not this answer.
    return 'pass';
  };
}

/**
 * The options from `LINK_EXTERNAL_USERS`, `LINK_FIRST_SIGN_IN` and `TRUSTED_EMAIL_PROVIDERS`, or `undefined`
 * when linking is off (the default). Every variable is read either way, so a value that cannot be read (not
 * `true`/`false`, not a choice, a provider name that is not one) fails the cold start even while off.
 *
 * @throws ConfigurationError naming the variable.
 */
export function linkExternalUsersFromEnv(env: Env): LinkExternalUsersOptions | undefined {
  const enabled = readBoolean(env, 'LINK_EXTERNAL_USERS', false);
  const firstSignIn = readChoice(
    env,
    'LINK_FIRST_SIGN_IN',
    [FirstSignIn.Reject, FirstSignIn.Continue],
    FirstSignIn.Reject,
  );
  const trustedEmailProviders = trustedEmailProvidersFromEnv(env);
  return enabled ? { trustedEmailProviders, firstSignIn } : undefined;
}

/** What {@link linkExternalUsers} reads (shared/settings.ts). */
export const linkExternalUsersSettings = declareSettings({
  owner: 'linkExternalUsers',
  variables: [
    {
      name: 'LINK_EXTERNAL_USERS',
      value: SettingValue.Boolean,
      calls: { service: 'cognito-idp', offline: { value: 'false', says: 'account linking off' } },
    },
    { name: 'LINK_FIRST_SIGN_IN', option: 'firstSignIn' },
  ],
  alsoReads: ['TRUSTED_EMAIL_PROVIDERS'],
});
