/**
 * Compiles the custom message templates (triggers/custom-message/templates/<locale>/*.yaml, the link-mode
 * emails <locale>/<source>.link.yaml, the custom email sender's notifications <locale>/<name>.notification.yaml
 * (notification-syntax.ts), and layout.html)
 * into triggers/custom-message/templates/compiled.ts and, for the notifications, compiled-notifications.ts
 * (only the custom email sender imports it, so the custom message bundle does not carry them): plain data
 * modules the bundles import, with no file reads and no template parsing at runtime. Every template is
 * checked here (template-syntax.ts), so a broken one fails the build, naming the file and the rule.
 *
 * Usage: `npm run templates` writes the modules; `--check` only exits 1 when one is stale. `--help` prints the
 * usage; an unknown option or an argument is a usage error (exit 2).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { parseCommandLine } from '../cli/command-line.js';
import { runMain } from '../cli/run-main.js';
import type { CustomMessageTriggerSource } from '../shared/event-types.js';
import { type LinkVerificationSource, linkVerificationSources } from '../shared/message-rules.js';
import { customMessageSources } from '../shared/trigger-source.js';
import type {
  CompiledLinkMessage,
  CompiledLocale,
  CompiledMessage,
  MessageCatalogue,
  NotificationCatalogue,
} from '../triggers/custom-message/message-catalogue.js';
import { compileNotificationTemplate } from '../triggers/custom-message/notification-syntax.js';
import {
  type CompiledNotification,
  type NotificationName,
  notificationFileOf,
  notificationNames,
} from '../triggers/custom-message/notification-template.js';
import { compileTemplate, TemplateError } from '../triggers/custom-message/template-syntax.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
/** Where the template files live. */
export const templatesDirectory = join(projectRoot, 'triggers', 'custom-message', 'templates');
/** The generated module of the custom message catalogue. */
export const compiledModulePath = join(templatesDirectory, 'compiled.ts');
/** The generated module of the custom email sender's notifications. */
export const compiledNotificationsModulePath = join(templatesDirectory, 'compiled-notifications.ts');
/** The locale every other one falls back to; listed first in the module. */
const sourceLocale = 'en';
const fields = ['emailSubject', 'emailMessage', 'smsMessage'] as const;
const linkFields = ['emailSubject', 'emailMessage'] as const;
const notificationFields = ['emailSubject', 'emailMessage', 'footer'] as const;

/** `CustomMessage_AdminCreateUser` -> `admin-create-user`, the template's file name without `.yaml`. */
export function templateFileOf(source: CustomMessageTriggerSource): string {
  return source
    .slice('CustomMessage_'.length)
    .replace(/[A-Z]/g, (letter, index: number) => `${index === 0 ? '' : '-'}${letter.toLowerCase()}`);
}

function readYaml(path: string, name: string): Record<string, unknown> {
  let document: unknown;
  try {
    document = parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new TemplateError(name, 'is not valid YAML', { cause });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new TemplateError(name, 'must be a YAML mapping');
  }
  return document as Record<string, unknown>;
}

function stringAt(document: Record<string, unknown>, key: string, name: string): string {
  const value = document[key];
  if (typeof value !== 'string') throw new TemplateError(name, `needs a string "${key}"`);
  return value;
}

function checkKeys(document: Record<string, unknown>, keys: readonly string[], name: string): void {
  for (const key of Object.keys(document)) {
    if (!keys.includes(key)) throw new TemplateError(name, `has the unknown key "${key}"`);
  }
}

/** `CustomMessage_SignUp` -> `sign-up.link`: the link-verification email's file name without `.yaml`. */
export function linkTemplateFileOf(source: LinkVerificationSource): string {
  return `${templateFileOf(source)}.link`;
}

function compileLinkMessage(directory: string, locale: string, source: LinkVerificationSource) {
  const name = `${locale}/${linkTemplateFileOf(source)}.yaml`;
  const document = readYaml(join(directory, locale, `${linkTemplateFileOf(source)}.yaml`), name);
  checkKeys(document, linkFields, name);
  const [emailSubject, emailMessage] = linkFields.map((field) =>
    compileTemplate(`${name}#${field}`, stringAt(document, field, name), {
      kind: 'link-message',
      source,
      field,
    }),
  );
  if (emailSubject === undefined || emailMessage === undefined)
    throw new TemplateError(name, 'is incomplete');
  return { emailSubject, emailMessage };
}

