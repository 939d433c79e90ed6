/**
 * The conformance suite's own Lambda Invoke API: the endpoint under test calls its triggers here, and each
 * call is recorded and answered by a probe function scripted by the check that caused it.
 *
 * - Any function name is served (`POST /2015-03-31/functions/<name>/invocations`): the trigger is read from
 *   the event's `triggerSource`, so a target configured with its own function names (cognito-local's
 *   `TriggerFunctions`, the pipeline's template names) needs no renaming.
 * - A call belongs to the check whose probe key leads the user's email address (`<key>.<anything>@…`, see
 *   {@link probeKeyOf}); a check scripts what its probes answer per trigger ({@link ProbeBehaviour}); an
 *   unscripted probe returns the event unchanged, as a function that decides nothing does.
 * - Everything an endpoint sends is kept as it came (`body`), parsed when it is JSON: a check judges the
 *   event Cognito would send, so nothing here normalises it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeAfterAnswer, readBodyUpTo } from '../local/request-body.js';
import { isObject } from '../shared/parse-event.js';

/** The largest event read (Lambda's synchronous payload limit). */
const MAX_EVENT_BYTES = 6 * 1024 * 1024;

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** What a probe does with one invocation. */
export type ProbeBehaviour =
  /** Returns the event with these fields merged into `response` (none: the event unchanged). */
  | { kind: 'respond'; response?: Readonly<Record<string, unknown>> }
  /** Fails as a thrown `Error` does in Lambda (HTTP 200, `X-Amz-Function-Error: Unhandled`). */
  | { kind: 'throw'; message: string }
  /** Answers only after `ms`, with the event unchanged (a caller's socket timeout may come first). */
  | { kind: 'delay'; ms: number }
  /** Returns this JSON value instead of the event. */
  | { kind: 'return'; value: unknown }
  /** The Invoke API itself fails with this HTTP status and error type (the function never runs). */
  | { kind: 'invoke-error'; status: number; errorType: string };

/** The three sign-up triggers and any other trigger an endpoint may call. */
export type ProbeTrigger = 'PreSignUp' | 'CustomMessage' | 'PostConfirmation' | 'Other';

/** One invocation as the probe received it. */
export type ProbeCall = {
  /** Invocation order over the whole run, from 1. */
  sequence: number;
  functionName: string;
  trigger: ProbeTrigger;
  /** The probe key of the user the event is about; `undefined` when the event names no address. */
  key: string | undefined;
  /** The event as parsed (the raw text when it is not JSON). */
  event: unknown;
  /** `X-Amz-Invocation-Type` as sent (`RequestResponse` when absent, as Lambda reads it). */
  invocationType: string;
  receivedAt: number;
};

/** A running probe API. */
export type ProbeLambda = {
  /** Base URL (`http://127.0.0.1:<port>`), the endpoint's `LambdaClient.endpoint`. */
  url: string;
  /** What the probes answer for the users of `key`, per trigger; replaces an earlier script for that key. */
  script(key: string, behaviours: Partial<Record<ProbeTrigger, ProbeBehaviour>>): void;
  /** The calls about `key`'s users, oldest first. */
  callsOf(key: string): ProbeCall[];
  /** Every call so far. */
  calls(): readonly ProbeCall[];
  close(): Promise<void>;
};

/** Where the probe API listens. */
export type ProbeLambdaOptions = { host?: string; port?: number };

const TRIGGER_PREFIXES: readonly [string, ProbeTrigger][] = [
  ['PreSignUp_', 'PreSignUp'],
  ['CustomMessage_', 'CustomMessage'],
  ['PostConfirmation_', 'PostConfirmation'],
];

/**
 * The probe key of an event: the part before the first `.` of the local part of `request.userAttributes.email`,
 * lower-cased; `undefined` when the event carries no address.
 *
 * @example
 * probeKeyOf({ request: { userAttributes: { email: 'k3x9.sign-up@example.com' } } }); // 'k3x9'
 */
