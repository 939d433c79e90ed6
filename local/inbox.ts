/**
 * The local inbox: every message the pool sends (the sign-up code, an invitation, a password reset code)
 * lands in a folder as a file a person can open — `.html` for an HTML email, `.txt` for a plain-text email
 * or an SMS — with the real code in it, where Cognito would have sent it. Each message is also a line of
 * `messages.jsonl` (recipient, subject, code, file), for scripts and tests.
 *
 * The text is what Cognito sends: the custom message trigger's text when Cognito accepts it, else the pool's
 * template, else Cognito's default message (contract §3).
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileSourceOf } from '../harness/fixtures.js';
// The same escaping as the trigger's own HTML.
import { escapeHtml } from '../triggers/custom-message/sanitize-value.js';
import { fillCodeAndUsername, MessagePlaceholder } from './cognito-events.js';
import { cognitoRequestContext } from './request-context.js';

/** One delivered message, as `messages.jsonl` lists it. */
export type InboxMessage = {
  /** 1, 2, … in delivery order. */
  sequence: number;
  channel: 'email' | 'sms';
  /** The address or phone number it went to. */
  to: string;
  /** The user's internal user name (the `sub` in pools that sign in by email). */
  userName: string;
  /** `CustomMessage_SignUp`, … (`unknown` when the operation is not known). */
  source: string;
  /** Email only. */
  subject?: string;
  /** The code or temporary password in the message. */
  code: string;
  /** Whether the text came from the custom message trigger (else a template or Cognito's default). */
  custom: boolean;
  /** Absolute path of the readable file. */
  file: string;
  at: string;
};

/** The pool's own message templates (`VerificationMessageTemplate`, `AdminCreateUserConfig.InviteMessageTemplate`). */
export type PoolMessageTemplates = {
  emailSubject?: string;
  emailMessage?: string;
  smsMessage?: string;
  inviteEmailSubject?: string;
  inviteEmailMessage?: string;
  inviteSmsMessage?: string;
};

/** What cognito-local hands a message sender (its `Message`): the trigger's texts with the code substituted. */
export type SentMessage = {
  __code?: string;
  emailMessage?: string;
  emailSubject?: string;
  smsMessage?: string;
};

/** cognito-local's `MessageSender`. */
export type MessageSender = {
  sendEmail(ctx: unknown, user: MessageUser, destination: string, message: SentMessage): Promise<void>;
  sendSms(ctx: unknown, user: MessageUser, destination: string, message: SentMessage): Promise<void>;
};

/** The part of cognito-local's `User` the inbox reads. */
export type MessageUser = { Username: string; Attributes?: readonly { Name?: string; Value?: string }[] };

/** The inbox: a message sender for cognito-local and a reader for scripts. */
export type Inbox = MessageSender & {
  /** The folder. */
  directory: string;
  /** Every message so far, oldest first. */
  messages(): InboxMessage[];
};

/** Options of {@link createInbox}. */
export type InboxOptions = {
  directory: string;
  templates?: PoolMessageTemplates;
  /** Called after each delivery (the live line prints the file). */
  onMessage?: (message: InboxMessage) => void;
};

// Cognito's own texts when neither the trigger nor the pool gives one.
const COGNITO_DEFAULTS = {
  emailSubject: 'Your verification code',
  emailMessage: `Your verification code is ${MessagePlaceholder.Code}. `,
  smsMessage: `Your verification code is ${MessagePlaceholder.Code}. `,
  inviteEmailSubject: 'Your temporary password',
  inviteEmailMessage: `Your username is ${MessagePlaceholder.Username} and temporary password is ${MessagePlaceholder.Code}. `,
  inviteSmsMessage: `Your username is ${MessagePlaceholder.Username} and temporary password is ${MessagePlaceholder.Code}. `,
  authenticationSmsMessage: `Your authentication code is ${MessagePlaceholder.Code}. `,
};

const INDEX_FILE = 'messages.jsonl';

/**
 * An inbox in `directory` (created if needed).
 *
 * @example
 * const inbox = createInbox({ directory: join(dataDir, 'inbox') });
 * // cognito-local: new MessageDeliveryService(inbox)
 */