function compileNotification(directory: string, locale: string, notification: NotificationName) {
  const name = `${locale}/${notificationFileOf(notification)}.yaml`;
  const document = readYaml(join(directory, locale, `${notificationFileOf(notification)}.yaml`), name);
  checkKeys(document, notificationFields, name);
  const [emailSubject, emailMessage, footer] = notificationFields.map((field) =>
    compileNotificationTemplate(`${name}#${field}`, stringAt(document, field, name), field),
  );
  if (emailSubject === undefined || emailMessage === undefined || footer === undefined)
    throw new TemplateError(name, 'is incomplete');
  return { emailSubject, emailMessage, footer };
}

/** One locale's messages, and its notifications (compiled to a module of their own). */
function compileLocale(
  directory: string,
  locale: string,
): { compiled: CompiledLocale; notifications: Record<NotificationName, CompiledNotification> } {
  const expected = new Set([
    'locale.yaml',
    ...customMessageSources.map((s) => `${templateFileOf(s)}.yaml`),
    ...linkVerificationSources.map((s) => `${linkTemplateFileOf(s)}.yaml`),
    ...notificationNames.map((n) => `${notificationFileOf(n)}.yaml`),
  ]);
  for (const file of readdirSync(join(directory, locale))) {
    if (!expected.has(file))
      throw new TemplateError(`${locale}/${file}`, 'is not a template this trigger reads');
  }
  const localeName = `${locale}/locale.yaml`;
  const settings = readYaml(join(directory, locale, 'locale.yaml'), localeName);
  checkKeys(settings, ['dir', 'footer'], localeName);
  const dir = stringAt(settings, 'dir', localeName);
  if (dir !== 'ltr' && dir !== 'rtl') throw new TemplateError(localeName, 'needs "dir" to be ltr or rtl');
  const footer = compileTemplate(`${localeName}#footer`, stringAt(settings, 'footer', localeName), {
    kind: 'footer',
  });
  const messages = {} as Record<CustomMessageTriggerSource, CompiledMessage>;
  for (const source of customMessageSources) {
    const name = `${locale}/${templateFileOf(source)}.yaml`;
    const document = readYaml(join(directory, locale, `${templateFileOf(source)}.yaml`), name);
    checkKeys(document, fields, name);
    const [emailSubject, emailMessage, smsMessage] = fields.map((field) =>
      compileTemplate(`${name}#${field}`, stringAt(document, field, name), {
        kind: 'message',
        source,
        field,
      }),
    );
    if (emailSubject === undefined || emailMessage === undefined || smsMessage === undefined) {
      throw new TemplateError(name, 'is incomplete');
    }
    messages[source] = { emailSubject, emailMessage, smsMessage };
  }
  const linkMessages = {} as Record<LinkVerificationSource, CompiledLinkMessage>;
  for (const source of linkVerificationSources) {
    linkMessages[source] = compileLinkMessage(directory, locale, source);
  }
  const notifications = {} as Record<NotificationName, CompiledNotification>;
  for (const notification of notificationNames) {
    notifications[notification] = compileNotification(directory, locale, notification);
  }
  return { compiled: { dir, footer, messages, linkMessages }, notifications };
}

/** Every template compiled: the custom message catalogue, and the notifications of the same locales. */
export type CompiledTemplates = { catalogue: MessageCatalogue; notifications: NotificationCatalogue };

/**
 * Reads and checks every template under `directory`. Locale folders are named by their canonical BCP 47 tag
 * (`pt-BR`, not `pt_br`); `en` comes first, then the others alphabetically.
 * @throws TemplateError naming the file and the rule it breaks.
 */
