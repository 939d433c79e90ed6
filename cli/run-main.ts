/**
 * How every async CLI ends: the exit code `main` returns, or a one-line message on stderr when it throws.
 */

/** What a CLI prints and exits with when `main` throws instead of returning an exit code. */
export type RunMainOptions = {
  /** Put before the error's message, for example `build failed: `. Default: nothing. */
  errorPrefix?: string;
  /** The exit code of a thrown error. Default: 2. */
  errorExitCode?: number;
};

/**
 * Runs `main` and sets `process.exitCode` from its result; a throw prints its message (never its stack) and
 * exits with `errorExitCode`. It sets the exit code rather than calling `process.exit`, so pending output is
 * flushed before the process ends.
 *
 * @example
 * runMain(main, { errorPrefix: 'build failed: ', errorExitCode: 1 });
 */
export function runMain(main: () => Promise<number>, options: RunMainOptions = {}): void {
  const { errorPrefix = '', errorExitCode = 2 } = options;
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`${errorPrefix}${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = errorExitCode;
    },
  );
}
