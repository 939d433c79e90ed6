/**
 * A local Cognito user pool API for the tests of the rules that call Cognito: moto's server
 * (test/support/moto-server.ts) behind a small loopback proxy that adds what moto lacks.
 *
 * - moto answers ListUsers with a server-side `Filter` (exact `=` match, case-sensitive) and everything
 *   used to set users up. cognito-local 5.3.0 also filters ListUsers, but neither it nor moto 5.2.1 has
 *   AdminLinkProviderForUser, and moto cannot create federated (`EXTERNAL_PROVIDER`) users.
 * - The proxy implements AdminLinkProviderForUser on top of moto's state: it checks the destination user
 *   exists and appends the identity to its `identities` attribute, the shape AdminGetUser documents. It
 *   reports users created with {@link CognitoIdpServer.createFederatedUser} as `EXTERNAL_PROVIDER`.
 * - It records every call and injects faults a real server cannot be asked for: throttling, an error
 *   answer (optionally after applying the operation, as boto3 #4163 observed), and a hang.
 *
 * Every request still goes through the real SDK client, its serialisation, retries and timeouts.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  type AdminGetUserCommandOutput,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { readBody } from './loopback.js';
import { type MotoServer, motoCredentialsEnv, startMotoServer } from './moto-server.js';

/** Dummy credentials for the SDK (moto does not check signatures). */
export const testCredentials = {
  accessKeyId: motoCredentialsEnv.AWS_ACCESS_KEY_ID,
  secretAccessKey: motoCredentialsEnv.AWS_SECRET_ACCESS_KEY,
};

/** What the proxy does instead of answering normally. */
export type Fault = {
  /** The API operation, for example `ListUsers`. */
  operation: string;
  /** How many calls it applies to (then it is used up); every call when omitted. */
  times?: number;
} & (
  | { kind: 'throttle' }
  | { kind: 'error'; type: string; status?: number; applyFirst?: boolean }
  | { kind: 'hang' }
);

/** One call the proxy received. */
export type RecordedCall = { operation: string; input: Record<string, unknown> };

/** How a native test user starts. */
export type NativeUserSpec = {
  email: string;
  emailVerified: boolean;
  status: 'CONFIRMED' | 'UNCONFIRMED' | 'FORCE_CHANGE_PASSWORD';
  enabled?: boolean;
};

/** A running local Cognito API. */
export type CognitoIdpServer = {
  /** The proxy's URL: give it to the client under test. */
  endpoint: string;
  /** Every call the proxy received, in order. */
  calls: RecordedCall[];
  /** The calls of one operation. */
  callsOf(operation: string): RecordedCall[];
  inject(fault: Fault): void;
  /** Forgets recorded calls and pending faults. */
  reset(): void;
  /** A new pool (usernames free-form, as federated users need) with one app client. */
  createPool(): Promise<string>;
  createNativeUser(poolId: string, spec: NativeUserSpec): Promise<{ username: string; sub: string }>;
  createFederatedUser(
    poolId: string,
    spec: { providerName: string; subject: string; email: string },
  ): Promise<{ username: string }>;
  /** The parsed `identities` attribute of a user ([] when it has none). */
  identitiesOf(poolId: string, username: string): Promise<unknown[]>;
  close(): Promise<void>;
};

const JSON_TYPE = 'application/x-amz-json-1.1';

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': JSON_TYPE });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, type: string, message: string): void {
  send(response, status, { __type: type, message });
}

function attributeOf(attributes: { Name?: string; Value?: string }[] | undefined, name: string) {
  return attributes?.find((attribute) => attribute.Name === name)?.Value;
}

function parseIdentities(raw: string | undefined): Record<string, unknown>[] {
  if (raw === undefined) return [];
  const parsed: unknown = JSON.parse(raw);
  return Array.isArray(parsed) ? (parsed as Record<string, unknown>[]) : [];
}

