/**
 * What a federated sign-in (`PreSignUp_ExternalProvider`) tells about the person: which identity provider,
 * its subject, and whether a provider this pool trusts asserted that the email address is verified.
 * The only second kind of email proof besides an invite (triggers/pre-sign-up/proof.ts).
 */
import { type Env, readList } from '../../shared/config.js';
import { normalizeEmail } from '../../shared/email.js';
import { ConfigurationError } from '../../shared/errors.js';
import type { PreSignUpEvent } from '../../shared/event-types.js';
import { OptionsError } from '../../shared/options.js';
import { TriggerSource } from '../../shared/trigger-source.js';
import type { EmailProof } from './proof.js';

/** Providers whose `email_verified` is believed unless `TRUSTED_EMAIL_PROVIDERS` says otherwise. */
export const defaultTrustedEmailProviders: readonly string[] = ['Google', 'SignInWithApple'];

// ProviderNameTypeV2 in the service model: 1–32 characters, no underscore or space except in second place.
const PROVIDER_NAME = /^[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+$/u;
const PROVIDER_NAME_MAX = 32;
// A subject is the rest of a user name (UsernameType: at most 128 characters, no spaces or controls).
const SUBJECT = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;

const PROVIDERS_EXPECTED = 'a list of identity provider names (1–32 characters, not Cognito)';

/**
 * Checks and de-duplicates trusted provider names (case-insensitively), the `trustedEmailProviders` option
 * of the rules that read them. `Cognito` is refused: it names the pool's own users, never an identity
 * provider.
 *
 * @throws OptionsError naming `trustedEmailProviders` and the first invalid entry's position.
 */
export function checkTrustedProviders(names: readonly string[]): readonly string[] {
  if (!Array.isArray(names)) throw new OptionsError('trustedEmailProviders', PROVIDERS_EXPECTED);
  const seen = new Map<string, string>();
  names.forEach((name: unknown, index) => {
    if (
      typeof name !== 'string' ||
      name.length > PROVIDER_NAME_MAX ||
      !PROVIDER_NAME.test(name) ||
      name.toLowerCase() === 'cognito'
    ) {
      throw new OptionsError(
        'trustedEmailProviders',
        `${PROVIDERS_EXPECTED} (entry ${index + 1} is not one)`,
      );
    }
    if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  });
  return [...seen.values()];
}

/**
 * `TRUSTED_EMAIL_PROVIDERS`: provider names as configured in the pool (`Google,SignInWithApple` when unset;
 * `none` trusts no provider).
 *
 * Unlike other readers this one checks the names too (with the factories' own check): two rules read the
 * variable, and only decideConfirmation's settings declaration may map it (each variable is declared once),
 * so a bad name is named here, whichever rule is built first.
 * @throws ConfigurationError naming `TRUSTED_EMAIL_PROVIDERS`.
 */
export function trustedEmailProvidersFromEnv(env: Env): readonly string[] {
  const names = readList(env, 'TRUSTED_EMAIL_PROVIDERS');
  if (names.length === 0) return defaultTrustedEmailProviders;
  if (names.length === 1 && names[0]?.toLowerCase() === 'none') return [];
  try {
    return checkTrustedProviders(names);
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    throw new ConfigurationError('TRUSTED_EMAIL_PROVIDERS', `${error.expected}, or none`, { cause: error });
  }
}

/** A federated identity as the pool links it: `SourceUser` of AdminLinkProviderForUser. */
export type ExternalIdentity = {
  /** The provider name as configured (`Google`), whatever case the user name used. */
  providerName: string;
  /** The provider's subject: the user name after `<Provider>_`. */
  subject: string;
};

/**
 * The identity behind a federated user name `<Provider>_<subject>` when `<Provider>` is one of `trusted`
 * (compared case-insensitively: events have been seen with `google_…` [O, amplify-cli #12514]), else
 * `undefined`. Matching the configured names as prefixes, rather than splitting at the first underscore,
 * keeps a provider name with an underscore in second place (allowed by the model) whole.
 */
export function trustedIdentityOf(
  userName: unknown,
  trusted: readonly string[],
): ExternalIdentity | undefined {
  if (typeof userName !== 'string') return undefined;
  const lower = userName.toLowerCase();
  for (const providerName of trusted) {
    const prefix = `${providerName.toLowerCase()}_`;
    if (!lower.startsWith(prefix)) continue;
    const subject = userName.slice(prefix.length);
    return SUBJECT.test(subject) ? { providerName, subject } : undefined;
  }
  return undefined;
}

/**
 * Whether the attributes assert a verified email: `email_verified` is exactly the string `"true"` (every
 * attribute value is a string, contract §1). Anything else, `"True"` and `"1"` included, is not proof.
 */
export function assertsVerifiedEmail(attributes: unknown): boolean {
  if (typeof attributes !== 'object' || attributes === null) return false;
  return Object.hasOwn(attributes, 'email_verified') && Reflect.get(attributes, 'email_verified') === 'true';
}

/** An identity-provider proof together with the identity it came from. */
export type TrustedIdentity = ExternalIdentity & {
  proof: Extract<EmailProof, { kind: 'identity-provider' }>;
};

/**
 * The proof a federated sign-in carries, or `undefined`: only for `PreSignUp_ExternalProvider`, only from
 * a provider in `trusted`, only when it mapped `email_verified` = `"true"` and a sane `email`.
 */
export function trustedIdentityProofOf(
  event: PreSignUpEvent,
  trusted: readonly string[],
): TrustedIdentity | undefined {
  if (event.triggerSource !== TriggerSource.PreSignUpExternalProvider) return undefined;
  const identity = trustedIdentityOf(event.userName, trusted);
  if (identity === undefined) return undefined;
  const attributes = event.request.userAttributes;
  if (!assertsVerifiedEmail(attributes)) return undefined;
  const email = Object.hasOwn(attributes, 'email') ? attributes.email : undefined;
  const normalized = typeof email === 'string' ? normalizeEmail(email) : undefined;
  if (normalized === undefined) return undefined;
  return {
    ...identity,
    proof: { kind: 'identity-provider', provider: identity.providerName, email: normalized.address },
  };
}