export function probeKeyOf(event: unknown): string | undefined {
  if (!isObject(event) || !isObject(event.request) || !isObject(event.request.userAttributes))
    return undefined;
  const email = event.request.userAttributes.email;
  if (typeof email !== 'string' || !email.includes('@')) return undefined;
  const local = email.slice(0, email.indexOf('@'));
  return local.split('.')[0]?.toLowerCase();
}

function triggerOf(event: unknown): ProbeTrigger {
  const source = isObject(event) && typeof event.triggerSource === 'string' ? event.triggerSource : '';
  return TRIGGER_PREFIXES.find(([prefix]) => source.startsWith(prefix))?.[1] ?? 'Other';
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  if (response.destroyed || response.headersSent) return;
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(body);
}

function invokeError(response: ServerResponse, status: number, errorType: string, message: string): void {
  send(response, status, { 'x-amzn-ErrorType': errorType }, JSON.stringify({ Type: 'User', message }));
}

/** The event the function gives back: the same object, `response` merged. */
function answered(event: unknown, response: Readonly<Record<string, unknown>> | undefined): unknown {
  if (response === undefined || !isObject(event)) return event;
  const current = isObject(event.response) ? event.response : {};
  return { ...event, response: { ...current, ...response } };
}

/**
 * Starts the probe API on loopback.
 *
 * @example
 * const probe = await startProbeLambda();
 * probe.script('k3x9', { PreSignUp: { kind: 'throw', message: 'Closed.' } });
 */
export async function startProbeLambda(options: ProbeLambdaOptions = {}): Promise<ProbeLambda> {
  const scripts = new Map<string, Partial<Record<ProbeTrigger, ProbeBehaviour>>>();
  const recorded: ProbeCall[] = [];
  const pending = new Set<NodeJS.Timeout>();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = INVOKE_PATH.exec(new URL(request.url ?? '/', 'http://probe').pathname);
    if (request.method !== 'POST' || match === null) {
      invokeError(response, 404, 'ResourceNotFoundException', 'Not a Lambda Invoke API path.');
      return;
    }
    const body = await readBodyUpTo(request, MAX_EVENT_BYTES);
    if (body === undefined) {
      closeAfterAnswer(request, response);
      invokeError(
        response,
        413,
        'RequestTooLargeException',
        `Request must be smaller than ${MAX_EVENT_BYTES + 1} bytes.`,
      );
      return;
    }
    const text = body.toString('utf8');
    const event = parsed(text);
    const key = probeKeyOf(event);
    const trigger = triggerOf(event);
    recorded.push({
      sequence: recorded.length + 1,
      functionName: decodeURIComponent(match[1] ?? ''),
      trigger,
      key,
      event,
      invocationType: String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse'),
      receivedAt: Date.now(),
    });
    const behaviour: ProbeBehaviour = (key === undefined ? undefined : scripts.get(key)?.[trigger]) ?? {
      kind: 'respond',
    };
    switch (behaviour.kind) {
      case 'respond':
        send(response, 200, {}, JSON.stringify(answered(event, behaviour.response)));
        return;
      case 'return':
        send(response, 200, {}, JSON.stringify(behaviour.value));
        return;
      case 'throw':
        send(
          response,
          200,
          { 'X-Amz-Function-Error': 'Unhandled' },
          JSON.stringify({ errorType: 'Error', errorMessage: behaviour.message, trace: [] }),
        );
        return;
      case 'invoke-error':
        invokeError(response, behaviour.status, behaviour.errorType, `Probe ${behaviour.errorType}.`);
        return;
      case 'delay': {
        const timer = setTimeout(() => {
          pending.delete(timer);
          send(response, 200, {}, JSON.stringify(event));
        }, behaviour.ms);
        pending.add(timer);
        response.on('close', () => {
          clearTimeout(timer);
          pending.delete(timer);
        });
        return;
      }
    }
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => invokeError(response, 500, 'ServiceException', 'Probe failure.'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    script(key, behaviours) {
      scripts.set(key.toLowerCase(), behaviours);
    },
    callsOf(key) {
      return recorded.filter((call) => call.key === key.toLowerCase());
    },
    calls: () => recorded,
    close() {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