/** Starts moto and the proxy in front of it. */
export async function startCognitoIdpServer(): Promise<CognitoIdpServer> {
  const moto: MotoServer = await startMotoServer();
  const admin = new CognitoIdentityProviderClient({
    region: motoCredentialsEnv.AWS_REGION,
    endpoint: moto.endpoint,
    credentials: testCredentials,
  });
  const calls: RecordedCall[] = [];
  let faults: Fault[] = [];
  const federated = new Set<string>();
  const poolClients = new Map<string, string>();

  function takeFault(operation: string): Fault | undefined {
    const fault = faults.find((candidate) => candidate.operation === operation);
    if (fault?.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) faults = faults.filter((candidate) => candidate !== fault);
    }
    return fault;
  }

  /** AdminLinkProviderForUser over moto's state; `undefined` when it succeeded, else the error answer. */
  async function link(
    input: Record<string, unknown>,
  ): Promise<{ type: string; message: string } | undefined> {
    const destination = input.DestinationUser as Record<string, string> | undefined;
    const source = input.SourceUser as Record<string, string> | undefined;
    const poolId = input.UserPoolId as string;
    if (destination?.ProviderName !== 'Cognito' || source?.ProviderAttributeName !== 'Cognito_Subject') {
      return { type: 'InvalidParameterException', message: '(fake) unsupported provider user identifiers' };
    }
    let user: AdminGetUserCommandOutput;
    try {
      user = await admin.send(
        new AdminGetUserCommand({ UserPoolId: poolId, Username: destination.ProviderAttributeValue }),
      );
    } catch {
      return { type: 'UserNotFoundException', message: 'User does not exist.' };
    }
    const identities = parseIdentities(attributeOf(user.UserAttributes, 'identities'));
    if (
      identities.some(
        (identity) =>
          identity.providerName === source.ProviderName && identity.userId === source.ProviderAttributeValue,
      )
    ) {
      return { type: 'InvalidParameterException', message: '(fake) the source user is already linked' };
    }
    identities.push({
      userId: source.ProviderAttributeValue,
      providerName: source.ProviderName,
      providerType: source.ProviderName,
      issuer: null,
      primary: false,
      dateCreated: Date.now(),
    });
    await admin.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: destination.ProviderAttributeValue,
        UserAttributes: [{ Name: 'identities', Value: JSON.stringify(identities) }],
      }),
    );
    return undefined;
  }

  async function forward(
    request: IncomingMessage,
    body: string,
    operation: string,
  ): Promise<[number, string]> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name)) {
        headers[name] = value;
      }
    }
    const answer = await fetch(`${moto.endpoint}${request.url ?? '/'}`, {
      method: request.method ?? 'POST',
      headers,
      body,
    });
    let text = await answer.text();
    if (operation === 'ListUsers' && answer.ok) {
      const page = JSON.parse(text) as { Users?: { Username?: string; UserStatus?: string }[] };
      for (const user of page.Users ?? []) {
        if (user.Username !== undefined && federated.has(user.Username))
          user.UserStatus = 'EXTERNAL_PROVIDER';
      }
      text = JSON.stringify(page);
    }
    return [answer.status, text];
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const operation = String(request.headers['x-amz-target'] ?? '')
      .split('.')
      .at(-1) as string;
    let input: Record<string, unknown> = {};
    try {
      input = JSON.parse(body) as Record<string, unknown>;
    } catch {
      input = {};
    }
    calls.push({ operation, input });
    const fault = takeFault(operation);
    if (fault?.kind === 'hang') return; // the socket stays open until the client gives up or close()
    if (fault?.kind === 'throttle') {
      sendError(response, 400, 'TooManyRequestsException', 'Rate exceeded');
      return;
    }
    if (fault?.kind === 'error' && fault.applyFirst !== true) {
      sendError(response, fault.status ?? 400, fault.type, '(fake) injected error');
      return;
    }
    if (operation === 'AdminLinkProviderForUser') {
      const failure = await link(input);
      if (fault?.kind === 'error')
        sendError(response, fault.status ?? 400, fault.type, '(fake) injected error');
      else if (failure !== undefined) sendError(response, 400, failure.type, failure.message);
      else send(response, 200, {});
      return;
    }
    const [status, text] = await forward(request, body, operation);
    if (fault?.kind === 'error') {
      sendError(response, fault.status ?? 400, fault.type, '(fake) injected error');
      return;
    }
    response.writeHead(status, { 'content-type': JSON_TYPE });
    response.end(text);
  }

  const proxy = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, 'InternalErrorException', String(error));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;

  async function setStatus(poolId: string, username: string, spec: NativeUserSpec): Promise<void> {
    if (spec.status === 'CONFIRMED') {
      await admin.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: poolId,
          Username: username,
          Password: 'Correct-Horse-9',
          Permanent: true,
        }),
      );
    }
  }

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    callsOf: (operation) => calls.filter((call) => call.operation === operation),
    inject: (fault) => {
      faults.push({ ...fault });
    },
    reset: () => {
      calls.length = 0;
      faults = [];
    },
    async createPool() {
      const pool = await admin.send(new CreateUserPoolCommand({ PoolName: `test-${randomUUID()}` }));
      const poolId = pool.UserPool?.Id as string;
      const client = await admin.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app' }),
      );
      poolClients.set(poolId, client.UserPoolClient?.ClientId as string);
      return poolId;
    },
    async createNativeUser(poolId, spec) {
      const username = randomUUID();
      const attributes = [
        { Name: 'email', Value: spec.email },
        { Name: 'email_verified', Value: String(spec.emailVerified) },
      ];
      if (spec.status === 'UNCONFIRMED') {
        await admin.send(
          new SignUpCommand({
            ClientId: poolClients.get(poolId),
            Username: username,
            Password: 'Correct-Horse-9',
            UserAttributes: attributes,
          }),
        );
      } else {
        await admin.send(
          new AdminCreateUserCommand({
            UserPoolId: poolId,
            Username: username,
            UserAttributes: attributes,
            MessageAction: 'SUPPRESS',
          }),
        );
        await setStatus(poolId, username, spec);
      }
      if (spec.enabled === false) {
        await admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
      }
      const user = await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
      return { username, sub: attributeOf(user.UserAttributes, 'sub') as string };
    },
    async createFederatedUser(poolId, spec) {
      const username = `${spec.providerName}_${spec.subject}`;
      await admin.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: username,
          UserAttributes: [
            { Name: 'email', Value: spec.email },
            { Name: 'email_verified', Value: 'true' },
          ],
          MessageAction: 'SUPPRESS',
        }),
      );
      federated.add(username);
      return { username };
    },
    async identitiesOf(poolId, username) {
      const user = await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
      return parseIdentities(attributeOf(user.UserAttributes, 'identities'));
    },
    async close() {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      admin.destroy();
      await moto.stop();
    },
  };
}
