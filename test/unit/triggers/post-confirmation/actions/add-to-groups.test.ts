import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CognitoRequestError } from '../../../../../shared/cognito-client.js';
import { ConfigurationError } from '../../../../../shared/errors.js';
import { logger } from '../../../../../shared/observability.js';
import { OptionsError, optionalRule } from '../../../../../shared/options.js';
import {
  type AddToGroupsOptions,
  addToGroups,
  addToGroupsFromEnv,
  addToGroupsSettings,
  GroupMembershipError,
} from '../../../../../triggers/post-confirmation/actions/add-to-groups.js';
import { anyText, prototypeKeys } from '../../../../support/arbitraries.js';
import { postConfirmationEvent, ruleContext } from '../../../../support/builders.js';
import { noCognito, recordingCognito } from '../../../../support/cognito-test-client.js';
import { everythingLogged, spyOnLogger } from '../../../../support/logger-spies.js';
import { errorOf, rejectionOf } from '../../../../support/outcomes.js';

const DEFAULT_GROUPS = ['users'];
const SELF_SERVICE_GROUPS = ['beta', 'early-access'];

function namedError(name: string): Error {
  const error = new Error(`${name} (test)`);
  error.name = name;
  return error;
}

function action(cognito: ReturnType<typeof recordingCognito>['cognito'], options: AddToGroupsOptions = {}) {
  return addToGroups(
    { defaultGroups: DEFAULT_GROUPS, selfServiceGroups: SELF_SERVICE_GROUPS, ...options },
    { cognito },
  );
}

