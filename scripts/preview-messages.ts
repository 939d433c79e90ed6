/**
 * Writes a static gallery of every custom message (dist/preview/index.html): one card per trigger source ×
 * shipped locale with the email subject, the email body in a sandboxed iframe and the SMS with its length.
 * Every card goes through `composeMessages`, the trigger's own runtime path, with realistic sample inputs, so
 * what the page shows is what Cognito would receive. Nothing is sent anywhere.
 *
 * Usage: `npm run preview` writes the page and prints its absolute path; `--help` prints the usage, and any
 * argument is a usage error (exit 2).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseCommandLine } from '../cli/command-line.js';
import { runMain } from '../cli/run-main.js';
import { fromProjectRoot } from '../harness/paths.js';
import type { CustomMessageEvent, CustomMessageTriggerSource } from '../shared/event-types.js';
import { describeBreach, MessageLimits } from '../shared/message-rules.js';
import { customMessageSources } from '../shared/trigger-source.js';
import {
  type ComposedMessage,
  type ComposeMessagesOptions,
  composeMessages,
  type MessageNote,
} from '../triggers/custom-message/compose-message.js';
import { escapeHtml } from '../triggers/custom-message/sanitize-value.js';
import { compiledCatalogue } from '../triggers/custom-message/templates/compiled.js';

/** Where the gallery is written. */
export const previewFile = fromProjectRoot('dist/preview/index.html');

/** The configuration the gallery renders with, as `events/env.json` configures the function. */
export const previewOptions = {
  appName: 'Example',
  supportEmail: 'support@example.com',
  defaultLocale: 'en',
  confirmUrl: 'https://app.example.com/confirm',
  allowedRedirectOrigins: ['https://app.example.com'],
} as const satisfies ComposeMessagesOptions;

// A plausible user per locale, so accents and non-ASCII letters show up in the gallery too.
const sampleNames: Readonly<Record<string, { given_name: string; family_name: string }>> = {
  en: { given_name: 'Jane', family_name: 'Doe' },
  es: { given_name: 'María', family_name: 'García' },
  fr: { given_name: 'Élodie', family_name: 'Lefèvre' },
  'pt-BR': { given_name: 'João', family_name: 'Conceição' },
};
const fallbackName = { given_name: 'Jane', family_name: 'Doe' };

/**
 * A Cognito custom message event for `source`, asking for `locale` through ClientMetadata (the first step of
 * locale negotiation), with Cognito's own placeholders (contract §3, Request).
 */
export function sampleEvent(source: CustomMessageTriggerSource, locale: string): CustomMessageEvent {
  const name = sampleNames[locale] ?? fallbackName;
  return {
    version: '1',
    region: 'us-east-1',
    userPoolId: 'us-east-1_EXAMPLE',
    userName: 'jane.doe',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '1example23456789abcdefghij' },
    triggerSource: source,
    request: {
      userAttributes: {
        sub: '0f2a8e7c-5555-4222-8333-444455556666',
        'cognito:user_status':
          source === 'CustomMessage_AdminCreateUser' ? 'FORCE_CHANGE_PASSWORD' : 'CONFIRMED',
        email: 'jane.doe@example.com',
        email_verified: 'true',
        phone_number: '+15555550100',
        phone_number_verified: 'true',
        ...name,
      },
      codeParameter: '{####}',
      linkParameter: '{##Click Here##}',
      // Cognito sends the username placeholder for invitations only (contract §3, Request).
      usernameParameter: source === 'CustomMessage_AdminCreateUser' ? '{username}' : null,
      clientMetadata: { locale },
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  };
}

/** One card of the gallery. */
export type PreviewCard = {
  source: CustomMessageTriggerSource;
  locale: string;
  dir: 'ltr' | 'rtl';
  composed: ComposedMessage;
};

/**
 * Every source × shipped locale, composed by the trigger's composer.
 * @throws Error when the composer picked another locale than the one asked for: the card would be mislabelled.
 */
export function previewCards(): PreviewCard[] {
  const composeMessage = composeMessages(previewOptions);
  return Object.entries(compiledCatalogue.locales).flatMap(([locale, { dir }]) =>
    customMessageSources.map((source) => {
      const composed = composeMessage(sampleEvent(source, locale));
      if (composed.locale !== locale) {
        throw new Error(`${source} asked for ${locale} but was composed in ${composed.locale}`);
      }
      return { source, locale, dir, composed };
    }),
  );
}

