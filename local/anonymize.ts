/**
 * Replaces the personal data in recorded trigger events (and in what the triggers answered) by stable fake
 * values, so a recording can be committed as a fixture and still replays to the same outcome. What a value
 * becomes depends on what the triggers decide on:
 * - an email gets the local part `userN`; its domain is kept only when a configured domain rule (blocked,
 *   allowed, auto-confirm, disposable exemptions) or, with `BLOCK_DISPOSABLE_EMAILS`, the throwaway list
 *   decides on it, and otherwise becomes `example.com`, `example.org`, … (distinct domains stay distinct);
 * - a `sub` or user name gets a fixed-pattern UUID, a phone number a 555 number, names and other profile
 *   attributes fixed fake values, the pool id `<region>_EXAMPLE`, the app client id a fixed fake id;
 * - a ClientMetadata or ValidationData value becomes `fake-<key>-N`, except the few values the triggers'
 *   outcome needs that carry nothing personal: a captcha token, a locale tag, a redirect on an allowed
 *   origin (its query and fragment faked), `true`/`false`, and values the run's configuration itself holds
 *   (a group, a plan); a signed invite is minted again for the fake address with the recording's fake
 *   secret, valid if it was valid (until 2099), expired if it was expired, forged if it was forged;
 * - a fake keeps what the rules check about the real value: malformed stays malformed (an email, a phone
 *   number, an invite, a token, a locale), a control character stays, a long value keeps its length, a
 *   value matching (or not matching) its `ATTRIBUTE_PATTERNS` entry still does (or does not).
 * Free text (the rendered messages of an outcome, a kept redirect) has the real values replaced wherever
 * they occur, as typed, URL-encoded, form-encoded or HTML-escaped. The same real value always gets the same
 * fake value within one anonymizer, and two different real values never get the same one.
 *
 * This module wires the pieces under local/anonymize/ together: the value registry (registry.ts), one faker
 * per kind of value (email, phone, identifiers, attributes, invite, redirect, caller values), and the
 * free-text pass (free-text.ts).
 */
import { domainEntriesOf } from '../shared/email.js';
import type { MetadataSource } from '../shared/errors.js';
import { InviteLimits } from '../shared/invite.js';
import { isObject } from '../shared/parse-event.js';
import { type CallerValue, SettingValue } from '../shared/settings.js';
import { anchoredPatterns, attributeFaker } from './anonymize/attributes.js';
import { emailFaker } from './anonymize/email.js';
import { freeTextPass, replaceStrings } from './anonymize/free-text.js';
import { freeValueFakers } from './anonymize/free-value.js';
import { identifierFakers } from './anonymize/identifiers.js';
import { FORGER_SECRET, inviteFaker } from './anonymize/invite.js';
import { callerValueFakers } from './anonymize/metadata.js';
import { phoneFaker } from './anonymize/phone.js';
import { originOf, redirectFaker } from './anonymize/redirect.js';
import { createValueRegistry } from './anonymize/registry.js';
import { callerKeys, VARIABLES } from './declared-settings.js';

/** Options of {@link createAnonymizer}. */
export type AnonymizerOptions = {
  /** The invite secrets of the run (`INVITE_SECRET`), current first: they tell a valid invite from a forged one. */
  inviteSecrets?: readonly string[];
  /** The secret valid (and expired) invites are signed with again: the recording's fake `INVITE_SECRET`. */
  resignSecret?: string;
  /** The time invites are checked at (the recording time). */
  now?: () => Date;
  /** The run's domain rule entries (`example.com`, `*.example.com`): an email domain they match is kept. */
  domainRules?: readonly string[];
  /** Keep the domains on the bundled throwaway list (when `BLOCK_DISPOSABLE_EMAILS` decides on them). */
  keepDisposableDomains?: boolean;
  /** `ALLOWED_REDIRECT_ORIGINS`: a ClientMetadata `redirectUri` on one of them keeps its origin and path. */
  allowedRedirectOrigins?: readonly string[];
  /** `ATTRIBUTE_PATTERNS` (unanchored, as configured): a fake matches its pattern exactly when the real value did. */
  attributePatterns?: Readonly<Record<string, RegExp>>;
  /** Values the run's configuration holds (list items such as group or plan names): not personal, kept. */
  configurationValues?: Iterable<string>;
  /** Identity provider names (`Google`, `TRUSTED_EMAIL_PROVIDERS`): kept as the prefix of a federated user name. */
  identityProviders?: readonly string[];
  /** What each caller key holds (default: as every rule and action declares it, local/declared-settings.ts). */
  callerKeys?: Readonly<Record<MetadataSource, Readonly<Record<string, CallerValue>>>>;
};

/** Replaces personal data; stable across calls. */
export type Anonymizer = {
  /** The event with its personal data replaced (a copy). */
  event<T>(event: T): T;
  /** Any JSON value (an outcome) with every real value seen so far replaced (a copy). */
  value<T>(value: T): T;
};

/** The fake secret recorded invites are signed with unless another is given: the invite rule's own fake. */
export const RECORDED_INVITE_SECRET = recordedInviteSecret();

function recordedInviteSecret(): string {
  const secret = VARIABLES.find((variable) => variable.value === SettingValue.InviteSecrets)?.secret;
  if (typeof secret !== 'object')
    throw new TypeError('No settings declaration holds invite secrets with a fake');
  return secret.fake;
}