describe('Rule: addToGroups', () => {
  it('is a function named addToGroups', () => {
    // Prepare
    const { cognito } = recordingCognito();

    // Act
    const built = action(cognito);

    // Assess
    expect(built.name).toBe('addToGroups');
  });

  it('skips without asking for a client when there is no group to add', async () => {
    // Prepare
    spyOnLogger(logger);
    const cognito = noCognito();
    const built = addToGroups({ selfServiceGroups: ['beta'] }, { cognito });
    const event = postConfirmationEvent({ request: { clientMetadata: { groups: 'admins' } } });

    // Act
    const outcome = await built(event, ruleContext());

    // Assess
    expect(outcome).toBe('skipped');
    expect(cognito).not.toHaveBeenCalled();
  });

  it('adds the user to every default group with the event pool, user name and signal', async () => {
    // Prepare
    spyOnLogger(logger);
    const fake = recordingCognito();
    const context = ruleContext();
    const event = postConfirmationEvent({ userPoolId: 'us-east-1_POOL', userName: 'Google_1234' });

    // Act
    const outcome = await action(fake.cognito, { defaultGroups: ['users', 'newsletter'] })(event, context);

    // Assess
    expect(outcome).toBe('done');
    expect(fake.calls).toEqual([
      {
        input: { UserPoolId: 'us-east-1_POOL', Username: 'Google_1234', GroupName: 'users' },
        abortSignal: context.signal,
      },
      {
        input: { UserPoolId: 'us-east-1_POOL', Username: 'Google_1234', GroupName: 'newsletter' },
        abortSignal: context.signal,
      },
    ]);
  });

  it('asks for the client of the event Region', async () => {
    // Prepare
    spyOnLogger(logger);
    const fake = recordingCognito();

    // Act
    await action(fake.cognito)(postConfirmationEvent({ region: 'eu-west-1' }), ruleContext());

    // Assess
    expect(fake.cognito).toHaveBeenCalledWith('eu-west-1');
  });

  it('adds the self-service groups requested in ClientMetadata, trimmed and deduplicated', async () => {
    // Prepare
    spyOnLogger(logger);
    const fake = recordingCognito();
    const event = postConfirmationEvent({
      request: { clientMetadata: { groups: ' beta ,early-access,,beta,users' } },
    });

    // Act
    await action(fake.cognito)(event, ruleContext());

    // Assess
    expect(fake.groupsAdded()).toEqual(['users', 'beta', 'early-access']);
  });

  it.each([
    ['a group that is not self-service', 'admins'],
    ['a differently cased self-service group', 'Beta'],
    ['a self-service group with a zero-width space', 'beta\u200b'],
  ])('ignores %s', async (_label, requested) => {
    // Prepare
    spyOnLogger(logger);
    const fake = recordingCognito();
    const event = postConfirmationEvent({ request: { clientMetadata: { groups: requested } } });

    // Act
    await action(fake.cognito)(event, ruleContext());

    // Assess
    expect(fake.groupsAdded()).toEqual(['users']);
  });

  it('logs ignored group requests masked', async () => {
    // Prepare
    const spies = spyOnLogger(logger);
    const fake = recordingCognito();
    const event = postConfirmationEvent({ request: { clientMetadata: { groups: 'secret-admins,beta' } } });

    // Act
    await action(fake.cognito)(event, ruleContext());

    // Assess
    expect(spies.warn).toHaveBeenCalledWith(
      'groups: requested groups ignored (not self-service)',
      expect.objectContaining({ ignored: ['***(13)'], ignoredCount: 1 }),
    );
    expect(everythingLogged(spies)).not.toContain('secret-admins');
  });

  it.each([
    ['a groups value longer than the bound', { groups: `beta,${'x'.repeat(1100)}` }],
    ['a groups value with a control character', { groups: 'beta\u0000' }],
    [
      'a ClientMetadata map with too many entries',
      Object.fromEntries([...Array(60).keys()].map((i) => [`k${i}`, 'v'])),
    ],
  ])('still adds the default groups, and no requested one, for %s', async (_label, clientMetadata) => {
    // Prepare
    const spies = spyOnLogger(logger);
    const fake = recordingCognito();
    const event = postConfirmationEvent({ request: { clientMetadata: { ...clientMetadata } } });

    // Act
    const outcome = await action(fake.cognito)(event, ruleContext());

    // Assess
    expect(outcome).toBe('done');
    expect(fake.groupsAdded()).toEqual(['users']);
    expect(spies.warn).toHaveBeenCalledWith('groups: ClientMetadata ignored', expect.anything());
  });

  it('tries every group and throws GroupMembershipError naming the ones that failed', async () => {
    // Prepare
    spyOnLogger(logger);
    const fake = recordingCognito(async (input) => {
      if (input.GroupName === 'beta') throw namedError('TooManyRequestsException');
      return {};
    });
    const event = postConfirmationEvent({ request: { clientMetadata: { groups: 'beta,early-access' } } });

    // Act
    const error = await rejectionOf(action(fake.cognito)(event, ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(GroupMembershipError);
    expect(error).toMatchObject({ failedGroups: ['beta'], errorName: 'TooManyRequestsException' });
    expect((error as GroupMembershipError).cause).toBeInstanceOf(CognitoRequestError);
    expect(fake.groupsAdded()).toEqual(['users', 'beta', 'early-access']);
  });

  it('keeps the SDK message out of the error message', async () => {
    // Prepare
    spyOnLogger(logger);
    const fake = recordingCognito(async () => {
      throw namedError('ResourceNotFoundException');
    });

    // Act
    const error = await rejectionOf(action(fake.cognito)(postConfirmationEvent(), ruleContext()));

    // Assess
    expect((error as Error).message).toBe(
      'AdminAddUserToGroup failed for 1 group(s): ResourceNotFoundException',
    );
  });

  it.each([
    ['a default group with a comma', { defaultGroups: ['a,b'] }, 'defaultGroups'],
    ['an empty group name', { selfServiceGroups: [''] }, 'selfServiceGroups'],
    ['a group name longer than 128 characters', { defaultGroups: ['g'.repeat(129)] }, 'defaultGroups'],
    ['a group name with a space', { selfServiceGroups: ['two words'] }, 'selfServiceGroups'],
    ['a zero maxRequestLength', { maxRequestLength: 0 }, 'maxRequestLength'],
    ['a maxRequestLength over 16,384', { maxRequestLength: 16_385 }, 'maxRequestLength'],
    [
      'defaultGroups that is not an array',
      { defaultGroups: 'users' as unknown as string[] },
      'defaultGroups',
    ],
  ])('throws an OptionsError naming the option for %s', (_label, options: AddToGroupsOptions, named) => {
    // Prepare
    const build = () => addToGroups(options, { cognito: noCognito() });

    // Act
    const error = errorOf(OptionsError, build);

    // Assess
    expect(error.option).toBe(named);
  });

  it('says which group entry is not a group name, without quoting it', () => {
    // Prepare
    const options = { defaultGroups: ['users', 'two words'] };

    // Act
    const error = errorOf(OptionsError, () => addToGroups(options, { cognito: noCognito() }));

    // Assess
    expect(error.expected).toContain('entry 2 is not one');
    expect(error.message).not.toContain('two words');
  });

  describe('addToGroupsFromEnv', () => {
    it('returns undefined when neither list is set', () => {
      // Prepare
      const env = { GROUPS_REQUEST_MAX_LENGTH: '100' };

      // Act
      const options = addToGroupsFromEnv(env);

      // Assess
      expect(options).toBeUndefined();
    });

    it('reads both lists and the request bound', () => {
      // Prepare
      const env = {
        DEFAULT_GROUPS: 'users, newsletter',
        SELF_SERVICE_GROUPS: 'beta',
        GROUPS_REQUEST_MAX_LENGTH: '256',
      };

      // Act
      const options = addToGroupsFromEnv(env);

      // Assess
      expect(options).toEqual({
        defaultGroups: ['users', 'newsletter'],
        selfServiceGroups: ['beta'],
        maxRequestLength: 256,
      });
    });

    it('throws a ConfigurationError naming GROUPS_REQUEST_MAX_LENGTH for a value that is not a number, even while the action is off', () => {
      // Prepare
      const env = { GROUPS_REQUEST_MAX_LENGTH: 'many' };

      // Act
      const error = errorOf(ConfigurationError, () => addToGroupsFromEnv(env));

      // Assess
      expect(error.variable).toBe('GROUPS_REQUEST_MAX_LENGTH');
    });

    it.each([
      ['DEFAULT_GROUPS', { DEFAULT_GROUPS: 'users,two words' }],
      ['SELF_SERVICE_GROUPS', { SELF_SERVICE_GROUPS: `beta,${'g'.repeat(129)}` }],
      ['GROUPS_REQUEST_MAX_LENGTH', { DEFAULT_GROUPS: 'users', GROUPS_REQUEST_MAX_LENGTH: '0' }],
    ])('names %s for a bad value, through the settings declaration', (variable, env) => {
      // Prepare
      const configure = () =>
        optionalRule(addToGroupsSettings, addToGroupsFromEnv(env), (options) =>
          addToGroups(options, { cognito: noCognito() }),
        );

      // Act
      const error = errorOf(ConfigurationError, configure);

      // Assess
      expect(error.variable).toBe(variable);
    });
  });

  describe('privilege (property)', () => {
    const allowed = new Set([...DEFAULT_GROUPS, ...SELF_SERVICE_GROUPS]);
    const groupLike = fc.oneof(
      fc.constantFrom('admins', 'Admins', 'beta', 'BETA', 'early-access', 'users', ' beta', 'beta ', ''),
      anyText({ maxLength: 20 }),
    );
    const groupsValue = fc.oneof(
      fc.array(groupLike, { maxLength: 8 }).map((parts) => parts.join(',')),
      anyText({ maxLength: 200 }),
    );
    const clientMetadata = fc.oneof(
      fc.constant(undefined),
      fc.record({ groups: groupsValue }),
      fc.dictionary(
        fc.oneof(fc.constantFrom('groups', 'group', 'Groups', ...prototypeKeys), anyText()),
        groupsValue,
        {
          maxKeys: 8,
        },
      ),
    );

    it('never adds the user to a group outside DEFAULT_GROUPS and SELF_SERVICE_GROUPS, and always to the defaults', async () => {
      spyOnLogger(logger);
      await fc.assert(
        fc.asyncProperty(clientMetadata, async (metadata) => {
          // Prepare
          const fake = recordingCognito();
          const event = postConfirmationEvent();
          if (metadata !== undefined) event.request.clientMetadata = metadata;

          // Act
          await action(fake.cognito)(event, ruleContext());

          // Assess
          const added = fake.groupsAdded();
          expect(added.every((group) => typeof group === 'string' && allowed.has(group))).toBe(true);
          expect(added).toEqual(expect.arrayContaining(DEFAULT_GROUPS));
          expect(new Set(added).size).toBe(added.length);
        }),
        { numRuns: 300 },
      );
    });
  });
});