const numbers = new Intl.NumberFormat('en');

function languageName(locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(locale) ?? locale;
  } catch {
    return locale;
  }
}

function describeNote(note: MessageNote): string {
  switch (note.kind) {
    case 'metadata-ignored':
      return `ClientMetadata ignored: ${note.reason}`;
    case 'redirect-dropped':
      return `redirectUri dropped: ${note.reason}`;
    case 'unknown-source':
      return 'no template for this source: Cognito sends the pool defaults';
    case 'value-withheld':
      return `{{${note.variable}}} withheld: the value does not read as a name`;
    case 'field-dropped':
      return note.problems
        .map((problem) =>
          problem.rule === 'missing-value'
            ? `${note.field} needs {{${problem.variable}}}, which the event did not carry`
            : describeBreach(note.field, problem),
        )
        .join('; ');
  }
}

// "null" is what the trigger answers for a field it could not render: Cognito then uses the pool's default.
function renderDropped(field: string): string {
  return `<p class="dropped">${escapeHtml(field)} is <code>null</code>: Cognito sends the pool's default</p>`;
}

// `n/max`, flagged when over Cognito's limit (the composer never lets that through: it answers null).
function renderCount(length: number, max: number): string {
  const over = length > max ? ' over' : '';
  return `<span class="count${over}">${numbers.format(length)}/${numbers.format(max)}</span>`;
}

function renderCard(card: PreviewCard): string {
  const { source, locale, dir, composed } = card;
  const { emailSubject, emailMessage, smsMessage } = composed.response;
  const id = `${source}-${locale}`.replace(/[^A-Za-z0-9-]/g, '-');
  const text = `lang="${escapeHtml(locale)}" dir="${escapeHtml(dir)}"`;
  const subject =
    emailSubject === null
      ? renderDropped('emailSubject')
      : `<p class="subject"><span class="label">Subject</span> <span ${text}>${escapeHtml(emailSubject)}</span></p>
<p class="meta">subject ${renderCount(emailSubject.length, MessageLimits.subjectMaxLength)}${
          emailMessage === null
            ? ''
            : ` · email ${renderCount(emailMessage.length, MessageLimits.emailMaxLength)}`
        }</p>`;
  // The email is a whole document: a sandboxed srcdoc iframe (no scripts, no same origin) keeps its styles
  // and anything in it away from the gallery.
  const email =
    emailMessage === null
      ? renderDropped('emailMessage')
      : `<iframe class="email" sandbox="" referrerpolicy="no-referrer" title="${escapeHtml(
          `Email, ${source}, ${locale}`,
        )}" srcdoc="${escapeHtml(emailMessage)}"></iframe>`;
  const sms =
    smsMessage === null
      ? renderDropped('smsMessage')
      : `<p class="sms" ${text}>${escapeHtml(smsMessage)}</p>
<p class="meta">${renderCount(smsMessage.length, MessageLimits.smsMaxLength)} characters</p>`;
  const notes = composed.notes.map((note) => `<li>${escapeHtml(describeNote(note))}</li>`).join('');
  return `<article class="card" id="${escapeHtml(id)}" data-source="${escapeHtml(source)}" data-locale="${escapeHtml(locale)}" aria-labelledby="${escapeHtml(id)}-title">
<h3 class="card-title" id="${escapeHtml(id)}-title"><code>${escapeHtml(source).replace('_', '_<wbr>')}</code> <span class="locale">${escapeHtml(locale)}</span></h3>
<p class="language">${escapeHtml(languageName(locale))}</p>
${subject}
${email}
<h4>SMS</h4>
${sms}
${notes === '' ? '' : `<ul class="notes">${notes}</ul>`}
</article>`;
}

