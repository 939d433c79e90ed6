import type { UpdateUserPoolCommandInput, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidFunctionArnError,
  UnknownPoolFieldError,
  UnknownTriggerError,
} from '../../../attach/errors.js';
import { planAttach, planDetach, poolAfter } from '../../../attach/plan.js';
import { writableRequestOf } from '../../../attach/pool-fields.js';
import {
  everyFieldPool,
  functionArn,
  OURS,
  oursArbitrary,
  poolArbitrary,
  THEIRS,
  updatedPool,
} from './pools.js';

const [THEIRS_A] = THEIRS;

/** A pool with `lambdaConfig` as its LambdaConfig, everything else as {@link everyFieldPool}. */
function poolWith(lambdaConfig: UserPoolType['LambdaConfig']): UserPoolType {
  return { ...everyFieldPool(), LambdaConfig: lambdaConfig };
}

/** The request that changes nothing. */
function unchangedRequest(pool: UserPoolType): UpdateUserPoolCommandInput {
  return writableRequestOf(pool).request;
}

/** `LambdaConfig: {}` and no LambdaConfig both mean "no triggers". */
function normalised(request: UpdateUserPoolCommandInput | undefined): UpdateUserPoolCommandInput | undefined {
  if (request?.LambdaConfig === undefined || Object.keys(request.LambdaConfig).length > 0) return request;
  const { LambdaConfig: _empty, ...rest } = request;
  return rest;
}

describe('Attach: planAttach', () => {
  it('points our empty slots at our functions and sends everything else back as it was', () => {
    // Prepare
    const pool = everyFieldPool();

    // Act
    const plan = planAttach(pool, OURS);

    // Assess
    const unchanged = unchangedRequest(pool);
    expect(plan).toEqual({
      request: { ...unchanged, LambdaConfig: { ...unchanged.LambdaConfig, ...OURS } },
      changes: [
        { trigger: 'PreSignUp', path: 'LambdaConfig.PreSignUp', from: undefined, to: OURS.PreSignUp },
        {
          trigger: 'CustomMessage',
          path: 'LambdaConfig.CustomMessage',
          from: undefined,
          to: OURS.CustomMessage,
        },
        {
          trigger: 'PostConfirmation',
          path: 'LambdaConfig.PostConfirmation',
          from: undefined,
          to: OURS.PostConfirmation,
        },
      ],
      refused: [],
      replaced: {},
      adjustments: writableRequestOf(pool).adjustments,
    });
  });

  it('sends nothing when every slot already points at ours', () => {
    // Prepare
    const pool = poolWith({ ...everyFieldPool().LambdaConfig, ...OURS });

    // Act
    const plan = planAttach(pool, OURS);

    // Assess
    expect({ request: plan.request, changes: plan.changes }).toEqual({ request: undefined, changes: [] });
  });

  it('refuses a slot that holds another function, naming it and its ARN, and sends nothing', () => {
    // Prepare
    const pool = poolWith({ PreSignUp: THEIRS_A });

    // Act
    const plan = planAttach(pool, OURS);

    // Assess
    expect({ request: plan.request, changes: plan.changes, refused: plan.refused }).toEqual({
      request: undefined,
      changes: [],
      refused: [
        { trigger: 'PreSignUp', path: 'LambdaConfig.PreSignUp', current: THEIRS_A, ours: OURS.PreSignUp },
      ],
    });
  });

  it('with replace, replaces it and returns what it held', () => {
    // Prepare
    const pool = poolWith({ PreSignUp: THEIRS_A, PreAuthentication: functionArn('auth') });

    // Act
    const plan = planAttach(pool, { PreSignUp: OURS.PreSignUp }, { replace: true });

    // Assess
    expect({ lambdaConfig: plan.request?.LambdaConfig, replaced: plan.replaced }).toEqual({
      lambdaConfig: { PreSignUp: OURS.PreSignUp, PreAuthentication: functionArn('auth') },
      replaced: { PreSignUp: THEIRS_A },
    });
  });

  it.each([
    [
      'an ARN that is not a Lambda function',
      { PreSignUp: 'arn:aws:sns:us-east-1:123456789012:topic' },
      InvalidFunctionArnError,
    ],
    ['a trigger the toolkit does not have', { PreAuthentication: OURS.PreSignUp }, UnknownTriggerError],
  ])('refuses %s', (_case, ours, errorClass) => {
    // Prepare
    const pool = everyFieldPool();

    // Act
    const plan = () => planAttach(pool, ours as never);

    // Assess
    expect(plan).toThrow(errorClass);
  });

  it('refuses a pool with fields it does not know, even when every slot is taken', () => {
    // Prepare
    const pool = { ...poolWith({ PreSignUp: THEIRS_A }), NewSetting: 'x' } as UserPoolType;

    // Act
    const plan = () => planAttach(pool, OURS);

    // Assess
    expect(plan).toThrow(UnknownPoolFieldError);
  });

  it('changes only our LambdaConfig keys, for any pool the SDK types allow', () => {
    fc.assert(
      fc.property(poolArbitrary, oursArbitrary, (pool, ours) => {
        // Prepare
        const before = structuredClone(pool);

        // Act
        const plan = planAttach(pool, ours, { replace: true });

        // Assess
        const unchanged = unchangedRequest(pool);
        expect(plan.request).toEqual({ ...unchanged, LambdaConfig: { ...unchanged.LambdaConfig, ...ours } });
        expect(pool).toEqual(before);
      }),
    );
  });

  it('without replace, refuses exactly the slots that hold another function', () => {
    fc.assert(
      fc.property(poolArbitrary, oursArbitrary, (pool, ours) => {
        // Prepare
        const taken = Object.keys(ours).filter(
          (trigger) => pool.LambdaConfig?.[trigger as keyof typeof OURS] !== undefined,
        );

        // Act
        const plan = planAttach(pool, ours);

        // Assess
        expect(plan.refused.map((conflict) => conflict.trigger)).toEqual(taken);
        expect(plan.request === undefined).toBe(taken.length > 0);
      }),
    );
  });
});

