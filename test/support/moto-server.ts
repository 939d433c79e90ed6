/**
 * moto's server mode (a local fake of AWS APIs, in Python) for tests of code that calls AWS: SSM and
 * Secrets Manager here, EventBridge and SQS elsewhere. It listens on 127.0.0.1 on a port the OS picks and
 * is stopped after the suite.
 *
 * Where moto is not installed a suite must say so rather than pass silently: declare it with
 * {@link describeWithMoto}, which skips it with a `SKIPPED` warning that gives the reason.
 *
 * Point the SDK at `server.endpoint`, and give it dummy credentials ({@link motoCredentialsEnv}).
 */
import { spawn, spawnSync } from 'node:child_process';
import { describe } from 'vitest';
import { listeningPort, stopChild } from './child-process.js';
import { runsHereOrSkips } from './ci.js';

/** The Python interpreter; `MOTO_PYTHON` overrides it (a virtualenv, `python3.12`). */
const PYTHON = process.env.MOTO_PYTHON ?? 'python3';

/** Whether moto's server can run here, and if not, why (for the skip warning). */
export type MotoAvailability = { available: true } | { available: false; reason: string };

let availability: MotoAvailability | undefined;

/** Checks once per process whether `python3 -m moto.server` can start (moto with its server extras). */
export function motoAvailability(): MotoAvailability {
  if (availability !== undefined) return availability;
  const probe = spawnSync(PYTHON, ['-c', 'import moto.server'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.error !== undefined) {
    availability = { available: false, reason: `${PYTHON} could not be run (${probe.error.message})` };
  } else if (probe.status !== 0) {
    const lastLine = probe.stderr.trim().split('\n').at(-1) ?? '';
    availability = {
      available: false,
      reason: `moto's server is not installed for ${PYTHON} (pip install "moto[server]"): ${lastLine}`,
    };
  } else {
    availability = { available: true };
  }
  return availability;
}

/**
 * `describe` for a suite that needs moto: it runs where moto's server can start, and elsewhere is skipped
 * with a `SKIPPED <title>: <reason>` warning rather than passing silently; in CI it is required.
 */
export function describeWithMoto(title: string, suite: () => void): void {
  const moto = motoAvailability();
  describe.runIf(runsHereOrSkips(title, moto.available, moto.available ? '' : moto.reason))(title, suite);
}

/** Environment variables that give the AWS SDK dummy credentials and a region, with no profile lookups. */
export const motoCredentialsEnv = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
} as const;

/** The account moto puts in every ARN. */
export const MOTO_ACCOUNT_ID = '123456789012';

/** A running moto server. */
export type MotoServer = {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint`. */
  endpoint: string;
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>;
};

/**
 * Starts `python3 -m moto.server` on 127.0.0.1 and a free port (`-p 0`: werkzeug binds, then prints the
 * port it got), and resolves once it is listening.
 */
export function startMotoServer(options: { timeoutMs?: number } = {}): Promise<MotoServer> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = spawn(PYTHON, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  return listeningPort(child, {
    name: 'moto',
    pattern: /Running on http:\/\/127\.0\.0\.1:(\d+)/,
    timeoutMs,
  }).then((port) => ({ endpoint: `http://127.0.0.1:${port}`, stop: () => stopChild(child) }));
}
