/**
 * Where the suite reads the messages an endpoint sends (the code to confirm a sign-up or reset a password, and
 * for some checks the text). An endpoint delivers them somewhere only it knows, so the suite is told where:
 * - `inbox:<dir>`: the local pipeline's inbox (`messages.jsonl` and one file per message, local/inbox.ts);
 * - `cognito-local:<dir>`: cognito-local's data folder (`<dir>/<pool id>.json`), which keeps each user's last
 *   code as `ConfirmationCode` and nothing of the text.
 * Without a source, the checks that need a code or a text are not applicable.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidOptionError } from '../local/errors.js';
import { isObject } from '../shared/parse-event.js';

/** A message as far as the source knows it. */
export type DeliveredMessage = {
  code: string;
  /** Whether the trigger's text was sent (else the pool's or Cognito's default); unknown to some sources. */
  custom?: boolean;
  subject?: string;
  body?: string;
};

/** A reader of delivered messages. */
export type MessageSource = {
  /** `inbox:<dir>` or `cognito-local:<dir>`, the folder absolute. */
  description: string;
  /** Whether {@link DeliveredMessage.custom}, `subject` and `body` are known. */
  readsText: boolean;
  /** The latest message sent to `address` (a user's email) of pool `userPoolId`. */
  latest(address: string, userPoolId: string): DeliveredMessage | undefined;
};

type InboxLine = { to?: unknown; code?: unknown; custom?: unknown; subject?: unknown; file?: unknown };

function inboxLines(directory: string): InboxLine[] {
  const file = join(directory, 'messages.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as InboxLine);
}

/** The body of an inbox file: after the header block of a text file, after the header comment of HTML. */
function inboxBody(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.html')) return text.slice(text.indexOf('-->\n') + 4);
  return text.slice(text.indexOf('\n\n') + 2).replace(/\n$/, '');
}

/** The local pipeline's inbox folder. */
export function inboxSource(directory: string): MessageSource {
  return {
    description: `inbox:${directory}`,
    readsText: true,
    latest(address) {
      const line = inboxLines(directory)
        .filter((entry) => entry.to === address)
        .at(-1);
      if (line === undefined) return undefined;
      const body = typeof line.file === 'string' ? inboxBody(line.file) : undefined;
      return {
        code: String(line.code ?? ''),
        ...(typeof line.custom === 'boolean' ? { custom: line.custom } : {}),
        ...(typeof line.subject === 'string' ? { subject: line.subject } : {}),
        ...(body === undefined ? {} : { body }),
      };
    },
  };
}

/** cognito-local's data folder (`.cognito/db`), read fresh at every call. */
export function cognitoLocalSource(directory: string): MessageSource {
  return {
    description: `cognito-local:${directory}`,
    readsText: false,
    latest(address, userPoolId) {
      const file = join(directory, `${userPoolId}.json`);
      if (!existsSync(file)) return undefined;
      const pool: unknown = JSON.parse(readFileSync(file, 'utf8'));
      const users = isObject(pool) && isObject(pool.Users) ? Object.values(pool.Users) : [];
      for (const user of users) {
        if (!isObject(user) || !Array.isArray(user.Attributes)) continue;
        const email = user.Attributes.find((attribute) => isObject(attribute) && attribute.Name === 'email');
        if (!isObject(email) || email.Value !== address) continue;
        return typeof user.ConfirmationCode === 'string' ? { code: user.ConfirmationCode } : undefined;
      }
      return undefined;
    },
  };
}

/**
 * Reads `--messages <kind>:<dir>`.
 *
 * @example
 * messageSourceOf('inbox:/tmp/cognito-sign-up-local-Ab12/inbox');
 */
export function messageSourceOf(option: string): MessageSource {
  const at = option.indexOf(':');
  const kind = at < 0 ? '' : option.slice(0, at);
  const directory = resolve(option.slice(at + 1));
  if (kind === 'inbox') return inboxSource(directory);
  if (kind === 'cognito-local') return cognitoLocalSource(directory);
  throw new InvalidOptionError('messages', option, 'inbox:<dir> or cognito-local:<dir>');
}
