/**
 * The ClientMetadata and ValidationData keys the toolkit's rules and actions read, and what a value must be
 * to be read: the contract between an app and the triggers. The rules and actions read with these fields
 * (shared/metadata.ts) and declare the keys (shared/settings.ts); a guard test checks that the two lists agree.
 * Dependency-free: apps import it through the client package (packages/client, docs/client.md).
 *
 * A value that breaks its field is refused with `METADATA_INVALID` by pre sign-up; custom message and post
 * confirmation ignore it (and log its key), because by then the user exists.
 */

/** The ValidationData keys (SignUp's `ValidationData`; Amplify v6's `options.validationData`). */
export const ValidationDataKey = {
  /** A signed invitation minted by the app's backend (shared/invite.ts). */
  Invite: 'invite',
  /** The captcha provider's response token. */
  CaptchaToken: 'captchaToken',
} as const;

/** One of {@link ValidationDataKey}. */
export type ValidationDataKey = (typeof ValidationDataKey)[keyof typeof ValidationDataKey];

/** The ClientMetadata keys (SignUp's and ConfirmSignUp's `ClientMetadata`; Amplify v6's `options.clientMetadata`). */
export const ClientMetadataKey = {
  /** The language of the verification message, a BCP 47 tag (`pt-BR`); custom message. */
  Locale: 'locale',
  /** Where the verification link sends the user after confirming; custom message. */
  RedirectUri: 'redirectUri',
  /** Self-service groups to join, comma-separated; post confirmation (ConfirmSignUp). */
  Groups: 'groups',
  /** One of the operator's plans, stored in the profile; post confirmation (ConfirmSignUp). */
  Plan: 'plan',
  /** A referral code, stored in the profile; post confirmation (ConfirmSignUp). */
  Referral: 'referral',
  /** `"true"` or `"false"`, stored in the profile as a boolean; post confirmation (ConfirmSignUp). */
  MarketingConsent: 'marketingConsent',
} as const;

/** One of {@link ClientMetadataKey}. */
export type ClientMetadataKey = (typeof ClientMetadataKey)[keyof typeof ClientMetadataKey];

/** What a value must be to be read: a string of at most `maxLength` characters matching `pattern`, or a boolean. */
export type CallerField =
  | { readonly type: 'string'; readonly maxLength: number; readonly pattern?: RegExp }
  /** Sent as the string `"true"` or `"false"` (both maps carry only strings). */
  | { readonly type: 'boolean' };

/**
 * Bounds on each map as a whole (the triggers refuse or ignore a bigger one), and the service model's
 * bounds on a ValidationData entry (contract §5). Every value must also be free of control characters other
 * than tab, newline and carriage return.
 */
export const CallerMetadataLimits = {
  clientMetadata: { maxEntries: 50, maxTotalLength: 16_384 },
  validationData: { maxEntries: 20, maxTotalLength: 16_384, maxKeyLength: 32, maxValueLength: 2048 },
} as const;

/** What each ValidationData value must be. */
export const ValidationDataFields = {
  // Base64url and dots (shared/invite.ts). Up to the ValidationData maximum: a longer token than the 1,024
  // characters an invite can be is refused as an invalid invite, not as invalid metadata.
  invite: { type: 'string', maxLength: 2048, pattern: /^[A-Za-z0-9_.-]*$/ },
  // Base64, base64url, JWT-like and dotted tokens as the three providers issue them; no spaces or controls.
  // 2,048 is both Turnstile's documented token maximum and the ValidationData value maximum.
  captchaToken: { type: 'string', maxLength: 2048, pattern: /^[A-Za-z0-9_.~+/=:*-]*$/ },
} as const satisfies Readonly<Record<ValidationDataKey, CallerField>>;

/** What each ClientMetadata value must be. */
export const ClientMetadataFields = {
  // A BCP 47 tag's shape (subtags of 1–8 letters or digits), also with the POSIX underscore OIDC `locale`
  // attributes often carry (`pt_BR`); RFC 5646 §4.4.1 asks implementations to handle 35 characters.
  locale: { type: 'string', maxLength: 35, pattern: /^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$/ },
  // An absolute URL on one of the operator's ALLOWED_REDIRECT_ORIGINS; anything else is left out of the link.
  redirectUri: { type: 'string', maxLength: 2048 },
  // The default of GROUPS_REQUEST_MAX_LENGTH (an operator may allow up to the map's 16,384); only groups the
  // operator lists in SELF_SERVICE_GROUPS are ever joined.
  groups: { type: 'string', maxLength: 1024 },
  // One of the operator's PROFILE_PLANS, matched exactly.
  plan: { type: 'string', maxLength: 64 },
  referral: { type: 'string', maxLength: 64, pattern: /^[A-Za-z0-9_-]{1,64}$/ },
  marketingConsent: { type: 'boolean' },
} as const satisfies Readonly<Record<ClientMetadataKey, CallerField>>;
