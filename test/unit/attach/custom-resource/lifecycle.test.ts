import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UserPoolClient } from '../../../../attach/cognito-pool.js';
import { answerRequest, type Progress } from '../../../../attach/custom-resource/lifecycle.js';
import { NOT_ATTACHED, physicalIdOf, recordOf } from '../../../../attach/custom-resource/physical-id.js';
import type { TriggerFunctions } from '../../../../attach/trigger-slots.js';
import { type FakeCognito, fakeCognito } from '../fake-cognito.js';
import {
  ACCOUNT,
  functionArn,
  lambdaConfigArbitrary,
  OURS,
  oursArbitrary,
  THEIRS,
  updatedPool,
} from '../pools.js';
import { plainPool, poolWithSlots } from './pool-states.js';
import {
  createEvent,
  deleteEvent,
  OTHER_POOL_ID,
  POOL_ID,
  propertiesOf,
  requestOf,
  updateEvent,
} from './requests.js';

const [THEIRS_A, THEIRS_B] = THEIRS;
const denied = { status: 400, type: 'AccessDeniedException', message: 'User: x is not authorized' };
const gone = { status: 400, type: 'ResourceNotFoundException', message: 'User pool does not exist.' };

/** The other pool, as {@link plainPool} with its own id. */
const OTHER_POOL = {
  Id: OTHER_POOL_ID,
  Arn: `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/${OTHER_POOL_ID}`,
};

/** Our functions of a later deployment: a new alias of one, a new function for another, one unchanged. */
const NEWER = {
  PreSignUp: `${OURS.PreSignUp}:live`,
  CustomMessage: functionArn('ours-custom-message-2'),
  PostConfirmation: OURS.PostConfirmation,
};

/** The id of an attach to `userPoolId` that replaced `replaced`. */
function idOf(replaced: TriggerFunctions = {}, userPoolId = POOL_ID): string {
  return physicalIdOf({ userPoolId, replaced });
}

/** `event` answered through `client` as the handler does. */
function answer(
  event: Record<string, unknown>,
  client: UserPoolClient,
  progress: Progress = { physicalResourceId: NOT_ATTACHED },
) {
  return answerRequest(requestOf(event), client, progress);
}

function operations(cognito: FakeCognito): string[] {
  return cognito.calls.map((call) => call.operation);
}

function updatesSent(cognito: FakeCognito): number {
  return operations(cognito).filter((operation) => operation === 'UpdateUserPool').length;
}

/** One client over several fake pools: each request goes to the pool its `UserPoolId` names. */
function clientOver(pools: Record<string, FakeCognito>): UserPoolClient {
  const [first] = Object.values(pools);
  if (first === undefined) throw new Error('Test bug: no pool');
  const send = (command: { input: { UserPoolId?: string } }) => {
    const target = pools[command.input.UserPoolId ?? ''];
    if (target === undefined) throw new Error(`Test bug: no fake pool ${command.input.UserPoolId}`);
    return target.client.send(command as never);
  };
  return { config: first.client.config, send } as unknown as UserPoolClient;
}

/** A network failure of the `count`-th DescribeUserPool (1-based), every other read answered. */
function failingRead(count: number) {
  return (described: number) => {
    if (described === count) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  };
}

