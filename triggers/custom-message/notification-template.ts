/**
 * The notification templates of the catalogue: messages Cognito asks a custom email sender to deliver that
 * carry no code, today the account-takeover notification (`CustomEmailSender_AccountTakeOverNotification`,
 * docs/custom-senders-events.md). They live beside the code templates (templates/<locale>/
 * <name>.notification.yaml, compiled by scripts/compile-templates.ts with notification-syntax.ts) but have a
 * variable set of their own: the threat fields Cognito sends, each under an explicit rule, since they are
 * untrusted text (the device name comes from the signing-in client's User-Agent, the place from its IP).
 *
 * The rules (docs/custom-senders.md, "The account-takeover notification"):
 * - `city`, `country`: the caller-text rule of every attribute (caller-text.ts): shown only when they read
 *   as a name.
 * - `device`: Cognito's `(Opera 74, Linux)` without its enclosing parentheses, then the caller-text rule.
 * - `loginTime`: letters, marks, digits, spaces and `, : - +` only (Cognito's `Friday, March 19, 2021
 *   02:25 PM UTC`), at most the value length limit, and no colon right after a letter (no `tel:` scheme).
 * - `ipAddress`: a literal IPv4 or IPv6 address (`node:net` `isIP`), hex digits, dots and colons only.
 * - `linkValid`, `linkInvalid` (the one-click "this was me" / "this was not me" links): an absolute `https:`
 *   URL without credentials or port on `amazonaws.com`, `amazonaws.com.cn` or `amazoncognito.com` or a
 *   subdomain of one (or on a host the operator adds, `ONE_CLICK_LINK_HOSTS`), at most 2,048 characters,
 *   with no whitespace, control, brace or `#`; inserted as the URL parser serialises it, HTML-escaped, and
 *   only in a template's `href="…"`.
 * - the action flags: `ACCOUNT_TAKE_OVER_ACTION` never enters the text; it selects one section.
 * A value that breaks its rule is withheld (its sections hide) and named in a note, never logged.
 * So no value can form a placeholder (no brace passes any rule), markup (every value is HTML-escaped) or a
 * host name or URL a mail client would link (only the two checked links are links).
 */
import { isIP } from 'node:net';
import {
  AccountTakeOverAction,
  type AccountTakeOverUserAttributes,
} from '../../shared/custom-sender/events.js';
import { domainMatches } from '../../shared/email.js';
import { BRACE_LIKE } from '../../shared/message-rules.js';
import { callerText } from './caller-text.js';
import { escapeHtml, sanitizeUserValue } from './sanitize-value.js';

/**
 * How a notification value is inserted:
 * - `operator`: configuration (`APP_NAME`, `SUPPORT_EMAIL`), sanitised, HTML-escaped in a body;
 * - `threat`: a threat field, shown only when it passes its rule, HTML-escaped in a body;
 * - `link`: a one-click link, only inside `href="…"`, dropped unless it passes the link rule;
 * - `flag`: which action Cognito took; only a section may test it, it has no text.
 */
export type NotificationVariableKind = 'operator' | 'threat' | 'link' | 'flag';

/** Every notification variable, with its kind. */
export const notificationVariables = {
  appName: 'operator',
  supportEmail: 'operator',
  /** `LOGIN_TIME`. */
  loginTime: 'threat',
  /** `IP_ADDRESS`. */
  ipAddress: 'threat',
  /** `CITY`. */
  city: 'threat',
  /** `COUNTRY`. */
  country: 'threat',
  /** `DEVICE_NAME`. */
  device: 'threat',
  /** `ONE_CLICK_LINK_VALID`: "this was me". */
  linkValid: 'link',
  /** `ONE_CLICK_LINK_INVALID`: "this was not me". */
  linkInvalid: 'link',
  /** `ACCOUNT_TAKE_OVER_ACTION` is `BLOCK`: the sign-in was blocked. */
  actionBlock: 'flag',
  /** `MFA_IF_CONFIGURED`: a user with MFA had to pass it; one without was let in. */
  actionMfaIfConfigured: 'flag',
  /** `MFA_REQUIRED`: the sign-in needed MFA; without MFA it was blocked. */
  actionMfaRequired: 'flag',
  /** `NO_ACTION`: the sign-in was allowed. */
  actionNoAction: 'flag',
  /** Any other value (`MFA` of DT, a future one): the template says nothing of the outcome. */
  actionOther: 'flag',
} as const satisfies Record<string, NotificationVariableKind>;

