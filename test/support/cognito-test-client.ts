import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
/**
 * For the tests of the code that calls Cognito: the local Cognito API (test/support/cognito-idp-server.ts)
 * started and stopped around a suite, a client getter pointed at it, and one that must never be asked.
 */
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import {
  type CognitoClientOptions,
  type CognitoClientProvider,
  lazyCognitoClient,
} from '../../shared/cognito-client.js';
import { type CognitoIdpServer, startCognitoIdpServer, testCredentials } from './cognito-idp-server.js';

/**
 * Starts the local Cognito API before the enclosing suite, forgets recorded calls and pending faults after
 * each test, and stops it after the suite. Call it inside a `describe`; the server it returns stands for
 * the running one from `beforeAll` on.
 */
export function useCognitoIdpServer(): CognitoIdpServer {
  let started: CognitoIdpServer | undefined;
  beforeAll(async () => {
    started = await startCognitoIdpServer();
  });
  afterAll(async () => {
    await started?.close();
  });
  afterEach(() => {
    started?.reset();
  });
  const running = (): CognitoIdpServer => {
    if (started === undefined) throw new Error('Test bug: the Cognito test server is used outside its suite');
    return started;
  };
  return {
    get endpoint() {
      return running().endpoint;
    },
    get calls() {
      return running().calls;
    },
    callsOf: (operation) => running().callsOf(operation),
    inject: (fault) => running().inject(fault),
    reset: () => running().reset(),
    createPool: () => running().createPool(),
    createNativeUser: (poolId, spec) => running().createNativeUser(poolId, spec),
    createFederatedUser: (poolId, spec) => running().createFederatedUser(poolId, spec),
    identitiesOf: (poolId, username) => running().identitiesOf(poolId, username),
    close: () => running().close(),
  };
}

/** The client getter the rules take, pointed at `server` with dummy credentials, changed by `options`. */
export function cognitoClientFor(
  server: CognitoIdpServer,
  options: CognitoClientOptions = {},
): CognitoClientProvider {
  return lazyCognitoClient({ endpoint: server.endpoint, credentials: testCredentials, ...options });
}

/** A client getter that fails the test if the code under test ever asks for a Cognito client. */
export function noCognito() {
  return vi.fn((): never => {
    throw new Error('Test: the rule asked for a Cognito client');
  });
}

/** One call a {@link recordingCognito} client received. */
export type SentCall = { input: Record<string, unknown>; abortSignal: AbortSignal | undefined };

/** A Cognito client getter whose client records each call and answers with `answer` (success by default). */
export function recordingCognito(
  answer: (input: Record<string, unknown>) => Promise<unknown> = async () => ({}),
) {
  const calls: SentCall[] = [];
  const client = {
    send: vi.fn(
      async (command: { input: Record<string, unknown> }, options?: { abortSignal?: AbortSignal }) => {
        calls.push({ input: command.input, abortSignal: options?.abortSignal });
        return answer(command.input);
      },
    ),
  };
  const cognito = vi.fn(async (_region?: string) => client as unknown as CognitoIdentityProviderClient);
  return { cognito, calls, groupsAdded: () => calls.map((call) => call.input.GroupName) };
}