export function readTemplates(directory: string = templatesDirectory): CompiledTemplates {
  const locales = readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => (a === sourceLocale ? -1 : b === sourceLocale ? 1 : a.localeCompare(b, 'en')));
  if (locales[0] !== sourceLocale)
    throw new TemplateError(`${sourceLocale}/`, 'is missing: it is the fallback');
  const compiled: Record<string, CompiledLocale> = {};
  const notifications: Record<string, Record<NotificationName, CompiledNotification>> = {};
  for (const locale of locales) {
    let canonical: string | undefined;
    try {
      canonical = Intl.getCanonicalLocales(locale)[0];
    } catch {
      canonical = undefined;
    }
    if (canonical !== locale) throw new TemplateError(`${locale}/`, 'is not a canonical BCP 47 language tag');
    const compiledLocale = compileLocale(directory, locale);
    compiled[locale] = compiledLocale.compiled;
    notifications[locale] = compiledLocale.notifications;
  }
  // The layout's HTML comments are for its readers and linters (a biome-ignore), not for recipients.
  const layoutText = readFileSync(join(directory, 'layout.html'), 'utf8').replace(/<!--[\s\S]*?-->\n?/g, '');
  const layout = compileTemplate('layout.html', layoutText, { kind: 'layout' });
  return { catalogue: { layout, locales: compiled }, notifications };
}

/** The custom message catalogue of every template under `directory` ({@link readTemplates}). */
export function readCatalogue(directory: string = templatesDirectory): MessageCatalogue {
  return readTemplates(directory).catalogue;
}

const GENERATED_HEADER = [
  `// Generated by scripts/compile-templates.ts from the files beside it. Do not edit: change a template and run`,
  `// \`npx tsx scripts/compile-templates.ts\`. A unit test fails when this file is stale.`,
];

/** `lines` as the module at `path`, formatted as Biome formats it (so `biome ci` accepts it unchanged). */
function formattedModule(path: string, lines: readonly string[]): string {
  const biome = join(projectRoot, 'node_modules', '.bin', 'biome');
  return execFileSync(biome, ['format', `--stdin-file-path=${relative(projectRoot, path)}`], {
    cwd: projectRoot,
    input: [...GENERATED_HEADER, ...lines, ''].join('\n'),
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** The source of templates/compiled.ts. */
export function renderCatalogueModule(catalogue: MessageCatalogue): string {
  return formattedModule(compiledModulePath, [
    `import type { MessageCatalogue } from '../message-catalogue.js';`,
    '',
    '/** The shipped locales; a language-only fallback prefers the earlier one. */',
    `export const shippedLocales = ${JSON.stringify(Object.keys(catalogue.locales))} as const;`,
    '',
    '/** Every compiled template (see message-catalogue.ts). */',
    `export const compiledCatalogue: MessageCatalogue = ${JSON.stringify(catalogue)};`,
  ]);
}

/** The source of templates/compiled-notifications.ts. */
export function renderNotificationsModule(notifications: NotificationCatalogue): string {
  return formattedModule(compiledNotificationsModulePath, [
    `import type { NotificationCatalogue } from '../message-catalogue.js';`,
    '',
    "/** The custom email sender's notifications, per shipped locale (see message-catalogue.ts). */",
    `export const compiledNotifications: NotificationCatalogue = ${JSON.stringify(notifications)};`,
  ]);
}

const USAGE = `Usage: npm run templates [-- --check]

Compiles the custom message templates (triggers/custom-message/templates/<locale>/*.yaml and layout.html)
into triggers/custom-message/templates/compiled.ts (and the custom email sender's notifications into
compiled-notifications.ts), checking every template; a broken one fails (exit 1), naming the file and the rule.

Options:
  --check      write nothing; exit 1 when compiled.ts or compiled-notifications.ts is stale
  -h, --help   show this help`;

/** The committed source of a generated module, or `''` when there is none yet. */
function currentSourceOf(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

async function main(): Promise<number> {
  const { values } = parseCommandLine({ options: { check: { type: 'boolean', default: false } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const { catalogue, notifications } = readTemplates();
  const modules = [
    { path: compiledModulePath, expected: renderCatalogueModule(catalogue) },
    { path: compiledNotificationsModulePath, expected: renderNotificationsModule(notifications) },
  ].map((module) => ({ ...module, current: currentSourceOf(module.path) }));
  const stale = modules.filter((module) => module.current !== module.expected);
  if (values.check) {
    for (const module of stale) {
      console.error(
        `${relative(projectRoot, module.path)} is stale: run npx tsx scripts/compile-templates.ts`,
      );
    }
    return stale.length === 0 ? 0 : 1;
  }
  for (const module of modules) {
    if (module.current !== module.expected) writeFileSync(module.path, module.expected);
    console.log(
      `${relative(projectRoot, module.path)} ${module.current === module.expected ? 'is up to date' : 'written'}`,
    );
  }
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runMain(main, { errorPrefix: 'compile-templates: ', errorExitCode: 1, usage: USAGE });
}
