/**
 * The one argument parser of the project's commands (`node:util` parseArgs, strict): every command answers
 * `-h` / `--help`, and an unknown option, a missing option value or a stray argument is a
 * {@link UsageError}, which {@link runMain} prints in one line followed by the command's usage (exit 2).
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

/** The options of a command, in parseArgs' shape (`{ name: { type: 'string', short: 'n' } }`). */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/** The option every command has. */
const HELP = { help: { type: 'boolean', short: 'h', default: false } } as const;

/** parseArgs' configuration for `options` plus `--help`, strict. */
type StrictConfig<T extends CommandOptions> = {
  args: string[];
  options: T & typeof HELP;
  allowPositionals: boolean;
  strict: true;
};

/** What {@link parseCommandLine} returns: the values (`help` among them) and the positional arguments. */
export type CommandLine<T extends CommandOptions> = {
  values: ReturnType<typeof parseArgs<StrictConfig<T>>>['values'];
  positionals: string[];
};

/** How a command reads its arguments. */
export type CommandLineSpec<T extends CommandOptions> = {
  /** The command's own options; `-h` / `--help` is added. */
  options: T;
  /** Whether the command takes positional arguments (default `false`: one is a usage error). */
  positionals?: boolean;
};

/**
 * A wrong command line or option value: {@link runMain} prints the message and the usage, and exits 2.
 * The message names the option or argument at fault (`unknown option --bogus`, `missing --env-vars`).
 */
export class UsageError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

// parseArgs' own refusals carry one of these codes; any other error is a bug, not a usage error.
const PARSE_ARGS_CODES: ReadonlySet<unknown> = new Set([
  'ERR_PARSE_ARGS_UNKNOWN_OPTION',
  'ERR_PARSE_ARGS_INVALID_OPTION_VALUE',
  'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL',
]);

/** parseArgs' message, short: `Unknown option '--x'. To specify a positional…` becomes `unknown option --x`. */
function usageMessageOf(error: Error & { code?: unknown }): string {
  const unknown = /^Unknown option '([^']+)'/.exec(error.message);
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown !== null)
    return `unknown option ${unknown[1]}`;
  const stray = /^Unexpected argument '([^']*)'/.exec(error.message);
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && stray !== null) {
    return `unexpected argument ${JSON.stringify(stray[1])}`;
  }
  return error.message;
}

/**
 * Parses `argv` (default: this process's arguments) strictly against `spec.options` plus `-h` / `--help`.
 * @throws UsageError for an unknown option, an option without its value, a value given to a flag, or a
 * positional argument when the command takes none.
 *
 * @example
 * const { values, positionals } = parseCommandLine({ options: { json: { type: 'boolean' } }, positionals: true });
 * if (values.help) { console.log(USAGE); return 0; }
 */
export function parseCommandLine<const T extends CommandOptions>(
  spec: CommandLineSpec<T>,
  argv: readonly string[] = process.argv.slice(2),
): CommandLine<T> {
  try {
    const config: StrictConfig<T> = {
      args: [...argv],
      options: { ...spec.options, ...HELP },
      allowPositionals: spec.positionals ?? false,
      strict: true,
    };
    const { values, positionals } = parseArgs(config);
    return { values, positionals };
  } catch (error) {
    if (error instanceof Error && PARSE_ARGS_CODES.has((error as { code?: unknown }).code)) {
      throw new UsageError(usageMessageOf(error), { cause: error });
    }
    throw error;
  }
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** A duration option in seconds (`7d` -> 604800), or a {@link UsageError} naming `option`. */
export function durationSecondsOf(option: string, text: string): number {
  const match = /^(\d{1,12})([smhd])$/.exec(text.trim());
  const seconds =
    match === null ? Number.NaN : Number(match[1]) * (UNIT_SECONDS[match[2] ?? ''] ?? Number.NaN);
  if (!Number.isSafeInteger(seconds) || seconds < 1) {
    throw new UsageError(
      `${option} must be a positive duration such as 3600s, 30m, 12h or 7d, not "${text}"`,
    );
  }
  return seconds;
}
