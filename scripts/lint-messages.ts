/**
 * Lints the custom messages before deploy: renders every template × shipped locale × custom message source
 * through the trigger's own composer (compose-message.ts, the runtime path) with worst-case inputs, and fails
 * when a field comes out `null` (Cognito would send the pool default instead, contract §3 "Constraints" item
 * 3) or breaks one of Cognito's rules (shared/message-rules.ts). Each failure names the locale, the source,
 * the field, the input case and the rule.
 *
 * Usage: `npm run lint:messages`. Exits 1 when anything fails; the last line is `N checked, N failed`. When
 * `APP_NAME` is set, the configuration in the environment (`APP_NAME`, `SUPPORT_EMAIL`, `CONFIRM_URL`,
 * `ALLOWED_REDIRECT_ORIGINS`, `DEFAULT_LOCALE`) is linted too, beside the built-in worst cases. `--help`
 * prints the usage; any argument is a usage error (exit 2).
 */
import { pathToFileURL } from 'node:url';
import { parseCommandLine } from '../cli/command-line.js';
import { runMain } from '../cli/run-main.js';
import type { CustomMessageEvent, CustomMessageTriggerSource } from '../shared/event-types.js';
import {
  checkMessageField,
  countPlaceholders,
  describeBreach,
  type MessageField,
} from '../shared/message-rules.js';
import { customMessageSources } from '../shared/trigger-source.js';
import {
  type ComposeMessagesOptions,
  composeMessages,
  composeMessagesOptionsFromEnv,
  type FieldProblem,
} from '../triggers/custom-message/compose-message.js';
import type { MessageCatalogue } from '../triggers/custom-message/message-catalogue.js';
import { attributeVariables } from '../triggers/custom-message/template-variables.js';
import { compiledCatalogue } from '../triggers/custom-message/templates/compiled.js';

/** The three response fields, in the order they are reported. */
const fields: readonly MessageField[] = ['emailSubject', 'emailMessage', 'smsMessage'];

/** How a configuration and an event are combined: the composer's options plus what the event carries. */
export type LintConfiguration = {
  /** Names the configuration in failures. */
  name: string;
  /** Passed to composeMessages; `catalogue` is set by {@link lintMessages}. */
  options: ComposeMessagesOptions;
  /** The event's `userName` (Cognito allows 128 characters; it is percent-encoded into the link). */
  userName: string;
  /** The event's `callerContext.clientId`. */
  clientId: string;
  /** A ClientMetadata `redirectUri`, sent beside `locale`. Default: none. */
  redirectUri?: string;
  /** The `linkParameter` shapes this configuration meets. Default: those of {@link lintMessages}. */
  linkParameters?: readonly LinkParameterCase[];
};

/** One set of user-controlled values: user attributes (the locale comes from ClientMetadata). */
export type LintInputCase = {
  /** Names the case in failures. */
  name: string;
  /** The event's `request.userAttributes`. */
  userAttributes: Readonly<Record<string, string>>;
};

/** How `request.linkParameter` arrives: Cognito's placeholder, JSON `null`, or no key at all. */
export type LinkParameterCase = 'present' | 'null' | 'absent';

/** Options of {@link lintMessages}; every default is the built-in worst-case set. */
export type LintMessagesOptions = {
  /** The templates to lint. Default: the shipped ones (templates/compiled.ts). */
  catalogue?: MessageCatalogue;
  /** The configurations to lint with. Default: {@link lintConfigurations}. */
  configurations?: readonly LintConfiguration[];
  /** The user values to lint with. Default: {@link lintInputCases}. */
  inputCases?: readonly LintInputCase[];
  /** The `linkParameter` shapes to lint with. Default: all three. */
  linkParameters?: readonly LinkParameterCase[];
};