/** One notification variable name. */
export type NotificationVariable = keyof typeof notificationVariables;

/** Whether `name` is a notification variable. */
export function isNotificationVariable(name: string): name is NotificationVariable {
  return Object.hasOwn(notificationVariables, name);
}

/** A compiled notification template: as a code template's parts (render-template.ts), over these names. */
export type NotificationPart =
  | string
  | { readonly v: NotificationVariable }
  | { readonly s: NotificationVariable; readonly p: readonly NotificationPart[]; readonly not?: true };

/** The fields of one notification in one locale (email only: threat protection notifies by email). */
export type CompiledNotification = {
  readonly emailSubject: readonly NotificationPart[];
  readonly emailMessage: readonly NotificationPart[];
  /** Replaces the locale's footer, which speaks of an address someone used, not of a security alert. */
  readonly footer: readonly NotificationPart[];
};

/** The notifications every locale ships. */
export const notificationNames = ['accountTakeOver'] as const;

/** One of {@link notificationNames}. */
export type NotificationName = (typeof notificationNames)[number];

/** The template file of a notification, without `.yaml`: `account-take-over.notification`. */
export function notificationFileOf(name: NotificationName): string {
  return `${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}.notification`;
}

/** The hosts a one-click link may point to (and their subdomains): Cognito's own [I]. */
export const oneClickLinkHosts = ['amazonaws.com', 'amazonaws.com.cn', 'amazoncognito.com'] as const;

const MAX_LINK_LENGTH = 2048;
// Whitespace, controls, format characters, `#` and braces: none belongs in a one-click link, and the last
// two are what Cognito's placeholders are made of.
const LINK_REFUSED = /[\s\p{C}#]/u;

/**
 * `raw` as the URL parser serialises it when it is a one-click link this toolkit shows (module comment),
 * otherwise `undefined`. `extraHosts`: normalised domain entries (shared/email.ts: `auth.example.com` that
 * host, `*.example.com` its sub-domains) allowed beside Cognito's own hosts.
 *
 * @example
 * oneClickLink('https://cognito-idp.us-east-1.amazonaws.com/feedback?t=1'); // the same URL
 * oneClickLink('https://evil.example/?t=1'); // undefined
 * oneClickLink('https://auth.example.com/risk?t=1', ['auth.example.com']); // the same URL
 */
export function oneClickLink(raw: string, extraHosts: readonly string[] = []): string | undefined {
  if (raw.length > MAX_LINK_LENGTH || LINK_REFUSED.test(raw) || BRACE_LIKE.test(raw)) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') {
    return undefined;
  }
  const host = url.hostname;
  const cognitoHost = oneClickLinkHosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
  if (!cognitoHost && !extraHosts.some((entry) => domainMatches(host, entry))) return undefined;
  const href = url.href;
  return href.length > MAX_LINK_LENGTH || BRACE_LIKE.test(href) || href.includes('#') ? undefined : href;
}

// Cognito's LOGIN_TIME shape: words, numbers, spaces, commas, colons, hyphens, plus signs.
const LOGIN_TIME_SHAPE = /^[\p{L}\p{M}\p{N} ,:+-]+$/u;
// A colon right after a letter reads as a URL scheme (`tel:`, `sms:`), which clients turn into links.
const SCHEME_COLON = /\p{L}:/u;
const IP_SHAPE = /^[0-9A-Fa-f:.]{2,45}$/;
// Cognito's DEVICE_NAME names a browser and a platform, each a few words and a version: `(Opera 74, Linux)`,
// `(Chrome 131, Windows 10)`. It comes from the User-Agent of whoever signed in, so nothing more is shown: one
// or two parts, each at most three words of letters and one version of at most four digits (a dotted minor
// too), so no sentence, host name, link or phone number.
const DEVICE_PART = /^\p{L}[\p{L}\p{M}]*(?: \p{L}[\p{L}\p{M}]*){0,2}(?: \p{Nd}{1,4}(?:\.\p{Nd}{1,4})?)?$/u;