const styles = `
*{box-sizing:border-box}
body{margin:0;background:#e4e4e7;color:#18181b;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
header{padding:24px 32px;background:#18181b;color:#fafafa}
header h1{margin:0 0 8px;font-size:24px}
header p{margin:4px 0;max-width:1100px;color:#d4d4d8}
header code{color:#fde68a}
main{padding:8px 32px 32px}
section{margin-top:24px}
h2{margin:0 0 12px;font-size:19px}
h2 code{font-size:15px;font-weight:normal;color:#52525b}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(290px,1fr));gap:16px;align-items:start}
.card{background:#fff;border:1px solid #d4d4d8;border-radius:8px;padding:12px 14px;min-width:0}
.card-title{margin:0;font-size:14px;display:flex;justify-content:space-between;gap:8px;align-items:baseline}
.card-title code{overflow-wrap:anywhere}
.locale{flex:none;padding:1px 8px;border-radius:999px;background:#1d4ed8;color:#fff;font-size:12px}
.language{margin:0 0 8px;color:#52525b;font-size:13px}
.subject{margin:0;font-weight:600;overflow-wrap:anywhere}
.label{display:inline-block;margin-right:4px;padding:0 6px;border-radius:4px;background:#f4f4f5;color:#52525b;font-size:12px;font-weight:normal}
.meta{margin:2px 0 8px;font-size:12px;color:#52525b}
.count.over{color:#b91c1c;font-weight:bold}
.email{display:block;width:100%;height:600px;border:1px solid #d4d4d8;border-radius:4px;background:#f4f4f5}
h4{margin:12px 0 4px;font-size:13px;color:#52525b}
.sms{margin:0;padding:8px 12px;border-radius:14px 14px 14px 4px;background:#dcfce7;white-space:pre-wrap;overflow-wrap:anywhere}
.dropped{margin:0 0 8px;padding:8px;border-radius:4px;background:#fef2f2;color:#991b1b}
.notes{margin:8px 0 0;padding-left:18px;font-size:12px;color:#991b1b}
`;

/** The gallery page for `cards`: one document, no scripts; every value is HTML-escaped. */
export function renderPreviewPage(cards: readonly PreviewCard[]): string {
  const locales = [...new Set(cards.map((card) => card.locale))];
  const sources = new Set(cards.map((card) => card.source));
  const sections = customMessageSources
    .map((source) => {
      const ofSource = cards.filter((card) => card.source === source);
      if (ofSource.length === 0) return '';
      const short = source.slice('CustomMessage_'.length);
      return `<section aria-labelledby="${escapeHtml(short)}">
<h2 id="${escapeHtml(short)}">${escapeHtml(short)} <code>${escapeHtml(source)}</code></h2>
<div class="cards">
${ofSource.map(renderCard).join('\n')}
</div>
</section>`;
    })
    .join('\n');
  const o = previewOptions;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'">
<title>${escapeHtml(`Custom message preview: ${o.appName}`)}</title>
<style>${styles}</style>
</head>
<body>
<header>
<h1>${escapeHtml(`Custom message preview: ${o.appName}`)}</h1>
<p>${escapeHtml(
    `${cards.length} cards: ${sources.size} trigger sources × ${locales.length} locales (${locales.join(', ')}), each composed by the trigger itself with APP_NAME "${o.appName}", CONFIRM_URL ${o.confirmUrl} and a sample user (given_name, family_name) per locale.`,
  )}</p>
<p>Placeholders are shown as Cognito's placeholders: <code>{####}</code> is where Cognito puts the code (or the
temporary password), <code>{username}</code> the user name. Cognito replaces them when it sends the message;
counts such as <code>41/140</code> are characters against Cognito's limit, placeholders counted as written,
which is how Cognito checks them.</p>
</header>
<main>
${sections}
</main>
</body>
</html>
`;
}

/** Writes the gallery and returns its absolute path. */
export function writePreview(): string {
  mkdirSync(dirname(previewFile), { recursive: true });
  writeFileSync(previewFile, renderPreviewPage(previewCards()));
  return previewFile;
}

const USAGE = `Usage: npm run preview

Writes a static gallery of every custom message (dist/preview/index.html): one card per trigger source x
shipped locale, composed by the trigger itself with sample inputs, and prints the page's absolute path.
Nothing is sent anywhere.

Options:
  -h, --help   show this help`;

async function main(): Promise<number> {
  const { values } = parseCommandLine({ options: {} });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  console.log(writePreview());
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runMain(main, { errorPrefix: 'preview: ', errorExitCode: 1, usage: USAGE });
}