/**
 * One rule one rendered field broke. `rule` is a Cognito rule (shared/message-rules.ts), `missing-value`
 * (a placeholder the event did not carry), `no-template` (the catalogue has no message for the source),
 * `wrong-locale` (the requested locale was not the one rendered, so the locale was not really linted),
 * `extra-placeholder` (caller text added a sequence Cognito expands, docs/cognito-contract.md §3a) or
 * `caller-link` (caller text put a URL, a host or an address into the message).
 */
export type LintFailure = {
  locale: string;
  source: CustomMessageTriggerSource;
  field: MessageField;
  configuration: string;
  inputCase: string;
  linkParameter: LinkParameterCase;
  rule: FieldProblem['rule'] | 'no-template' | 'wrong-locale' | 'extra-placeholder' | 'caller-link';
  description: string;
};

/** What {@link lintMessages} found: `checked` fields rendered, `failed` of them unusable, and why. */
export type LintReport = { checked: number; failed: number; failures: LintFailure[] };

// Cognito's limits for a custom attribute value and a user name; the composer's for APP_NAME (its default
// maxValueLength) and the link's for a ClientMetadata redirect (verification-link.ts); a CONFIRM_URL just
// under the 2,048 characters browsers and mail clients are commonly trusted with.
const ATTRIBUTE_MAX_LENGTH = 2048;
const USERNAME_MAX_LENGTH = 128;
const APP_NAME_MAX_LENGTH = 64;
const REDIRECT_MAX_LENGTH = 2048;
const CONFIRM_URL_LENGTH = 2000;
const ALLOWED_ORIGIN = 'https://app.example.com';

/** `unit` repeated to exactly `length` UTF-16 code units, padded with `x`, never splitting a surrogate pair. */
function filled(unit: string, length: number): string {
  const whole = unit.repeat(Math.floor(length / unit.length));
  return whole.padEnd(length, 'x');
}

/** The same value in every allowlisted attribute, beside the attributes every event carries. */
function everyAttribute(value: string): Record<string, string> {
  return { ...baseAttributes, ...Object.fromEntries(attributeVariables.map((name) => [name, value])) };
}

const baseAttributes = {
  sub: '0f2a8e7c-1111-4222-8333-444455556666',
  email: 'jane.doe@example.com',
  email_verified: 'true',
};

// A family (four people joined by ZWJ), a flag, a skin tone, a keycap and a variation selector.
const EMOJI =
  '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}\u{1F1E7}\u{1F1F7}\u{1F44B}\u{1F3FD}1\uFE0F\u20E3\u2764\uFE0F';
// Right-to-left override, isolate and marks around Arabic and Hebrew names.
const RTL =
  '\u202E\u0645\u062D\u0645\u062F\u202C \u2067\u05E9\u05B8\u05C1\u05DC\u05D5\u05B9\u05DD\u2069\u200F\u061C';

