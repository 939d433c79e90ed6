/**
 * How every command ends: the exit code `main` returns, or a one-line message on stderr when it throws (a
 * {@link UsageError} followed by the command's usage, exit 2).
 */
import { UsageError } from './command-line.js';

/** What a CLI prints and exits with when `main` throws instead of returning an exit code. */
export type RunMainOptions = {
  /** Put before the error's message, for example `build failed: `. Default: nothing. */
  errorPrefix?: string;
  /** The exit code of a thrown error. Default: 2. */
  errorExitCode?: number;
  /** The command's usage, printed after a {@link UsageError}'s message. Default: `Run with --help for usage.` */
  usage?: string;
  /** The line a thrown error (not a usage error) becomes. Default: its message. */
  describeError?: (error: unknown) => string;
};

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs `main` and sets `process.exitCode` from its result. A {@link UsageError} prints its message, a blank
 * line and the usage, and exits 2; any other throw prints its message (never its stack) and exits with
 * `errorExitCode`. It sets the exit code rather than calling `process.exit`, so pending output is flushed
 * before the process ends.
 *
 * @example
 * runMain(main, { errorPrefix: 'build failed: ', errorExitCode: 1, usage: USAGE });
 */
export function runMain(main: () => Promise<number>, options: RunMainOptions = {}): void {
  const {
    errorPrefix = '',
    errorExitCode = 2,
    usage = 'Run with --help for usage.',
    describeError = messageOf,
  } = options;
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`${error.message}\n\n${usage}`);
        process.exitCode = 2;
        return;
      }
      console.error(`${errorPrefix}${describeError(error)}`);
      process.exitCode = errorExitCode;
    },
  );
}
