/**
 * The closed set of names a custom message template may use, what each one inserts and where it may appear.
 * A template naming anything else fails the build (scripts/compile-templates.ts), never renders as "".
 */
import type { CustomMessageTriggerSource } from '../../shared/event-types.js';
import type { LinkVerificationSource } from '../../shared/message-rules.js';

/**
 * How a value is inserted:
 * - `verbatim`: exactly as received or built (Cognito's placeholders, the verification link); never escaped
 *   or encoded, because Cognito looks for the placeholder text itself (contract §3, Constraints item 1).
 * - `caller`: text the caller controls (user attributes); shown only when it reads as a name
 *   (caller-text.ts), then HTML-escaped in an email body.
 * - `operator`: configuration (`APP_NAME`, `SUPPORT_EMAIL`), checked at cold start; sanitised, then
 *   HTML-escaped in an email body.
 * - `markup`: HTML this toolkit rendered itself; only the shared layout may use it.
 */
export type VariableKind = 'verbatim' | 'caller' | 'operator' | 'markup';

/** Every variable, with its kind. */
export const templateVariables = {
  /** `request.codeParameter`, the code or temporary-password placeholder (normally `{####}`). */
  code: 'verbatim',
  /** `request.usernameParameter` (normally `{username}`); Cognito only sends it for AdminCreateUser. */
  username: 'verbatim',
  /** The verification link built by verification-link.ts. */
  link: 'verbatim',
  /**
   * `request.linkParameter` (normally `{##Click Here##}`): in a pool that verifies email by link
   * (`DefaultEmailOption: CONFIRM_WITH_LINK`), Cognito replaces it with its own verification link.
   */
  cognitoLink: 'verbatim',
  /** `APP_NAME`. */
  appName: 'operator',
  /** `SUPPORT_EMAIL`. */
  supportEmail: 'operator',
  // Allowlisted user attributes, named as Cognito names them. Optional: usable in sections.
  given_name: 'caller',
  family_name: 'caller',
  name: 'caller',
  nickname: 'caller',
  preferred_username: 'caller',
  /** The layout's `lang` attribute (a shipped locale tag). */
  lang: 'verbatim',
  /** The layout's `dir` attribute (`ltr` or `rtl`). */
  dir: 'verbatim',
  /** The rendered body, inserted into the layout. */
  content: 'markup',
  /** The rendered per-locale footer, inserted into the layout. */
  footer: 'markup',
} as const satisfies Record<string, VariableKind>;

/** One variable name. */
export type TemplateVariable = keyof typeof templateVariables;

/** The user attributes a template may read. */
export const attributeVariables = [
  'given_name',
  'family_name',
  'name',
  'nickname',
  'preferred_username',
] as const satisfies readonly TemplateVariable[];

/**
 * The variables a section (`{{#x}}…{{/x}}`, `{{^x}}…{{/x}}`) may test: user values, which may be absent, and
 * the link, which is absent when `CONFIRM_URL` is unset or the placeholder cannot sit in a URL.
 */
export const optionalVariables: ReadonlySet<TemplateVariable> = new Set([
  'appName',
  'supportEmail',
  ...attributeVariables,
  'link',
]);

/**
 * What a template is: one message field of one source, the email of a sign-up or resend in a pool that
 * verifies by link (`link-message`), a locale's footer, or the shared layout.
 */
export type TemplateScope =
  | {
      kind: 'message';
      source: CustomMessageTriggerSource;
      field: 'emailSubject' | 'emailMessage' | 'smsMessage';
    }
  | {
      kind: 'link-message';
      source: LinkVerificationSource;
      field: 'emailSubject' | 'emailMessage';
    }
  | { kind: 'footer' }
  | { kind: 'layout' };

const messageCommon: readonly TemplateVariable[] = ['code', 'appName', 'supportEmail', ...attributeVariables];

/**
 * The sources that may carry a verification link. Not AdminCreateUser: its code is a temporary password,
 * which must not travel in a URL and may hold `%` or `#` that break one (contract §3, Request). Not
 * Authentication: an MFA code is typed into the sign-in screen, a link would invite phishing look-alikes.
 */
export const linkSources: ReadonlySet<CustomMessageTriggerSource> = new Set([
  'CustomMessage_SignUp',
  'CustomMessage_ResendCode',
  'CustomMessage_ForgotPassword',
  'CustomMessage_UpdateUserAttribute',
  'CustomMessage_VerifyUserAttribute',
]);

/** The variables a template in `scope` may use. */
export function variablesAllowedIn(scope: TemplateScope): ReadonlySet<TemplateVariable> {
  switch (scope.kind) {
    case 'layout':
      return new Set(['lang', 'dir', 'appName', 'content', 'footer']);
    case 'footer':
      return new Set(['appName', 'supportEmail']);
    case 'link-message':
      // Cognito's link carries the code; the email has no code and no link of this toolkit's own.
      return new Set(['appName', 'supportEmail', ...attributeVariables, 'cognitoLink']);
    case 'message': {
      const names = [...messageCommon];
      // `{username}` is only allowed in invitation messages (contract §3, Constraints item 1).
      if (scope.source === 'CustomMessage_AdminCreateUser') names.push('username');
      if (linkSources.has(scope.source)) names.push('link');
      return new Set(names);
    }
  }
}

/** Whether `name` is one of the variables above. */
export function isTemplateVariable(name: string): name is TemplateVariable {
  return Object.hasOwn(templateVariables, name);
}