/** The built-in user values: ordinary, absent, maximum-length, right-to-left, emoji, hostile and look-alike. */
export const lintInputCases: readonly LintInputCase[] = [
  {
    name: 'typical values',
    userAttributes: {
      ...baseAttributes,
      given_name: 'Jane',
      family_name: 'Doe',
      name: 'Jane Doe',
      nickname: 'jd',
      preferred_username: 'jane',
    },
  },
  { name: 'no optional attributes', userAttributes: baseAttributes },
  { name: 'blank attributes', userAttributes: everyAttribute(' \u00A0\t\u200B\u3000 ') },
  { name: 'max-length ASCII', userAttributes: everyAttribute(filled('W', ATTRIBUTE_MAX_LENGTH)) },
  // Every character grows when HTML-escaped (`"` becomes 6 characters).
  { name: 'max-length HTML-escaped', userAttributes: everyAttribute(filled(`"&<>'`, ATTRIBUTE_MAX_LENGTH)) },
  { name: 'max-length emoji', userAttributes: everyAttribute(filled(EMOJI, ATTRIBUTE_MAX_LENGTH)) },
  { name: 'max-length right-to-left', userAttributes: everyAttribute(filled(RTL, ATTRIBUTE_MAX_LENGTH)) },
  // One base letter under thousands of combining marks: every one is a letter-class mark Cognito allows.
  {
    name: 'max-length combining marks',
    userAttributes: everyAttribute(`Z${'\u0301\u0336'.repeat(ATTRIBUTE_MAX_LENGTH / 2 - 1)}\u0301`),
  },
  {
    name: 'right-to-left names',
    userAttributes: {
      ...baseAttributes,
      given_name: '\u0645\u062D\u0645\u062F',
      family_name: '\u05DB\u05D4\u05DF',
      name: RTL,
      nickname: '\u202Egnp.exe',
      preferred_username: '\u0639\u0644\u064A \u{1F600}',
    },
  },
  {
    name: 'emoji',
    userAttributes: {
      ...baseAttributes,
      given_name: EMOJI,
      family_name: '\u{1F3F3}\uFE0F\u200D\u{1F308}',
      name: '\u{1F9D1}\u{1F3FF}\u200D\u{1F4BB} Dev',
      nickname: '\u{1F600}'.repeat(40),
      preferred_username: '\u{1F1FA}\u{1F1F3}',
    },
  },
  {
    name: 'HTML and script injection',
    userAttributes: {
      ...baseAttributes,
      given_name: '<script>alert(1)</script>',
      family_name: '"><img src=x onerror=alert(1)>',
      name: '</p></article></body></html><p>',
      nickname: '&lt;b&gt; {{appName}} {{{content}}}',
      preferred_username: "javascript:alert('x')//",
    },
  },
  {
    name: 'placeholder look-alikes',
    userAttributes: {
      ...baseAttributes,
      given_name: '{####}',
      family_name: '{username}',
      name: '{##Click Here##}',
      nickname: '{{code}} {{link}}',
      preferred_username: '{####}{username}{##Verify Email##}',
    },
  },
  {
    name: 'placeholders split by invisible characters and look-alikes',
    userAttributes: {
      ...baseAttributes,
      given_name: '{\u200B####\u200D}',
      family_name: '\uFF5B####\uFF5D',
      name: '{\u2060username\uFEFF}',
      nickname: '\uFE5B##Click Here##\uFE5C',
      preferred_username: '{\u00AD##x##\u202E}',
    },
  },
  {
    name: 'links and hosts',
    userAttributes: {
      ...baseAttributes,
      given_name: 'see https://evil.example/v?c={####}',
      family_name: 'Click www.evil.example now',
      name: 'Jane evil.example',
      nickname: 'evil\u3002example',
      preferred_username: 'jane@evil.example',
    },
  },
  {
    name: 'control and invisible characters',
    userAttributes: everyAttribute('A\u0000B\r\nC\u0085D\u2028E\uFEFFF\uD800G\uE000H\uFFFFI\u00A0J\u001BK'),
  },
];

/** A 64-code-point name with accented letters: as long as `APP_NAME` may be. */
const LONG_APP_NAME = filled('Ünïcødé Çafé Ñandú ', APP_NAME_MAX_LENGTH);

/** An https URL of {@link CONFIRM_URL_LENGTH} characters with a query of its own. */
function longConfirmUrl(): string {
  const start = `https://${'accounts-'.repeat(6)}auth.example.com/`;
  const query = '?flow=verify&campaign=spring';
  return `${start}${filled('verify/', CONFIRM_URL_LENGTH - start.length - query.length)}${query}`;
}