export function createInbox(options: InboxOptions): Inbox {
  const { directory } = options;
  const templates = { ...COGNITO_DEFAULTS, ...options.templates };
  mkdirSync(directory, { recursive: true });
  // A kept data folder already holds messages: number on from them.
  let sequence = readInbox(directory).length;

  function defaultText(source: string, field: 'emailSubject' | 'emailMessage' | 'smsMessage'): string {
    if (source === 'CustomMessage_AdminCreateUser') {
      return {
        emailSubject: templates.inviteEmailSubject,
        emailMessage: templates.inviteEmailMessage,
        smsMessage: templates.inviteSmsMessage,
      }[field];
    }
    if (source === 'CustomMessage_Authentication' && field === 'smsMessage') {
      return templates.authenticationSmsMessage;
    }
    return templates[field];
  }

  function deliver(channel: 'email' | 'sms', user: MessageUser, to: string, sent: SentMessage): void {
    sequence += 1;
    const source = cognitoRequestContext.getStore()?.messageSource ?? 'unknown';
    const code = sent.__code ?? '';
    const name = `${String(sequence).padStart(4, '0')}-${source === 'unknown' ? 'message' : fileSourceOf(source)}`;
    const at = new Date().toISOString();
    // `{username}` in an invitation: the name the user signs in with (the email in an email-as-username pool).
    const signInName =
      user.Attributes?.find((attribute) => attribute.Name === 'email')?.Value ?? user.Username;
    let file: string;
    let subject: string | undefined;
    let custom: boolean;
    if (channel === 'email') {
      custom = sent.emailMessage !== undefined;
      // cognito-local substitutes only the first code placeholder: the rest are filled here.
      const body = fillCodeAndUsername(
        sent.emailMessage ?? defaultText(source, 'emailMessage'),
        code,
        signInName,
      );
      subject = sent.emailSubject ?? defaultText(source, 'emailSubject');
      const header = `From: the user pool\nTo: ${to}\nSubject: ${subject}\nDate: ${at}\n`;
      if (/<[a-z][\s\S]*>/i.test(body)) {
        file = join(directory, `${name}.html`);
        writeFileSync(file, `<!--\n${header.replaceAll('--', '- -')}-->\n${body}`);
      } else {
        file = join(directory, `${name}.txt`);
        writeFileSync(file, `${header}\n${body}\n`);
      }
    } else {
      custom = sent.smsMessage !== undefined;
      const body = fillCodeAndUsername(
        sent.smsMessage ?? defaultText(source, 'smsMessage'),
        code,
        signInName,
      );
      file = join(directory, `${name}.txt`);
      writeFileSync(file, `SMS to ${to} at ${at}\n\n${body}\n`);
    }
    const message: InboxMessage = {
      sequence,
      channel,
      to,
      userName: user.Username,
      source,
      ...(subject === undefined ? {} : { subject }),
      code,
      custom,
      file,
      at,
    };
    appendFileSync(join(directory, INDEX_FILE), `${JSON.stringify(message)}\n`);
    writeInboxIndex(directory);
    options.onMessage?.(message);
  }

  return {
    directory,
    async sendEmail(_ctx, user, destination, message) {
      deliver('email', user, destination, message);
    },
    async sendSms(_ctx, user, destination, message) {
      deliver('sms', user, destination, message);
    },
    messages: () => readInbox(directory),
  };
}

/** The messages of an inbox folder (`messages.jsonl`), oldest first; empty when none arrived yet. */
export function readInbox(directory: string): InboxMessage[] {
  let text: string;
  try {
    text = readFileSync(join(directory, INDEX_FILE), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as InboxMessage);
}

/** Writes `index.html` in the folder: a page listing every message, for a browser; returns its path. */
export function writeInboxIndex(directory: string): string {
  const rows = readInbox(directory)
    .map(
      (message) =>
        `<li><a href="${escapeHtml(basename(message.file))}">${escapeHtml(`${message.sequence} ${message.channel} ${message.source} to ${message.to}`)}</a></li>`,
    )
    .join('\n');
  const file = join(directory, 'index.html');
  writeFileSync(
    file,
    `<!DOCTYPE html>\n<meta charset="utf-8">\n<title>Local inbox</title>\n<ul>\n${rows}\n</ul>\n`,
  );
  return file;
}
