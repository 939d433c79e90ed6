/** Stopping the servers the tests start as child processes. */
import type { ChildProcess } from 'node:child_process';

/** Sends SIGTERM, then SIGKILL after 5 s, and resolves once the child has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    force.unref();
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Options of {@link listeningPort}. */
export type ListeningPortOptions = {
  /** The server's name, for error messages. */
  name: string;
  /** Matches the start line; its first group is the port. */
  pattern: RegExp;
  timeoutMs: number;
  /** Cleans each chunk before matching (colour codes). */
  clean?: (text: string) => string;
};

/**
 * Resolves with the port a child server prints once it listens; rejects (after stopping the child) when it
 * exits, fails to start or stays silent for `timeoutMs`, quoting the end of its output. Keeps draining the
 * pipes afterwards, so a chatty server never blocks on a full buffer.
 */
export function listeningPort(child: ChildProcess, options: ListeningPortOptions): Promise<number> {
  const clean = options.clean ?? ((text: string) => text);
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (message: string) => {
      clearTimeout(timer);
      void stopChild(child).then(() => reject(new Error(`${message}\n${output.slice(-2000)}`)));
    };
    const timer = setTimeout(
      () => fail(`${options.name} did not start within ${options.timeoutMs} ms`),
      options.timeoutMs,
    );
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`${options.name} exited early (code ${code}, signal ${signal})`);
    const onData = (chunk: Buffer) => {
      output += clean(chunk.toString('utf8'));
      const port = options.pattern.exec(output)?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onEarlyExit);
      child.stdout?.resume();
      child.stderr?.resume();
      resolve(Number(port));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => fail(`${options.name} could not be started: ${error.message}`));
    child.once('exit', onEarlyExit);
  });
}
