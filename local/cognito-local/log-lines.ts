/**
 * cognito-local's own log (pino JSON) as short lines for `--verbose`: its warnings and errors (each API error
 * it answers, an unsupported operation, a trigger it could not run), addresses masked. Its info lines are
 * left out: for an unsupported operation they dump the request body, password included.
 */
import { maskEmail } from '../../shared/mask.js';
import type { CognitoLocalModules } from './internals.js';

const LEVEL_NAMES: Readonly<Record<number, string>> = { 40: 'warn', 50: 'error', 60: 'fatal' };
const EMAIL = /[^\s"'<>()[\]{},;:]+@[^\s"'<>()[\]{},;:]+\.[A-Za-z]{2,}/g;

/** One pino JSON line as `warn Error handling target: SignUp (UsernameExistsException: User already exists)`. */
export function logLineOf(json: string): string | undefined {
  let entry: { level?: unknown; msg?: unknown; err?: { type?: unknown; code?: unknown; message?: unknown } };
  try {
    entry = JSON.parse(json) as typeof entry;
  } catch {
    return undefined;
  }
  const level = typeof entry.level === 'number' ? (LEVEL_NAMES[entry.level] ?? String(entry.level)) : 'log';
  const message = typeof entry.msg === 'string' ? entry.msg : '';
  const error = entry.err;
  const errorName =
    typeof error?.code === 'string' ? error.code : typeof error?.type === 'string' ? error.type : '';
  const detail =
    error === undefined || typeof error.message !== 'string' || error.message === message
      ? ''
      : ` (${errorName === '' ? '' : `${errorName}: `}${error.message})`;
  return `${level} ${message}${detail}`.replace(EMAIL, (address) => maskEmail(address));
}

/**
 * cognito-local's logger: silent without `write`, else warnings and errors as {@link logLineOf} lines.
 *
 * @example
 * const logger = cognitoLocalLogger(modules.pino, (line) => console.log(`cognito-local: ${line}`));
 */
export function cognitoLocalLogger(
  pino: CognitoLocalModules['pino'],
  write?: (line: string) => void,
): unknown {
  if (write === undefined) return pino({ level: 'silent' });
  return pino(
    { level: 'warn' },
    {
      write(chunk: string) {
        for (const json of chunk.split('\n')) {
          const line = json.trim() === '' ? undefined : logLineOf(json);
          if (line !== undefined) write(line);
        }
      },
    },
  );
}