/** The built-in configurations: ordinary, as long as each value realistically gets, and without a link. */
export const lintConfigurations: readonly LintConfiguration[] = [
  {
    name: 'typical',
    options: {
      appName: 'Example',
      supportEmail: 'help@example.com',
      confirmUrl: 'https://app.example.com/confirm',
      allowedRedirectOrigins: [ALLOWED_ORIGIN],
    },
    userName: 'jane.doe',
    clientId: '1example23456789abcdefghij',
  },
  {
    name: 'long values',
    options: {
      appName: LONG_APP_NAME,
      supportEmail: `${'support-'.repeat(5)}team@help.example.com`,
      confirmUrl: longConfirmUrl(),
      allowedRedirectOrigins: [ALLOWED_ORIGIN],
    },
    // Three UTF-8 bytes per character: each becomes nine characters in the link's query.
    userName: '\u7528'.repeat(USERNAME_MAX_LENGTH),
    clientId: filled('0123456789abcdefghijklmnopqrstuvwxyz', USERNAME_MAX_LENGTH),
    // As long as ClientMetadata may carry it, full of characters the query encoding triples.
    redirectUri: `${ALLOWED_ORIGIN}/${filled('after/verify?next=/home&tab=1#top/', REDIRECT_MAX_LENGTH - ALLOWED_ORIGIN.length - 1)}`,
  },
  {
    name: 'no CONFIRM_URL, admin client',
    options: { appName: 'Example' },
    userName: 'jane.doe@example.com',
    clientId: 'CLIENT_ID_NOT_APPLICABLE',
  },
  {
    name: 'pool that verifies email by link',
    options: { appName: 'Example', supportEmail: 'help@example.com', emailOption: 'CONFIRM_WITH_LINK' },
    userName: '{####}{username}',
    clientId: '1example23456789abcdefghij',
    // A pool that verifies by link always sends its link placeholder.
    linkParameters: ['present'],
  },
];

// A host written with any dot a mail client or an IDN parser reads as one, a scheme, `www.` before a word,
// or an address: what a mail client turns into a link.
const LINK_TEXT = /[\p{L}\p{N}-]+\s*[.\u3002\uFF0E\uFF61]\s*[\p{L}\p{N}-]+|:\/\/|www\.(?=[\p{L}\p{N}])|@/gu;
// This toolkit's own verification link, in an href: its query carries the percent-encoded user name.
const OWN_HREF = /href="[^"]*"/g;

/** The link-making pieces of a field, outside the hrefs the templates write. */
function linkTextOf(text: string): string[] {
  return (text.replace(OWN_HREF, '').match(LINK_TEXT) ?? []).sort();
}

function eventOf(
  source: CustomMessageTriggerSource,
  locale: string,
  configuration: LintConfiguration,
  input: LintInputCase,
  link: LinkParameterCase,
): CustomMessageEvent {
  const clientMetadata: Record<string, string> = { locale };
  if (configuration.redirectUri !== undefined) clientMetadata.redirectUri = configuration.redirectUri;
  const request: CustomMessageEvent['request'] = {
    userAttributes: { ...input.userAttributes },
    codeParameter: '{####}',
    // Cognito sends `{username}` for invitations only, JSON null otherwise (contract §3, Request).
    usernameParameter: source === 'CustomMessage_AdminCreateUser' ? '{username}' : null,
    clientMetadata,
  };
  if (link !== 'absent') request.linkParameter = link === 'present' ? '{##Click Here##}' : null;
  return {
    version: '1',
    region: 'us-east-1',
    userPoolId: 'us-east-1_EXAMPLE',
    userName: configuration.userName,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: configuration.clientId },
    triggerSource: source,
    request,
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  };
}

function describeProblem(field: MessageField, problem: FieldProblem): string {
  return problem.rule === 'missing-value'
    ? `${field} needs {{${problem.variable}}}, which the event or configuration did not provide`
    : describeBreach(field, problem);
}

/**
 * Renders every template × locale × source × configuration × input case × `linkParameter` shape through
 * composeMessages and checks each field. Never throws for a template problem: it is reported.
 * @throws OptionsError when a configuration is one the trigger itself would refuse at cold start.
 *
 * @example
 * const { failed, failures } = lintMessages();
 */