/** The text of one threat field under its rule, `''` when absent, or `undefined` when withheld. */
function threatText(variable: NotificationVariable, raw: string, maxLength: number): string | undefined {
  const cleaned = sanitizeUserValue(raw, Number.MAX_SAFE_INTEGER);
  if (cleaned === '') return '';
  switch (variable) {
    case 'loginTime':
      return Array.from(cleaned).length <= maxLength &&
        LOGIN_TIME_SHAPE.test(cleaned) &&
        !SCHEME_COLON.test(cleaned)
        ? cleaned
        : undefined;
    case 'ipAddress':
      return IP_SHAPE.test(cleaned) && isIP(cleaned) !== 0 ? cleaned : undefined;
    case 'device': {
      const inner = /^\((.*)\)$/su.exec(cleaned)?.[1] ?? cleaned;
      const parts = inner.split(', ');
      return Array.from(inner).length <= maxLength &&
        parts.length <= 2 &&
        parts.every((part) => DEVICE_PART.test(part))
        ? inner
        : undefined;
    }
    default: {
      const text = callerText(cleaned, maxLength);
      return text.withheld === undefined ? text.text : undefined;
    }
  }
}

/** The flag set for an `ACCOUNT_TAKE_OVER_ACTION` value. */
function actionFlagOf(action: string | null | undefined): NotificationVariable {
  switch (action) {
    case AccountTakeOverAction.Block:
      return 'actionBlock';
    case AccountTakeOverAction.MfaIfConfigured:
      return 'actionMfaIfConfigured';
    case AccountTakeOverAction.MfaRequired:
      return 'actionMfaRequired';
    case AccountTakeOverAction.NoAction:
      return 'actionNoAction';
    default:
      return 'actionOther';
  }
}

/** The raw values of one account-takeover notification, read from the event's threat fields. */
export function accountTakeOverValues(
  fields: AccountTakeOverUserAttributes,
): Partial<Record<NotificationVariable, string>> {
  const values: Partial<Record<NotificationVariable, string>> = {
    [actionFlagOf(fields.ACCOUNT_TAKE_OVER_ACTION)]: '1',
  };
  const read: readonly (readonly [NotificationVariable, string])[] = [
    ['loginTime', 'LOGIN_TIME'],
    ['ipAddress', 'IP_ADDRESS'],
    ['city', 'CITY'],
    ['country', 'COUNTRY'],
    ['device', 'DEVICE_NAME'],
    ['linkValid', 'ONE_CLICK_LINK_VALID'],
    ['linkInvalid', 'ONE_CLICK_LINK_INVALID'],
  ];
  for (const [variable, field] of read) {
    const value = Object.hasOwn(fields, field) ? fields[field] : undefined;
    if (typeof value === 'string') values[variable] = value;
  }
  return values;
}

/** `html` escapes every value (email bodies and footers); `text` does not (subjects). */
export type NotificationRenderMode = 'html' | 'text';

/** The rendered text and the variables whose value broke its rule (withheld, or a dropped link). */
export type NotificationRenderResult = { text: string; withheld: NotificationVariable[] };

/**
 * Renders a compiled notification template. Values follow the rules of the module comment; a section shows
 * when its variable has text after its rule (or has none, for `{{^x}}`). `extraLinkHosts`: see
 * {@link oneClickLink}.
 *
 * @example
 * renderNotification(['At ', { v: 'loginTime' }], { loginTime: 'Friday, March 19, 2021 02:25 PM UTC' }, 'text', 64);
 */
export function renderNotification(
  parts: readonly NotificationPart[],
  values: Readonly<Partial<Record<NotificationVariable, string>>>,
  mode: NotificationRenderMode,
  maxValueLength: number,
  extraLinkHosts: readonly string[] = [],
): NotificationRenderResult {
  const withheld = new Set<NotificationVariable>();
  const shown = new Map<NotificationVariable, string>();
  const textOf = (name: NotificationVariable): string => {
    const known = shown.get(name);
    if (known !== undefined) return known;
    const raw = values[name] ?? '';
    let text: string | undefined;
    switch (notificationVariables[name]) {
      case 'operator':
        text = sanitizeUserValue(raw, maxValueLength);
        break;
      case 'threat':
        text = threatText(name, raw, maxValueLength);
        break;
      case 'link':
        text = raw === '' ? '' : oneClickLink(raw, extraLinkHosts);
        break;
      case 'flag':
        text = raw === '' ? '' : '1';
        break;
    }
    if (text === undefined) withheld.add(name);
    shown.set(name, text ?? '');
    return text ?? '';
  };
  const renderParts = (list: readonly NotificationPart[]): string => {
    let text = '';
    for (const part of list) {
      if (typeof part === 'string') text += part;
      else if ('v' in part) text += mode === 'html' ? escapeHtml(textOf(part.v)) : textOf(part.v);
      else if ((textOf(part.s) !== '') !== (part.not === true)) text += renderParts(part.p);
    }
    return text;
  };
  const text = renderParts(parts);
  return { text, withheld: [...withheld] };
}