describe('Attach: planDetach', () => {
  it('empties the slots that point at ours, leaving every other trigger', () => {
    // Prepare
    const pool = poolWith({ ...everyFieldPool().LambdaConfig, ...OURS });

    // Act
    const plan = planDetach(pool, OURS);

    // Assess
    expect(plan.request).toEqual(unchangedRequest(everyFieldPool()));
    expect(plan.left).toEqual([]);
  });

  it('puts back what attach replaced', () => {
    // Prepare
    const pool = poolWith({ PreSignUp: OURS.PreSignUp });

    // Act
    const plan = planDetach(pool, { PreSignUp: OURS.PreSignUp }, { PreSignUp: THEIRS_A });

    // Assess
    expect(plan.changes).toEqual([
      { trigger: 'PreSignUp', path: 'LambdaConfig.PreSignUp', from: OURS.PreSignUp, to: THEIRS_A },
    ]);
    expect(plan.request?.LambdaConfig).toEqual({ PreSignUp: THEIRS_A });
  });

  it('leaves alone a slot that points at another function now, and says so', () => {
    // Prepare
    const pool = poolWith({ PreSignUp: THEIRS_A, PostConfirmation: OURS.PostConfirmation });

    // Act
    const plan = planDetach(pool, OURS, { PreSignUp: functionArn('older') });

    // Assess
    expect({ left: plan.left, lambdaConfig: plan.request?.LambdaConfig }).toEqual({
      left: [
        { trigger: 'PreSignUp', path: 'LambdaConfig.PreSignUp', current: THEIRS_A, ours: OURS.PreSignUp },
        {
          trigger: 'CustomMessage',
          path: 'LambdaConfig.CustomMessage',
          current: undefined,
          ours: OURS.CustomMessage,
        },
      ],
      lambdaConfig: { PreSignUp: THEIRS_A },
    });
  });

  it('sends nothing when no slot points at ours', () => {
    fc.assert(
      fc.property(poolArbitrary, oursArbitrary, (pool, ours) => {
        // Prepare
        const input = structuredClone(pool);

        // Act
        const plan = planDetach(input, ours);

        // Assess
        expect({ request: plan.request, left: plan.left.length }).toEqual({
          request: undefined,
          left: Object.keys(ours).length,
        });
      }),
    );
  });

  it('after attach, returns the original request fields, for any pool the SDK types allow', () => {
    fc.assert(
      fc.property(poolArbitrary, oursArbitrary, (pool, ours) => {
        // Prepare
        const attach = planAttach(pool, ours, { replace: true });
        const attached = updatedPool(pool, attach.request ?? unchangedRequest(pool));

        // Act
        const detach = planDetach(attached, ours, attach.replaced);

        // Assess
        const detached = updatedPool(attached, detach.request ?? unchangedRequest(attached));
        expect(normalised(unchangedRequest(detached))).toEqual(normalised(unchangedRequest(pool)));
      }),
    );
  });
});

describe('Attach: poolAfter', () => {
  it('predicts the pool with only the planned LambdaConfig entries changed', () => {
    // Prepare
    const pool = poolWith({ PreSignUp: THEIRS_A, PreAuthentication: functionArn('auth') });
    const plan = planAttach(
      pool,
      { PreSignUp: OURS.PreSignUp, PostConfirmation: OURS.PostConfirmation },
      { replace: true },
    );

    // Act
    const after = poolAfter(pool, plan.changes);

    // Assess
    expect(after).toEqual({
      ...pool,
      LambdaConfig: {
        PreSignUp: OURS.PreSignUp,
        PreAuthentication: functionArn('auth'),
        PostConfirmation: OURS.PostConfirmation,
      },
    });
  });

  it('is the pool an UpdateUserPool with the plan would leave, for any pool', () => {
    fc.assert(
      fc.property(poolArbitrary, oursArbitrary, (pool, ours) => {
        // Prepare
        const plan = planAttach(pool, ours, { replace: true });

        // Act
        const predicted = poolAfter(pool, plan.changes);

        // Assess
        const sent = updatedPool(pool, plan.request ?? unchangedRequest(pool));
        expect(unchangedRequest(predicted)).toEqual(unchangedRequest(sent));
      }),
    );
  });
});
