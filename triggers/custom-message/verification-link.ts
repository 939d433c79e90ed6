/**
 * The verification link: `CONFIRM_URL` with the user name, the app client id, an allowed `redirectUri` and,
 * last, the code placeholder. Anyone can call SignUp with someone else's email, so a genuine email from the
 * app must never carry a link to an origin the operator did not list (issue 4, "Verification link").
 */
import { ClientMetadataFields, ClientMetadataKey } from '../../shared/caller-keys.js';
import { MetadataInvalidError } from '../../shared/errors.js';
import type { CustomMessageEvent } from '../../shared/event-types.js';
import { createMetadataReader } from '../../shared/metadata.js';
import { OptionsError } from '../../shared/options.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
// The admin operations' clientId (contract §1): no app client, so no client_id parameter.
const NO_CLIENT = 'CLIENT_ID_NOT_APPLICABLE';
// Characters that would end the href attribute or the URL around the verbatim placeholder.
const UNSAFE_IN_LINK = /[\s"'<>`\\]/;

// Browsers and mail clients accept URLs far longer than the field's bound (shared/caller-keys.ts), but a
// redirect longer than that is not a real app's.
const readRedirect = createMetadataReader('clientMetadata', {
  [ClientMetadataKey.RedirectUri]: ClientMetadataFields.redirectUri,
});

function isSecure(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

/**
 * `CONFIRM_URL` as a URL: absolute, https (http only on a loopback host), without credentials or fragment
 * (the code is appended to the query). Checked once at cold start.
 * @throws OptionsError (`confirmUrl`) saying which of these it breaks.
 */
export function parseConfirmUrl(text: string): URL {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (url === undefined) throw new OptionsError('confirmUrl', 'an absolute URL');
  if (!isSecure(url)) throw new OptionsError('confirmUrl', 'an https URL (http only on a loopback host)');
  if (url.username !== '' || url.password !== '')
    throw new OptionsError('confirmUrl', 'a URL without credentials');
  if (url.hash !== '' || text.includes('#')) throw new OptionsError('confirmUrl', 'a URL without a fragment');
  return url;
}

/**
 * The allowed redirect origins, each exactly an origin (`https://app.example.com`, no path, query or
 * trailing slash), https only except on a loopback host. Checked once at cold start.
 * @throws OptionsError (`allowedRedirectOrigins`) naming the entry that is not an origin.
 */
export function parseAllowedOrigins(entries: readonly string[]): ReadonlySet<string> {
  const origins = new Set<string>();
  for (const entry of entries) {
    const url = URL.canParse(entry) ? new URL(entry) : undefined;
    if (url === undefined || url.origin === 'null' || url.origin !== entry.toLowerCase() || !isSecure(url)) {
      // The operator's own setting, quoted so the log says which entry to fix.
      throw new OptionsError(
        'allowedRedirectOrigins',
        `a list of exact https origins (http only on a loopback host); "${entry}" is not one`,
      );
    }
    origins.add(url.origin);
  }
  return origins;
}

/** Why a `redirectUri` was left out of the link, for the caller to log (never the value itself). */
export type RedirectDropReason =
  | 'metadata-invalid'
  | 'not-a-url'
  | 'not-secure'
  | 'has-credentials'
  | 'origin-not-allowed'
  | 'too-long';

// A normalised redirect can grow many times over (é is 6 characters, then 18 once query-encoded): the
// parsed form is bounded too, so no caller-supplied redirect can push the email past 20,000 characters.
const REDIRECT_HREF_MAX_LENGTH = 1024;

/** The link, or `undefined` when the code placeholder cannot safely sit in a URL, and why a redirect was dropped. */
export type VerificationLink = {
  link: string | undefined;
  redirectDropped?: RedirectDropReason;
};

/** What the link is built from; the factory-validated parts are passed in, the rest comes from the event. */
export type VerificationLinkSettings = {
  confirmUrl: URL;
  allowedOrigins: ReadonlySet<string>;
};

function redirectOf(
  event: CustomMessageEvent,
  allowedOrigins: ReadonlySet<string>,
): { href?: string; dropped?: RedirectDropReason } {
  let redirectUri: string | undefined;
  try {
    redirectUri = readRedirect(event.request.clientMetadata).redirectUri;
  } catch (error) {
    if (!(error instanceof MetadataInvalidError)) throw error;
    return { dropped: 'metadata-invalid' };
  }
  if (redirectUri === undefined) return {};
  const url = URL.canParse(redirectUri) ? new URL(redirectUri) : undefined;
  if (url === undefined) return { dropped: 'not-a-url' };
  if (!isSecure(url)) return { dropped: 'not-secure' };
  if (url.username !== '' || url.password !== '') return { dropped: 'has-credentials' };
  // Exact origin match: scheme, host and port, after the URL parser's normalisation (case, default port, IDN).
  if (!allowedOrigins.has(url.origin)) return { dropped: 'origin-not-allowed' };
  if (url.href.length > REDIRECT_HREF_MAX_LENGTH) return { dropped: 'too-long' };
  return { href: url.href };
}

/**
 * Builds the link for `event`. The user name, client id and redirect are percent-encoded query parameters;
 * the code placeholder comes last and verbatim, because Cognito replaces it after the trigger returns and the
 * trigger never sees the real code. A real code with `%`, `&` or `#` would therefore break the URL (contract
 * §3, Request): that is why links are only offered for verification codes, never for the AdminCreateUser
 * temporary password (template-variables.ts `linkSources`).
 *
 * @example
 * buildVerificationLink(event, { confirmUrl: new URL('https://app.example.com/confirm'), allowedOrigins: new Set() });
 * // { link: 'https://app.example.com/confirm?username=…&client_id=…&code={####}' }
 */
export function buildVerificationLink(
  event: CustomMessageEvent,
  settings: VerificationLinkSettings,
): VerificationLink {
  const redirect = redirectOf(event, settings.allowedOrigins);
  const dropped = redirect.dropped === undefined ? {} : { redirectDropped: redirect.dropped };
  const code = event.request.codeParameter;
  if (typeof code !== 'string' || code === '' || UNSAFE_IN_LINK.test(code))
    return { link: undefined, ...dropped };
  const url = new URL(settings.confirmUrl);
  url.searchParams.append('username', event.userName);
  const clientId = event.callerContext.clientId;
  if (typeof clientId === 'string' && clientId !== '' && clientId !== NO_CLIENT) {
    url.searchParams.append('client_id', clientId);
  }
  if (redirect.href !== undefined) url.searchParams.append('redirect_uri', redirect.href);
  return { link: `${url.href}&code=${code}`, ...dropped };
}