describe('Custom resource: Create', () => {
  it('attaches, changing only our LambdaConfig slots, and answers an id that records nothing replaced', async () => {
    // Prepare
    const before = plainPool();
    const cognito = fakeCognito({ pool: before });

    // Act
    const result = await answer(createEvent(), cognito.client);

    // Assess
    expect(cognito.pool()).toEqual({ ...before, LambdaConfig: { ...before.LambdaConfig, ...OURS } });
    expect({ status: result.status, id: result.physicalResourceId, data: result.data }).toEqual({
      status: 'SUCCESS',
      id: idOf({}),
      data: { UserPoolId: POOL_ID, ReplacedTriggers: 'none' },
    });
    expect(recordOf(result.physicalResourceId)).toEqual({ userPoolId: POOL_ID, replaced: {} });
    expect(result.changes.map((change) => change.path)).toEqual([
      'LambdaConfig.PreSignUp',
      'LambdaConfig.CustomMessage',
      'LambdaConfig.PostConfirmation',
    ]);
  });

  it('refuses a slot that holds another function: FAILED, NOT_ATTACHED, slot and ARN named, nothing sent', async () => {
    // Prepare
    const before = poolWithSlots({ CustomMessage: THEIRS_A });
    const cognito = fakeCognito({ pool: before });

    // Act
    const result = await answer(createEvent(), cognito.client);

    // Assess
    expect({ status: result.status, id: result.physicalResourceId }).toEqual({
      status: 'FAILED',
      id: NOT_ATTACHED,
    });
    expect(result.reason).toContain(`LambdaConfig.CustomMessage holds ${THEIRS_A}`);
    expect(result.reason).toContain('ReplaceExistingTriggers');
    expect(operations(cognito)).toEqual(['DescribeUserPool']);
    expect(cognito.pool()).toEqual(before);
  });

  it('with ReplaceExistingTriggers "true", replaces and records what it replaced in the id and in Data', async () => {
    // Prepare
    const before = poolWithSlots({ PreSignUp: THEIRS_A, PostConfirmation: THEIRS_B });
    const cognito = fakeCognito({ pool: before });
    const event = createEvent({ ResourceProperties: propertiesOf({ ReplaceExistingTriggers: 'true' }) });

    // Act
    const result = await answer(event, cognito.client);

    // Assess
    expect({ status: result.status, id: result.physicalResourceId, data: result.data }).toEqual({
      status: 'SUCCESS',
      id: idOf({ PreSignUp: THEIRS_A, PostConfirmation: THEIRS_B }),
      data: { UserPoolId: POOL_ID, ReplacedTriggers: `PreSignUp=${THEIRS_A}, PostConfirmation=${THEIRS_B}` },
    });
    expect(cognito.pool()).toEqual({ ...before, LambdaConfig: { ...before.LambdaConfig, ...OURS } });
  });

  it('keeps progress current: by the time UpdateUserPool is sent it holds the id of the attach', async () => {
    // Prepare
    const progress = { physicalResourceId: 'stale' };
    let idWhenSent: string | undefined;
    const cognito = fakeCognito({
      pool: poolWithSlots({ PreSignUp: THEIRS_A }),
      update(pool, request) {
        idWhenSent = progress.physicalResourceId;
        return updatedPool(pool, request);
      },
    });
    const event = createEvent({ ResourceProperties: propertiesOf({ ReplaceExistingTriggers: 'true' }) });

    // Act
    await answer(event, cognito.client, progress);

    // Assess
    expect(idWhenSent).toBe(idOf({ PreSignUp: THEIRS_A }));
  });

  it('refuses, before sending anything, a replacement whose record would not fit the 1 KB physical id', async () => {
    // Prepare
    const long = (name: string) => `arn:aws:lambda:us-${'a'.repeat(300)}-1:${ACCOUNT}:function:${name}`;
    const before = poolWithSlots({
      PreSignUp: long('a'),
      CustomMessage: long('b'),
      PostConfirmation: long('c'),
    });
    const cognito = fakeCognito({ pool: before });
    const event = createEvent({ ResourceProperties: propertiesOf({ ReplaceExistingTriggers: 'true' }) });

    // Act
    const result = await answer(event, cognito.client);

    // Assess
    expect({ status: result.status, id: result.physicalResourceId }).toEqual({
      status: 'FAILED',
      id: NOT_ATTACHED,
    });
    expect(result.reason).toContain('1 KB');
    // The plan's read and the read that checks nothing changed since; no UpdateUserPool.
    expect(operations(cognito)).toEqual(['DescribeUserPool', 'DescribeUserPool']);
    expect(cognito.pool()).toEqual(before);
  });

  it('fails without changing anything when the pool changes between read and write, and so does its rollback', async () => {
    // Prepare
    const before = plainPool();
    const cognito = fakeCognito({
      pool: before,
      beforeDescribe(count, pool) {
        if (count === 2) pool.MfaConfiguration = 'ON';
      },
    });

    // Act
    const created = await answer(createEvent(), cognito.client);
    // A failed create is rolled back with a Delete that carries the id the create answered.
    const rolledBack = await answer(deleteEvent(created.physicalResourceId), cognito.client);

    // Assess
    expect(created.status).toBe('FAILED');
    expect(created.reason).toContain(`User pool ${POOL_ID} changed while the update was being prepared`);
    expect(rolledBack.status).toBe('SUCCESS');
    expect(updatesSent(cognito)).toBe(0);
    expect(cognito.pool()).toEqual({ ...before, MfaConfiguration: 'ON' });
  });

  it.each([
    [
      'the pool changed after it was planned from',
      (count: number, pool: { MfaConfiguration?: string }) => {
        if (count === 2) pool.MfaConfiguration = 'ON';
      },
    ],
    ['the read just before UpdateUserPool failed', failingRead(2)],
  ])(
    'answers NOT_ATTACHED, as physical-id.ts promises, when it failed before sending UpdateUserPool: %s',
    async (_case, beforeDescribe) => {
      // Prepare
      const cognito = fakeCognito({ pool: plainPool(), beforeDescribe });

      // Act
      const result = await answer(createEvent(), cognito.client);

      // Assess
      expect(updatesSent(cognito)).toBe(0);
      expect({ status: result.status, id: result.physicalResourceId }).toEqual({
        status: 'FAILED',
        id: NOT_ATTACHED,
      });
    },
  );

  it('keeps the attached id when UpdateUserPool was sent but the read-back failed, so the rollback detaches', async () => {
    // Prepare
    const before = poolWithSlots({ PreSignUp: THEIRS_A });
    const cognito = fakeCognito({ pool: before, beforeDescribe: failingRead(3) });
    const properties = propertiesOf({ ReplaceExistingTriggers: 'true' });

    // Act
    const created = await answer(createEvent({ ResourceProperties: properties }), cognito.client);
    const rolledBack = await answer(deleteEvent(created.physicalResourceId, properties), cognito.client);

    // Assess
    expect({ status: created.status, id: created.physicalResourceId }).toEqual({
      status: 'FAILED',
      id: idOf({ PreSignUp: THEIRS_A }),
    });
    expect(created.reason).toContain('reading the pool back failed');
    expect(rolledBack.status).toBe('SUCCESS');
    expect(cognito.pool()).toEqual(before);
  });

  it.each([
    ['a malformed pool id', { UserPoolId: 'AbC123' }, '"AbC123"'],
    ['a misspelt property', { Function: OURS }, 'unknown Function'],
    ['a function that is no ARN', { Functions: { PreSignUp: 'pre-sign-up' } }, 'PreSignUp'],
  ])(
    'answers FAILED and NOT_ATTACHED for %s, naming it, and sends nothing',
    async (_case, overrides, named) => {
      // Prepare
      const cognito = fakeCognito({ pool: plainPool() });
      const event = createEvent({ ResourceProperties: propertiesOf(overrides) });

      // Act
      const result = await answer(event, cognito.client);

      // Assess
      expect({ status: result.status, id: result.physicalResourceId }).toEqual({
        status: 'FAILED',
        id: NOT_ATTACHED,
      });
      expect(result.reason).toContain(named);
      expect(cognito.calls).toEqual([]);
    },
  );

  it('answers FAILED and NOT_ATTACHED for a pool that does not exist', async () => {
    // Prepare
    const cognito = fakeCognito({ pool: plainPool(), failures: { DescribeUserPool: gone } });

    // Act
    const result = await answer(createEvent(), cognito.client);

    // Assess
    expect({ status: result.status, id: result.physicalResourceId }).toEqual({
      status: 'FAILED',
      id: NOT_ATTACHED,
    });
    expect(result.reason).toContain(`User pool ${POOL_ID} does not exist`);
  });

  it('create, then the Delete CloudFormation sends with the id it answered, leaves any pool as it was', async () => {
    await fc.assert(
      fc.asyncProperty(
        lambdaConfigArbitrary,
        oursArbitrary,
        fc.boolean(),
        async (lambdaConfig, ours, replace) => {
          // Prepare
          const before = plainPool({ LambdaConfig: lambdaConfig });
          const cognito = fakeCognito({ pool: before });
          const properties = propertiesOf({ Functions: ours, ReplaceExistingTriggers: String(replace) });

          // Act
          const created = await answer(createEvent({ ResourceProperties: properties }), cognito.client);
          const deleted = await answer(deleteEvent(created.physicalResourceId, properties), cognito.client);

          // Assess
          expect(deleted.status).toBe('SUCCESS');
          expect(cognito.pool()).toEqual(before);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('Custom resource: Delete', () => {
  it('puts back what the create replaced and empties the other slots: the pool is as it was', async () => {
    // Prepare
    const original = poolWithSlots({ PreSignUp: THEIRS_A });
    const cognito = fakeCognito({ pool: poolWithSlots(OURS) });
    const id = idOf({ PreSignUp: THEIRS_A });

    // Act
    const result = await answer(deleteEvent(id), cognito.client);

    // Assess
    expect({ status: result.status, id: result.physicalResourceId }).toEqual({ status: 'SUCCESS', id });
    expect(cognito.pool()).toEqual(original);
  });

  it.each([
    ['NOT_ATTACHED', NOT_ATTACHED],
    ['an id this resource never answers', '2026/01/02/[$LATEST]0f1e2d3c4b5a69788796a5b4c3d2e1f0'],
  ])('sends nothing for %s, whatever the pool and the credentials', async (_case, id) => {
    // Prepare
    const cognito = fakeCognito({ pool: poolWithSlots(OURS), failures: { DescribeUserPool: denied } });

    // Act
    const result = await answer(deleteEvent(id), cognito.client);

    // Assess
    expect({ status: result.status, id: result.physicalResourceId }).toEqual({ status: 'SUCCESS', id });
    expect(cognito.calls).toEqual([]);
  });

  it('answers SUCCESS when the pool is gone: nothing is left to detach', async () => {
    // Prepare
    const cognito = fakeCognito({ pool: plainPool(), failures: { DescribeUserPool: gone } });
    const id = idOf({ PreSignUp: THEIRS_A });

    // Act
    const result = await answer(deleteEvent(id), cognito.client);

    // Assess
    expect({ status: result.status, id: result.physicalResourceId }).toEqual({ status: 'SUCCESS', id });
    expect(result.reason).toContain(`${POOL_ID} is gone`);
  });

  it.each([
    ['DescribeUserPool', { DescribeUserPool: denied }],
    ['UpdateUserPool', { UpdateUserPool: denied }],
  ])(
    'answers FAILED when %s is denied, keeping the id and advising to retain the resource',
    async (operation, failures) => {
      // Prepare
      const before = poolWithSlots(OURS);
      const cognito = fakeCognito({ pool: before, failures });
      const id = idOf({});

      // Act
      const result = await answer(deleteEvent(id), cognito.client);

      // Assess
      expect({ status: result.status, id: result.physicalResourceId }).toEqual({ status: 'FAILED', id });
      expect(result.reason).toContain(`Not allowed to call ${operation}`);
      expect(result.reason).toContain('retry the delete retaining TriggerAttachment');
      expect(cognito.pool()).toEqual(before);
    },
  );

  it('leaves a slot that no longer holds our function, and says so', async () => {
    // Prepare
    const cognito = fakeCognito({ pool: poolWithSlots({ ...OURS, CustomMessage: THEIRS_B }) });

    // Act
    const result = await answer(deleteEvent(idOf({})), cognito.client);

    // Assess
    expect(result.status).toBe('SUCCESS');
    expect(result.reason).toContain(`LambdaConfig.CustomMessage (${THEIRS_B})`);
    expect(cognito.pool()).toEqual(poolWithSlots({ CustomMessage: THEIRS_B }));
  });

  it('detaches from the pool its id records, leaving any other alone', async () => {
    // Prepare
    const old = fakeCognito({ pool: poolWithSlots(OURS) });
    const other = fakeCognito({ pool: poolWithSlots(OURS, OTHER_POOL) });
    const client = clientOver({ [POOL_ID]: old, [OTHER_POOL_ID]: other });

    // Act
    // After an update to another pool, CloudFormation deletes the old resource: its id and its old properties.
    const result = await answer(deleteEvent(idOf({})), client);

    // Assess
    expect(result.status).toBe('SUCCESS');
    expect(old.pool()).toEqual(plainPool());
    expect(other.calls).toEqual([]);
  });
});

describe('Custom resource: Update of the same pool', () => {
  it('moves the slots from the old functions to the new ones and keeps the physical id', async () => {
    // Prepare
    const cognito = fakeCognito({ pool: poolWithSlots(OURS) });
    const id = idOf({ PreSignUp: THEIRS_A });
    const event = updateEvent(id, propertiesOf({ Functions: NEWER }), propertiesOf());

    // Act
    const result = await answer(event, cognito.client);

    // Assess
    expect({ status: result.status, id: result.physicalResourceId, data: result.data }).toEqual({
      status: 'SUCCESS',
      id,
      data: { UserPoolId: POOL_ID, ReplacedTriggers: `PreSignUp=${THEIRS_A}` },
    });
    expect(cognito.pool()).toEqual(poolWithSlots(NEWER));
    expect(result.changes.map((change) => [change.path, change.from, change.to])).toEqual([
      ['LambdaConfig.PreSignUp', OURS.PreSignUp, NEWER.PreSignUp],
      ['LambdaConfig.CustomMessage', OURS.CustomMessage, NEWER.CustomMessage],
    ]);
  });

  it('refuses a slot that now holds a function the record does not name: FAILED, nothing sent, old id', async () => {
    // Prepare
    const before = poolWithSlots({ ...OURS, CustomMessage: THEIRS_B });
    const cognito = fakeCognito({ pool: before });
    const id = idOf({ PreSignUp: THEIRS_A });
    const replacing = propertiesOf({ ReplaceExistingTriggers: 'true' });
    const event = updateEvent(id, { ...replacing, Functions: NEWER }, replacing);

    // Act
    const result = await answer(event, cognito.client);

    // Assess
    expect({ status: result.status, id: result.physicalResourceId }).toEqual({ status: 'FAILED', id });
    expect(result.reason).toContain(`LambdaConfig.CustomMessage holds ${THEIRS_B}`);
    expect(result.reason).toContain('cannot record');
    expect(updatesSent(cognito)).toBe(0);
    expect(cognito.pool()).toEqual(before);
  });

  it('detaches a trigger the new properties no longer name, putting back what the record says it replaced', async () => {
    // Prepare
    const cognito = fakeCognito({ pool: poolWithSlots(OURS) });
    const id = idOf({ PreSignUp: THEIRS_A });
    const { PreSignUp: _removed, ...remaining } = OURS;
    const event = updateEvent(id, propertiesOf({ Functions: remaining }), propertiesOf());

    // Act
    const result = await answer(event, cognito.client);

    // Assess
    expect({ status: result.status, id: result.physicalResourceId }).toEqual({ status: 'SUCCESS', id });
    expect(cognito.pool()).toEqual(poolWithSlots({ ...remaining, PreSignUp: THEIRS_A }));
  });

  it('empties the slot of a removed trigger that replaced nothing', async () => {
    // Prepare
    const cognito = fakeCognito({ pool: poolWithSlots(OURS) });
    const id = idOf({ PreSignUp: THEIRS_A });
    const { CustomMessage: _removed, ...remaining } = OURS;
    const event = updateEvent(id, propertiesOf({ Functions: remaining }), propertiesOf());

    // Act
    const result = await answer(event, cognito.client);

    // Assess
    expect(result.status).toBe('SUCCESS');
    expect(cognito.pool()).toEqual(poolWithSlots(remaining));
  });

  it('replaces again, when a removed trigger comes back, what the record says it replaced', async () => {
    // Prepare
    const { PreSignUp: _removed, ...remaining } = OURS;
    const cognito = fakeCognito({ pool: poolWithSlots({ ...remaining, PreSignUp: THEIRS_A }) });
    const id = idOf({ PreSignUp: THEIRS_A });
    const replacing = propertiesOf({ ReplaceExistingTriggers: 'true' });
    const event = updateEvent(id, replacing, { ...replacing, Functions: remaining });

    // Act
    const result = await answer(event, cognito.client);

    // Assess
    expect({ status: result.status, id: result.physicalResourceId }).toEqual({ status: 'SUCCESS', id });
    expect(cognito.pool()).toEqual(poolWithSlots(OURS));
  });

  it('sends nothing when the update changes nothing the pool holds', async () => {
    // Prepare
    const cognito = fakeCognito({ pool: poolWithSlots(OURS) });
    const id = idOf({});
    const event = updateEvent(id, propertiesOf({ ReplaceExistingTriggers: 'true' }), propertiesOf());

    // Act
    const result = await answer(event, cognito.client);

    // Assess
    expect({ status: result.status, id: result.physicalResourceId }).toEqual({ status: 'SUCCESS', id });
    expect(updatesSent(cognito)).toBe(0);
  });
});

describe('Custom resource: Update to another pool', () => {
  it('attaches to the new pool and answers its id; the old pool is left to the Delete that follows', async () => {
    // Prepare
    const old = fakeCognito({ pool: poolWithSlots(OURS) });
    const fresh = fakeCognito({ pool: poolWithSlots({ PreSignUp: THEIRS_B }, OTHER_POOL) });
    const client = clientOver({ [POOL_ID]: old, [OTHER_POOL_ID]: fresh });
    const properties = propertiesOf({ UserPoolId: OTHER_POOL_ID, ReplaceExistingTriggers: 'true' });

    // Act
    const result = await answer(updateEvent(idOf({}), properties, propertiesOf()), client);

    // Assess
    expect({ status: result.status, id: result.physicalResourceId, data: result.data }).toEqual({
      status: 'SUCCESS',
      id: idOf({ PreSignUp: THEIRS_B }, OTHER_POOL_ID),
      data: { UserPoolId: OTHER_POOL_ID, ReplacedTriggers: `PreSignUp=${THEIRS_B}` },
    });
    expect(fresh.pool()).toEqual(poolWithSlots(OURS, OTHER_POOL));
    expect(old.calls).toEqual([]);
    expect(old.pool()).toEqual(poolWithSlots(OURS));
  });

  it('attaches as a create does when the old id records nothing (an id this resource never answers)', async () => {
    // Prepare
    const cognito = fakeCognito({ pool: plainPool() });
    const event = updateEvent(
      '2026/01/02/[$LATEST]0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      propertiesOf(),
      propertiesOf(),
    );

    // Act
    const result = await answer(event, cognito.client);

    // Assess
    expect({ status: result.status, id: result.physicalResourceId }).toEqual({
      status: 'SUCCESS',
      id: idOf({}),
    });
    expect(cognito.pool()).toEqual(poolWithSlots(OURS));
  });

  it('refuses a foreign slot of the new pool without ReplaceExistingTriggers: FAILED, old id, nothing sent', async () => {
    // Prepare
    const before = poolWithSlots({ PostConfirmation: THEIRS_A }, OTHER_POOL);
    const fresh = fakeCognito({ pool: before });
    const old = fakeCognito({ pool: poolWithSlots(OURS) });
    const client = clientOver({ [POOL_ID]: old, [OTHER_POOL_ID]: fresh });
    const oldId = idOf({});

    // Act
    const result = await answer(
      updateEvent(oldId, propertiesOf({ UserPoolId: OTHER_POOL_ID }), propertiesOf()),
      client,
    );

    // Assess
    expect({ status: result.status, id: result.physicalResourceId }).toEqual({ status: 'FAILED', id: oldId });
    expect(result.reason).toContain(`LambdaConfig.PostConfirmation holds ${THEIRS_A}`);
    expect(updatesSent(fresh)).toBe(0);
    expect(fresh.pool()).toEqual(before);
  });

  it.each([
    ['reading the new pool back fails', { beforeDescribe: failingRead(3) }, 'reading the pool back failed'],
    [
      'UpdateUserPool changes another field too',
      {
        update: (pool: Parameters<typeof updatedPool>[0], request: Parameters<typeof updatedPool>[1]) => ({
          ...updatedPool(pool, request),
          MfaConfiguration: 'OFF' as const,
        }),
      },
      'MfaConfiguration',
    ],
  ])(
    'undoes the attach on the new pool when %s, and answers FAILED with the old id',
    async (_case, behaviour, named) => {
      // Prepare
      const before = poolWithSlots({ PreSignUp: THEIRS_B }, OTHER_POOL);
      const fresh = fakeCognito({ pool: before, ...behaviour });
      const old = fakeCognito({ pool: poolWithSlots(OURS) });
      const client = clientOver({ [POOL_ID]: old, [OTHER_POOL_ID]: fresh });
      const oldId = idOf({});
      const properties = propertiesOf({ UserPoolId: OTHER_POOL_ID, ReplaceExistingTriggers: 'true' });

      // Act
      // CloudFormation keeps the old id after a failed update: its rollback never hears of the new pool.
      const result = await answer(updateEvent(oldId, properties, propertiesOf()), client);

      // Assess
      expect({ status: result.status, id: result.physicalResourceId }).toEqual({
        status: 'FAILED',
        id: oldId,
      });
      expect(result.reason).toContain(named);
      expect(result.reason).toContain(`undone on ${OTHER_POOL_ID}`);
      expect(updatesSent(fresh)).toBe(2);
      expect(fresh.pool().LambdaConfig).toEqual(before.LambdaConfig);
      expect(old.calls).toEqual([]);
    },
  );
});
