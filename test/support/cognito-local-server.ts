/**
 * cognito-local (npm `cognito-local`, a devDependency: a local emulator of the Cognito user pool API) for
 * the tests of the post confirmation actions that call Cognito. It runs as a child process on 127.0.0.1 and
 * a port the OS picks, keeps its data in a fresh temporary directory, and {@link CognitoLocalServer.stop}
 * ends it and removes the directory.
 *
 * The tests set pools, users and groups up through the real API (the same SDK the triggers use), never by
 * writing cognito-local's files.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUsersInGroupCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { PostConfirmationEvent } from '../../shared/event-types.js';
import { postConfirmationEvent } from './builders.js';
import { listeningPort, stopChild } from './child-process.js';

/** Dummy credentials for the SDK (cognito-local does not check signatures). */
export const cognitoLocalCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A confirmed user, as a post confirmation event would name it. */
export type ConfirmedUser = {
  /** The internal user name: the `sub`, since the pool signs in by email (contract §1). */
  username: string;
  /** Every attribute, as AdminGetUser answers. */
  attributes: Record<string, string>;
};

/** A running cognito-local. */
export type CognitoLocalServer = {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint`. */
  endpoint: string;
  /** An admin client pointed at the server, for setting up and inspecting. */
  admin: CognitoIdentityProviderClient;
  /** A new pool that signs in by email, with one app client. */
  createPool(): Promise<{ poolId: string; clientId: string }>;
  createGroups(poolId: string, groups: readonly string[]): Promise<void>;
  /** Signs a user up through the app client and confirms them with AdminConfirmSignUp. */
  signUpConfirmed(pool: { poolId: string; clientId: string }, email: string): Promise<ConfirmedUser>;
  /**
   * Signs a user up and confirms them, and gives the post confirmation event Cognito would send for it
   * (`PostConfirmation_ConfirmSignUp`, the pool's id, the user's name and attributes, `clientMetadata`).
   */
  confirmedSignUpEvent(
    pool: { poolId: string; clientId: string },
    email: string,
    clientMetadata?: Record<string, string>,
  ): Promise<PostConfirmationEvent>;
  /** The names of the groups the user is in, as AdminListGroupsForUser lists them (one row a membership). */
  groupsOf(poolId: string, username: string): Promise<string[]>;
  /** The user names in a group, as ListUsersInGroup lists them (one row a membership). */
  membersOf(poolId: string, group: string): Promise<string[]>;
  /** Ends the process and removes its data directory. */
  stop(): Promise<void>;
};

const START_SCRIPT = createRequire(import.meta.url).resolve('cognito-local/lib/bin/start.js');

// pino-pretty colours its lines; the address is read from the text between the colour codes.
// biome-ignore lint/suspicious/noControlCharactersInRegex: an ANSI escape starts with the ESC character.
const ANSI = /\u001b\[[0-9;]*m/g;

function attributesOf(list: { Name?: string; Value?: string }[] | undefined): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const { Name, Value } of list ?? []) {
    if (Name !== undefined && Value !== undefined) attributes[Name] = Value;
  }
  return attributes;
}

/** Starts cognito-local in a temporary directory and resolves once it is listening. */
export async function startCognitoLocalServer(
  options: { timeoutMs?: number } = {},
): Promise<CognitoLocalServer> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  // cognito-local keeps its config and data under `.cognito/` in its working directory.
  const directory = await mkdtemp(join(tmpdir(), 'cognito-local-'));
  const child = spawn(process.execPath, [START_SCRIPT], {
    cwd: directory,
    stdio: ['ignore', 'pipe', 'pipe'],
    // PORT=0: the OS picks a free port and the start line names it.
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NO_COLOR: '1' },
  });
  const stop = async () => {
    await stopChild(child);
    await rm(directory, { recursive: true, force: true });
  };

  let port: number;
  try {
    port = await listeningPort(child, {
      name: 'cognito-local',
      pattern: /running on http:\/\/127\.0\.0\.1:(\d+)/,
      timeoutMs,
      clean: (text) => text.replace(ANSI, ''),
    });
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const endpoint = `http://127.0.0.1:${port}`;

  const admin = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint,
    credentials: cognitoLocalCredentials,
  });
  let users = 0;

  async function signUpConfirmed(
    pool: { poolId: string; clientId: string },
    email: string,
  ): Promise<ConfirmedUser> {
    users += 1;
    await admin.send(
      new SignUpCommand({
        ClientId: pool.clientId,
        Username: email,
        Password: `Test-password-${users}!`,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    await admin.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.poolId, Username: email }));
    const user = await admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: email }));
    if (user.Username === undefined) throw new Error('cognito-local returned no user name');
    return { username: user.Username, attributes: attributesOf(user.UserAttributes) };
  }

  return {
    endpoint,
    admin,
    async createPool() {
      const pool = await admin.send(
        new CreateUserPoolCommand({ PoolName: `pool-${Date.now()}`, UsernameAttributes: ['email'] }),
      );
      const poolId = pool.UserPool?.Id;
      if (poolId === undefined) throw new Error('cognito-local returned no pool id');
      const client = await admin.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'test-client' }),
      );
      const clientId = client.UserPoolClient?.ClientId;
      if (clientId === undefined) throw new Error('cognito-local returned no client id');
      return { poolId, clientId };
    },
    async createGroups(poolId, groups) {
      for (const group of groups) {
        await admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: group }));
      }
    },
    signUpConfirmed,
    async confirmedSignUpEvent(pool, email, clientMetadata) {
      const user = await signUpConfirmed(pool, email);
      return postConfirmationEvent({
        userPoolId: pool.poolId,
        userName: user.username,
        request: {
          userAttributes: user.attributes,
          ...(clientMetadata === undefined ? {} : { clientMetadata }),
        },
      });
    },
    async groupsOf(poolId, username) {
      const answer = await admin.send(
        new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: username }),
      );
      return (answer.Groups ?? []).map((group) => group.GroupName ?? '');
    },
    async membersOf(poolId, group) {
      const answer = await admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: group }));
      return (answer.Users ?? []).map((user) => user.Username ?? '');
    },
    async stop() {
      admin.destroy();
      await stop();
    },
  };
}
