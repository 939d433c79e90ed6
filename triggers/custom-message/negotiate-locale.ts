/**
 * Which shipped locale a message is written in: ClientMetadata `locale`, then the user's `locale` attribute,
 * then the configured default. Each candidate goes through BCP 47 lookup (RFC 4647 §3.4: `pt-BR` → `pt`),
 * compared case-insensitively.
 */
import { ClientMetadataFields, ClientMetadataKey } from '../../shared/caller-keys.js';
import { MetadataInvalidError } from '../../shared/errors.js';
import type { CustomMessageEvent } from '../../shared/event-types.js';
import { createMetadataReader } from '../../shared/metadata.js';

// A BCP 47 tag's shape and length, as apps are told (shared/caller-keys.ts): the user attribute is held to the
// same shape as ClientMetadata `locale`.
const { pattern: TAG_SHAPE, maxLength: TAG_MAX_LENGTH } = ClientMetadataFields.locale;

const readLocale = createMetadataReader('clientMetadata', {
  [ClientMetadataKey.Locale]: ClientMetadataFields.locale,
});

/** Where the chosen locale came from. */
export type LocaleSource = 'clientMetadata' | 'userAttribute' | 'default';

/** The negotiated locale, where it came from, and why a ClientMetadata value was ignored (for logs). */
export type NegotiatedLocale = {
  locale: string;
  source: LocaleSource;
  /** Set when ClientMetadata had a `locale` that could not be used; never holds the value itself. */
  ignoredMetadata?: string;
};

/**
 * The shipped locale `requested` resolves to, or `undefined`: an exact case-insensitive match, then the tag
 * cut one subtag at a time from the right (a single-letter subtag such as `x` goes with the one after it),
 * then, last, the first shipped locale with the same primary language (`pt-PT` → `pt-BR` when only `pt-BR`
 * ships: a Portuguese reader is better served by Brazilian Portuguese than by the default).
 */
export function lookupLocale(requested: string, shipped: readonly string[]): string | undefined {
  if (requested.length > TAG_MAX_LENGTH || !TAG_SHAPE.test(requested)) return undefined;
  const byLowerCase = new Map(shipped.map((tag) => [tag.toLowerCase(), tag]));
  const subtags = requested.toLowerCase().replaceAll('_', '-').split('-');
  while (subtags.length > 0) {
    const found = byLowerCase.get(subtags.join('-'));
    if (found !== undefined) return found;
    subtags.pop();
    if ((subtags.at(-1)?.length ?? 0) === 1) subtags.pop();
  }
  const language = requested.toLowerCase().split(/[-_]/)[0];
  return shipped.find((tag) => tag.toLowerCase().split('-')[0] === language);
}

/**
 * Negotiates the locale of one event. `defaultLocale` must be one of `shipped` (checked by the caller at
 * cold start). A ClientMetadata map Cognito's callers made too large or malformed is ignored, never fatal: a
 * custom message problem must not fail the user's API call.
 *
 * @example
 * negotiateLocale(event, ['en', 'fr'], 'en'); // { locale: 'fr', source: 'clientMetadata' } for locale "fr-CA"
 */
export function negotiateLocale(
  event: CustomMessageEvent,
  shipped: readonly string[],
  defaultLocale: string,
): NegotiatedLocale {
  let ignoredMetadata: string | undefined;
  try {
    const { locale } = readLocale(event.request.clientMetadata);
    if (locale !== undefined) {
      const found = lookupLocale(locale, shipped);
      if (found !== undefined) return { locale: found, source: 'clientMetadata' };
      ignoredMetadata = 'locale is not a shipped locale';
    }
  } catch (error) {
    if (!(error instanceof MetadataInvalidError)) throw error;
    ignoredMetadata =
      error.key === undefined ? `clientMetadata ${error.reason}` : `${error.key} ${error.reason}`;
  }
  const attributes = event.request.userAttributes;
  const attribute = Object.hasOwn(attributes, 'locale') ? attributes.locale : undefined;
  const fromAttribute = typeof attribute === 'string' ? lookupLocale(attribute, shipped) : undefined;
  const chosen: NegotiatedLocale =
    fromAttribute !== undefined
      ? { locale: fromAttribute, source: 'userAttribute' }
      : { locale: defaultLocale, source: 'default' };
  return ignoredMetadata === undefined ? chosen : { ...chosen, ignoredMetadata };
}