export function lintMessages(options: LintMessagesOptions = {}): LintReport {
  const {
    catalogue = compiledCatalogue,
    configurations = lintConfigurations,
    inputCases = lintInputCases,
    linkParameters = ['present', 'null', 'absent'],
  } = options;
  const report: LintReport = { checked: 0, failed: 0, failures: [] };
  for (const configuration of configurations) {
    const composeMessage = composeMessages({ ...configuration.options, catalogue });
    for (const locale of Object.keys(catalogue.locales)) {
      for (const source of customMessageSources) {
        for (const input of inputCases) {
          for (const link of configuration.linkParameters ?? linkParameters) {
            const event = eventOf(source, locale, configuration, input, link);
            const composed = composeMessage(event);
            // What the same template renders for ordinary values: caller text may not add to it.
            const typical = inputCases[0] ?? lintInputCases[0];
            const reference = composeMessage(
              eventOf(source, locale, configuration, typical ?? input, link),
            ).response;
            const where = { locale, source, configuration: configuration.name, inputCase: input.name };
            const checkInput = { ...event.request, triggerSource: source };
            for (const field of fields) {
              report.checked += 1;
              const failures: LintFailure[] = [];
              const fail = (rule: LintFailure['rule'], description: string) =>
                failures.push({ ...where, field, linkParameter: link, rule, description });
              if (composed.locale !== locale) {
                fail('wrong-locale', `${field} was rendered in ${composed.locale}, not ${locale}`);
              }
              const value = composed.response[field];
              // Checked again here, not only trusted from the composer's notes: the lint must not share a bug.
              const emailOption = configuration.options.emailOption;
              for (const breach of checkMessageField(field, value, checkInput, emailOption)) {
                fail(breach.rule, describeBreach(field, breach));
              }
              const expected = reference[field] ?? '';
              if (
                value !== null &&
                countPlaceholders(value, event.request) > countPlaceholders(expected, event.request)
              ) {
                fail(
                  'extra-placeholder',
                  `${field} has more Cognito placeholders than its template (caller text made one)`,
                );
              }
              if (value !== null && linkTextOf(value).join(' ') !== linkTextOf(expected).join(' ')) {
                fail('caller-link', `${field} shows a URL, host or address that the template does not`);
              }
              if (value === null) {
                const dropped = composed.notes.flatMap((note) =>
                  note.kind === 'field-dropped' && note.field === field ? note.problems : [],
                );
                for (const problem of dropped) fail(problem.rule, describeProblem(field, problem));
                if (dropped.length === 0) fail('no-template', `${field} is null: no template for ${source}`);
              }
              if (failures.length > 0) {
                report.failed += 1;
                report.failures.push(...failures);
              }
            }
          }
        }
      }
    }
  }
  return report;
}

/** One failure as one line: where it happened, then the rule. */
export function formatFailure(failure: LintFailure): string {
  return (
    `${failure.locale} ${failure.source} ${failure.field} ` +
    `[${failure.configuration} / ${failure.inputCase} / linkParameter ${failure.linkParameter}]: ` +
    `${failure.rule}: ${failure.description}`
  );
}

const USAGE = `Usage: npm run lint:messages

Renders every custom message template x shipped locale x trigger source through the trigger's composer with
worst-case inputs, and fails (exit 1) when a field comes out null or breaks one of Cognito's rules. Each
failure names the locale, the source, the field, the input case and the rule; the last line is
"N checked, N failed".

When APP_NAME is set, the configuration in the environment (APP_NAME, SUPPORT_EMAIL, CONFIRM_URL,
ALLOWED_REDIRECT_ORIGINS, DEFAULT_LOCALE) is linted too.

Options:
  -h, --help   show this help`;

async function main(): Promise<number> {
  const { values } = parseCommandLine({ options: {} });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const configurations = [...lintConfigurations];
  if ((process.env.APP_NAME ?? '').trim() !== '') {
    configurations.push({
      name: 'environment',
      options: composeMessagesOptionsFromEnv(process.env),
      userName: 'jane.doe',
      clientId: '1example23456789abcdefghij',
    });
  }
  const report = lintMessages({ configurations });
  for (const failure of report.failures) console.error(formatFailure(failure));
  console.log(`${report.checked} checked, ${report.failed} failed`);
  return report.failed === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runMain(main, { errorPrefix: 'lint-messages: ', usage: USAGE });
}
