/**
 * What every check works with: an AWS SDK client for the endpoint, the suite's own pool on it, the probe
 * functions, where messages can be read, and scenarios (an API flow run once, judged by several checks).
 *
 * The pool is the suite's own, created on the endpoint with `CreateUserPool` (users sign in by email, email
 * verified by code, the three sign-up triggers pointing at the probes) and three app clients: `public`
 * (`PreventUserExistenceErrors: ENABLED`, user password sign-in), `legacy` (`LEGACY`) and `confidential` (with a
 * secret). Every user a check creates has its own probe key (conformance/probe-lambda.ts), so checks never see
 * each other's trigger calls.
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { isObject } from '../shared/parse-event.js';
import type { MessageSource } from './messages.js';
import type { ProbeCall, ProbeLambda } from './probe-lambda.js';

/** The pool the suite created, and its clients. */
export type ConformancePool = {
  userPoolId: string;
  publicClientId: string;
  legacyClientId: string;
  confidentialClientId: string;
  confidentialClientSecret: string;
};

/** A user a check works with: `email` leads with `key`, the probe key of its trigger calls. */
export type ProbeUser = { key: string; email: string; password: string };

/** The outcome of one API call: its answer, or the error as a client sees it. */
export type CallOutcome<T> =
  | { ok: true; value: T; ms: number }
  | { ok: false; name: string; message: string; ms: number };

/** What checks get. */
export type SuiteContext = {
  /** The endpoint under test (the SDK's `endpoint`). */
  endpoint: string;
  region: string;
  cognito: CognitoIdentityProviderClient;
  probe: ProbeLambda;
  pool: ConformancePool;
  /** Where delivered messages are read; `undefined` when the run was given none. */
  messages: MessageSource | undefined;
  /** A fresh user whose email starts with a new probe key; `label` makes the address readable. */
  newUser(label: string): ProbeUser;
  /** Runs `scenario` once per run (by identity) and gives every caller its result. */
  once<T>(scenario: (context: SuiteContext) => Promise<T>): Promise<T>;
};

/** The suite's password: meets the pool's policy (every kind, 8 or more). */
const PASSWORD = 'Conformance-Pass-1';

/** The email domain of every probe user (RFC 2606 reserves `example.com`; nothing is sent there). */
const DOMAIN = 'example.com';

/** The function ARN the suite's pool names for a trigger; the probe API serves any name. */
export function probeFunctionArn(region: string, trigger: string): string {
  return `arn:aws:lambda:${region}:000000000000:function:conformance-${trigger}`;
}

/** Runs `call` and keeps its answer or its error (name and message, as the SDK reads them). */
export async function outcomeOf<T>(call: () => Promise<T>): Promise<CallOutcome<T>> {
  const started = performance.now();
  try {
    const value = await call();
    return { ok: true, value, ms: performance.now() - started };
  } catch (error) {
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
    return { ok: false, name, message, ms: performance.now() - started };
  }
}

/** `name: message` of a failed outcome, `success` otherwise. */
export function shownOutcome(outcome: CallOutcome<unknown>): string {
  return outcome.ok ? 'success' : `${outcome.name}: ${outcome.message}`;
}

/** SecretHash of a confidential client: Base64(HMAC-SHA256(secret, username + clientId)). */
export function secretHashOf(username: string, clientId: string, secret: string): string {
  return createHmac('sha256', secret).update(`${username}${clientId}`).digest('base64');
}

/** The trigger sources of `calls`, in order. */
export function sourcesOf(calls: readonly ProbeCall[]): string[] {
  return calls.map((call) => {
    const event = call.event as { triggerSource?: unknown };
    return typeof event?.triggerSource === 'string' ? event.triggerSource : `(${call.trigger})`;
  });
}

/** The event of the first call with `triggerSource`; `undefined` when there was none. */
export function eventOf(calls: readonly ProbeCall[], triggerSource: string): unknown {
  return calls.find((call) => at(call.event, 'triggerSource') === triggerSource)?.event;
}

/**
 * The value at `path` inside `value` (objects only), `undefined` when any step is missing.
 *
 * @example
 * at(event, 'request', 'userAttributes', 'email');
 */
export function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const step of path) {
    if (!isObject(current) || !Object.hasOwn(current, step)) return undefined;
    current = current[step];
  }
  return current;
}

/** An SDK client for the endpoint: no retries (the suite counts attempts itself), dummy credentials. */
export function cognitoClientFor(endpoint: string, region: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region,
    maxAttempts: 1,
    credentials: { accessKeyId: 'conformance', secretAccessKey: 'conformance' },
  });
}

/** Creates the suite's pool and clients on the endpoint. */
export async function createConformancePool(
  cognito: CognitoIdentityProviderClient,
  region: string,
): Promise<ConformancePool> {
  const created = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: `conformance-${randomBytes(4).toString('hex')}`,
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      LambdaConfig: {
        PreSignUp: probeFunctionArn(region, 'PreSignUp'),
        CustomMessage: probeFunctionArn(region, 'CustomMessage'),
        PostConfirmation: probeFunctionArn(region, 'PostConfirmation'),
      },
      EmailConfiguration: { EmailSendingAccount: 'DEVELOPER' },
    }),
  );
  const userPoolId = created.UserPool?.Id ?? '';
  const client = async (name: string, settings: Record<string, unknown>) => {
    const answer = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: name,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        ...settings,
      }),
    );
    return { id: answer.UserPoolClient?.ClientId ?? '', secret: answer.UserPoolClient?.ClientSecret ?? '' };
  };
  const publicClient = await client('conformance-public', { PreventUserExistenceErrors: 'ENABLED' });
  const legacy = await client('conformance-legacy', { PreventUserExistenceErrors: 'LEGACY' });
  const confidential = await client('conformance-confidential', {
    GenerateSecret: true,
    PreventUserExistenceErrors: 'ENABLED',
  });
  return {
    userPoolId,
    publicClientId: publicClient.id,
    legacyClientId: legacy.id,
    confidentialClientId: confidential.id,
    confidentialClientSecret: confidential.secret,
  };
}

/** The context of one run. */
export function suiteContext(parts: Omit<SuiteContext, 'newUser' | 'once'>): SuiteContext {
  const scenarios = new Map<unknown, Promise<unknown>>();
  let users = 0;
  const context: SuiteContext = {
    ...parts,
    newUser(label) {
      users += 1;
      const key = `p${users}${randomBytes(3).toString('hex')}`;
      return { key, email: `${key}.${label}@${DOMAIN}`, password: PASSWORD };
    },
    once<T>(scenario: (context: SuiteContext) => Promise<T>): Promise<T> {
      let result = scenarios.get(scenario);
      if (result === undefined) {
        result = scenario(context);
        scenarios.set(scenario, result);
      }
      return result as Promise<T>;
    },
  };
  return context;
}