const defaults = {
  inviteSecrets: [] as readonly string[],
  resignSecret: RECORDED_INVITE_SECRET,
  now: (): Date => new Date(),
  domainRules: [] as readonly string[],
  keepDisposableDomains: false,
  allowedRedirectOrigins: [] as readonly string[],
  attributePatterns: {} as Readonly<Record<string, RegExp>>,
  configurationValues: [] as Iterable<string>,
  identityProviders: [] as readonly string[],
};

/** A map rebuilt entry by entry: `Object.fromEntries` defines own properties, so `__proto__` stays a key. */
function mapValues(
  map: Record<string, unknown>,
  change: (key: string, value: string) => string,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(map).map(([key, value]) => [key, typeof value === 'string' ? change(key, value) : value]),
  );
}

/**
 * A new anonymizer; one per recording, so fake values stay stable across its events.
 *
 * @example
 * const anonymize = createAnonymizer({ inviteSecrets: [liveSecret], domainRules: ['blocked.example'] });
 * const fixture = anonymize.event(event); // email 'jane@realcorp.com' -> 'user1@example.com'
 */
export function createAnonymizer(options: AnonymizerOptions = {}): Anonymizer {
  const settings = { ...defaults, ...options };
  const secrets = settings.inviteSecrets.filter(
    (secret) => Buffer.byteLength(secret, 'utf8') >= InviteLimits.minSecretBytes,
  );
  const { resignSecret, now, keepDisposableDomains } = settings;
  if (
    Buffer.byteLength(resignSecret, 'utf8') < InviteLimits.minSecretBytes ||
    resignSecret === FORGER_SECRET
  ) {
    throw new TypeError(`resignSecret must be a secret of at least ${InviteLimits.minSecretBytes} bytes`);
  }
  // Checked and normalised once: `Blocked.Example.` is `blocked.example`, as the rules read it.
  const domainRules = domainEntriesOf(settings.domainRules, 'domainRules');
  const allowedOrigins = new Set(settings.allowedRedirectOrigins.flatMap((entry) => originOf(entry) ?? []));
  const patterns = anchoredPatterns(settings.attributePatterns);
  const configured = new Set([...settings.configurationValues].filter((value) => value !== ''));

  const registry = createValueRegistry();
  const replaceKnownValues = freeTextPass(registry.replacements);
  const freeValues = freeValueFakers(registry, configured);
  const fakeEmail = emailFaker({ registry, domainRules, keepDisposableDomains });
  const fakePhone = phoneFaker(registry);
  const { fakeId, fakeUserName, fakePoolId, fakeClientId } = identifierFakers({
    registry,
    fakeEmail,
    fakePhone,
    identityProviders: settings.identityProviders,
  });
  const fakeAttribute = attributeFaker({ registry, fakeEmail, fakePhone, fakeId, patterns, configured });
  const fakeInvite = inviteFaker({ registry, secrets, resignSecret, now, fakeEmail, freeValues });
  const fakeRedirect = redirectFaker({ registry, allowedOrigins, freeValues, replaceKnownValues });
  const { fakeValidationData, fakeClientMetadata } = callerValueFakers({
    freeValues,
    fakeInvite,
    fakeRedirect,
    callerKeys: settings.callerKeys ?? callerKeys(),
  });

  function deepReplace<T>(value: T): T {
    return replaceStrings(value, replaceKnownValues);
  }

  // Event fields that are anonymized one by one, or that hold no personal data (Cognito's own values).
  const HANDLED = new Set([
    'version',
    'region',
    'userPoolId',
    'userName',
    'triggerSource',
    'callerContext.awsSdkVersion',
    'callerContext.clientId',
    'request.userAttributes',
    'request.validationData',
    'request.clientMetadata',
    'request.codeParameter',
    'request.linkParameter',
    'request.usernameParameter',
    'response',
  ]);

  /** Every other field of the event gets the free-text pass. */
  function replaceUnhandled(value: unknown, path: string): unknown {
    if (HANDLED.has(path)) return value;
    if (typeof value === 'string') return replaceKnownValues(value);
    if (Array.isArray(value)) return value.map((item) => replaceUnhandled(item, `${path}[]`));
    if (isObject(value)) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [
          key,
          replaceUnhandled(item, path === '' ? key : `${path}.${key}`),
        ]),
      );
    }
    return value;
  }

  return {
    event<T>(event: T): T {
      const copy: unknown = structuredClone(event);
      if (!isObject(copy)) return deepReplace(copy) as T;
      const request = isObject(copy.request) ? copy.request : undefined;
      const attributes = isObject(request?.userAttributes) ? request.userAttributes : undefined;
      const signUpEmail = typeof attributes?.email === 'string' ? attributes.email : undefined;
      if (request !== undefined && attributes !== undefined) {
        request.userAttributes = mapValues(attributes, fakeAttribute);
      }
      if (typeof copy.userName === 'string') copy.userName = fakeUserName(copy.userName);
      if (typeof copy.userPoolId === 'string') copy.userPoolId = fakePoolId(copy.userPoolId, copy.region);
      if (isObject(copy.callerContext) && typeof copy.callerContext.clientId === 'string') {
        copy.callerContext.clientId = fakeClientId(copy.callerContext.clientId);
      }
      if (request !== undefined && isObject(request.validationData)) {
        request.validationData = mapValues(request.validationData, (key, value) =>
          fakeValidationData(key, value, signUpEmail),
        );
      }
      if (request !== undefined && isObject(request.clientMetadata)) {
        request.clientMetadata = mapValues(request.clientMetadata, fakeClientMetadata);
      }
      return replaceUnhandled(copy, '') as T;
    },
    value: deepReplace,
  };
}
