/**
 * `npm run --silent invite -- --email <e> --ttl <duration> [--pool <user pool id>] [--claim k=v]...
 * [--secret <s>]`
 *
 * Mints a signed invite (shared/invite.ts) and prints only the token on stdout, so
 * `TOKEN=$(npm run --silent invite -- …)` works. Bad arguments exit 2 with the reason and the usage on stderr.
 */
import { createInvite, InviteLimits } from '../shared/invite.js';
import { OptionsError } from '../shared/options.js';
import { parseSecretList } from '../shared/secret.js';
import { durationSecondsOf, parseCommandLine, UsageError } from './command-line.js';
import { runMain } from './run-main.js';

const USAGE = `Usage: npm run --silent invite -- --email <address> (--ttl <duration> | --expires <date>) [options]

Prints a signed invite token for <address>, for ValidationData key "invite" of a SignUp call.

Options:
  --email <address>     the invited address (the token binds its normal form: the sign-up may differ in letter
                        case and in the IDN or punycode form of the domain)
  --ttl <duration>      lifetime: a whole number with s, m, h or d (3600s, 30m, 12h, 7d)
  --expires <date>      or an ISO 8601 expiry instead of --ttl (2099-12-31T23:59:59Z)
  --issued-at <date>    ISO 8601 issue time (default: now); with --expires it makes the token reproducible
  --pool <id>           the user pool the invite is for (us-east-1_AbCdEf123): any other pool refuses it, even
                        one whose function holds the same secret (without it, every such pool accepts it)
  --claim <key=value>   a claim carried by the invite, repeatable (--claim tenant=acme --claim group=beta);
                        carried, not checked by the trigger
  --secret <secret>     the signing secret (at least ${InviteLimits.minSecretBytes} bytes); default: the environment
                        variable INVITE_SECRET (the first entry when it lists several). Prefer the variable:
                        a command-line argument lands in shell history and process lists.
  -h, --help            show this help`;

function parseDate(option: string, text: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:\d{2}))?$/.test(text)
    ? new Date(text)
    : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new UsageError(`${option} must be an ISO 8601 date such as 2099-12-31T23:59:59Z, not "${text}"`);
  }
  return date;
}

function parseClaims(items: readonly string[]): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const item of items) {
    const equals = item.indexOf('=');
    if (equals < 1) throw new UsageError(`--claim must be key=value, not "${item}"`);
    const key = item.slice(0, equals);
    if (Object.hasOwn(claims, key)) throw new UsageError(`--claim ${key} is given twice`);
    Object.defineProperty(claims, key, { value: item.slice(equals + 1), enumerable: true });
  }
  return claims;
}

function secretFrom(option: string | undefined): string {
  if (option !== undefined) return option;
  const fromEnv = process.env.INVITE_SECRET;
  if (fromEnv === undefined || fromEnv.trim() === '') {
    throw new UsageError('No secret: pass --secret or set INVITE_SECRET');
  }
  try {
    const [current] = parseSecretList(fromEnv, InviteLimits.minSecretBytes);
    if (current === undefined) throw new UsageError('INVITE_SECRET is empty');
    return current;
  } catch (error) {
    throw new UsageError(`INVITE_SECRET: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** createInvite's refusals (an OptionsError: an address that is not one, a short secret) are usage errors. */
function mint(options: Parameters<typeof createInvite>[0]): string {
  try {
    return createInvite(options);
  } catch (error) {
    if (error instanceof OptionsError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}

async function main(): Promise<number> {
  const { values } = parseCommandLine({
    options: {
      email: { type: 'string' },
      ttl: { type: 'string' },
      expires: { type: 'string' },
      'issued-at': { type: 'string' },
      claim: { type: 'string', multiple: true, default: [] },
      pool: { type: 'string' },
      secret: { type: 'string' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.email === undefined) throw new UsageError('--email is required');
  if ((values.ttl === undefined) === (values.expires === undefined)) {
    throw new UsageError('Give exactly one of --ttl or --expires');
  }
  const now = values['issued-at'] === undefined ? new Date() : parseDate('--issued-at', values['issued-at']);
  const ttlSeconds =
    values.ttl !== undefined
      ? durationSecondsOf('--ttl', values.ttl)
      : Math.floor(parseDate('--expires', values.expires ?? '').getTime() / 1000) -
        Math.floor(now.getTime() / 1000);
  if (ttlSeconds < 1) throw new UsageError('--expires must be after the issue time');
  const token = mint({
    email: values.email,
    ttlSeconds,
    claims: parseClaims(values.claim),
    ...(values.pool === undefined ? {} : { userPoolId: values.pool }),
    secret: secretFrom(values.secret),
    now,
  });
  process.stdout.write(`${token}\n`);
  return 0;
}

runMain(main, { errorPrefix: 'invite: ', errorExitCode: 1, usage: USAGE });
