/**
 * The addToGroups action against cognito-local: the pool, the user and the groups are made through the real
 * API, and the action's own SDK client (lazy, with its timeouts and retries) talks to the server. Retry proof
 * (contract §4, §6): the same confirmation run three times, then twice at once, leaves one membership per
 * group.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lazyCognitoClient } from '../../shared/cognito-client.js';
import type { PostConfirmationEvent } from '../../shared/event-types.js';
import { addToGroups, GroupMembershipError } from '../../triggers/post-confirmation/actions/add-to-groups.js';
import { ruleContext } from '../support/builders.js';
import {
  type CognitoLocalServer,
  cognitoLocalCredentials,
  startCognitoLocalServer,
} from '../support/cognito-local-server.js';
import { rejectionOf } from '../support/outcomes.js';

const DEFAULT_GROUPS = ['users', 'newsletter'];
const SELF_SERVICE_GROUPS = ['beta', 'early-access'];
const OTHER_GROUPS = ['admins'];

describe('Trigger: post-confirmation addToGroups against cognito-local', () => {
  let server: CognitoLocalServer;

  beforeAll(async () => {
    server = await startCognitoLocalServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A fresh pool with every group, one confirmed user, and the confirmation event Cognito would send. */
  async function confirmedSignUp(clientMetadata?: Record<string, string>): Promise<PostConfirmationEvent> {
    const pool = await server.createPool();
    await server.createGroups(pool.poolId, [...DEFAULT_GROUPS, ...SELF_SERVICE_GROUPS, ...OTHER_GROUPS]);
    return server.confirmedSignUpEvent(pool, 'alice.example@example.com', clientMetadata);
  }

  function action() {
    return addToGroups(
      { defaultGroups: DEFAULT_GROUPS, selfServiceGroups: SELF_SERVICE_GROUPS },
      {
        cognito: lazyCognitoClient({ endpoint: server.endpoint, credentials: cognitoLocalCredentials }),
      },
    );
  }

  it('adds the user to the default groups and the requested self-service group', async () => {
    // Prepare
    const event = await confirmedSignUp({ groups: 'beta' });

    // Act
    const outcome = await action()(event, ruleContext());

    // Assess
    expect(outcome).toBe('done');
    expect((await server.groupsOf(event.userPoolId, event.userName)).sort()).toEqual([
      'beta',
      'newsletter',
      'users',
    ]);
  });

  it('never adds the user to a requested group that is not self-service', async () => {
    // Prepare
    const event = await confirmedSignUp({ groups: 'admins, beta' });

    // Act
    await action()(event, ruleContext());

    // Assess
    expect(await server.membersOf(event.userPoolId, 'admins')).toEqual([]);
  });

  it('leaves one membership per group after three replays and two concurrent runs', async () => {
    // Prepare
    const event = await confirmedSignUp({ groups: 'beta,early-access' });
    const addUser = action();

    // Act
    for (let replay = 0; replay < 3; replay += 1) await addUser(structuredClone(event), ruleContext());
    await Promise.all([
      addUser(structuredClone(event), ruleContext()),
      action()(structuredClone(event), ruleContext()),
    ]);

    // Assess
    const groups = await server.groupsOf(event.userPoolId, event.userName);
    expect(groups.sort()).toEqual(['beta', 'early-access', 'newsletter', 'users']);
    for (const group of groups) {
      expect(await server.membersOf(event.userPoolId, group)).toEqual([event.userName]);
    }
  });

  it('throws GroupMembershipError naming a group the pool does not have, after adding the others', async () => {
    // Prepare
    const event = await confirmedSignUp();
    const addUser = addToGroups(
      { defaultGroups: ['users', 'missing-group'] },
      {
        cognito: lazyCognitoClient({ endpoint: server.endpoint, credentials: cognitoLocalCredentials }),
      },
    );

    // Act
    const error = await rejectionOf(addUser(event, ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(GroupMembershipError);
    expect((error as GroupMembershipError).failedGroups).toEqual(['missing-group']);
    expect(await server.groupsOf(event.userPoolId, event.userName)).toEqual(['users']);
  });
});
