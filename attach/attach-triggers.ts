/**
 * Attach and detach, end to end, through a Cognito client: read the pool, plan, and (unless a dry run)
 * check the pool did not change meanwhile, send the request, read the pool again and compare it with what
 * the plan said it would be.
 */
import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { readUserPool, type UserPoolClient, writeUserPool } from './cognito-pool.js';
import { diffLines, type PoolDifference, poolDifferences } from './diff-pools.js';
import { AttachError, UserPoolChangedError } from './errors.js';
import {
  type AttachOptions,
  type AttachPlan,
  type DetachPlan,
  planAttach,
  planDetach,
  poolAfter,
  type TriggerChange,
} from './plan.js';
import type { FieldAdjustment } from './pool-fields.js';
import type { ReplacedValues, TriggerFunctions } from './trigger-slots.js';

/** What to attach, and where. */
export type AttachRequest = {
  userPoolId: string;
  /** Our function ARNs by trigger. */
  functions: TriggerFunctions;
  /** Replace a slot that points at another function (its old value is in the plan's `replaced`). */
  replace?: AttachOptions['replace'];
  /** Our functions of an earlier attach, which a slot may still point at (attach/plan.ts). */
  previous?: TriggerFunctions;
  /** The custom senders' key ARN: required with a sender, refused without one (attach/plan.ts). */
  kmsKeyId?: string;
  /** Our key of an earlier attach, which the pool may still hold. */
  previousKmsKeyId?: string;
  /** Plan and report only; send nothing. */
  dryRun?: boolean;
  /**
   * Called with the plan just before `UpdateUserPool` is sent, the pool read again and found unchanged
   * (never on a dry run or when there is nothing to send). Throwing stops it with nothing changed.
   */
  beforeUpdate?: (plan: AttachPlan) => void;
};

/** What to detach, and where. */
export type DetachRequest = {
  userPoolId: string;
  functions: TriggerFunctions;
  /** What attach replaced, to be put back (`AttachPlan.replaced`). */
  restore?: ReplacedValues;
  /** Our senders' key ARN: put back or removed with the last sender (attach/plan.ts, `planDetach`). */
  kmsKeyId?: string;
  dryRun?: boolean;
};

/** What an attach or detach did. */
export type Outcome<P> = {
  plan: P;
  /** The pool as it was read first. */
  before: UserPoolType;
  /** The pool as read after the update; when nothing was sent, the pool the plan predicts. */
  after: UserPoolType;
  /** `before` -> `after`. */
  differences: PoolDifference[];
  /**
   * After an update: what differs from the plan's prediction (a field Cognito reset or normalised, or a
   * planned change that did not happen). Empty when nothing was sent.
   */
  unexpected: PoolDifference[];
  /**
   * After an update: values that are gone from a field the plan deliberately did not send as read (its
   * `adjustments`, such as the legacy `UnusedAccountValidityDays`): foreseen, so not `unexpected`.
   */
  dropped: PoolDifference[];
  /** Whether `UpdateUserPool` was sent (and accepted). */
  applied: boolean;
};

function key(difference: PoolDifference): string {
  return JSON.stringify([difference.path, difference.before ?? null, difference.after ?? null]);
}

/** The differences in one list and not the other. */
function symmetricDifference(
  actual: readonly PoolDifference[],
  expected: readonly PoolDifference[],
): PoolDifference[] {
  const wanted = new Set(expected.map(key));
  const seen = new Set(actual.map(key));
  return [
    ...actual.filter((item) => !wanted.has(key(item))),
    ...expected.filter((item) => !seen.has(key(item))),
  ];
}

/** Whether `difference` removes a value at or under one of the `adjusted` field paths. */
function isAdjusted(difference: PoolDifference, adjusted: readonly string[]): boolean {
  return (
    difference.after === undefined &&
    adjusted.some((field) => difference.path === field || difference.path.startsWith(`${field}.`))
  );
}

async function carryOut<
  P extends { request: AttachPlan['request']; changes: TriggerChange[]; adjustments: FieldAdjustment[] },
>(
  client: UserPoolClient,
  userPoolId: string,
  dryRun: boolean,
  before: UserPoolType,
  plan: P,
  beforeUpdate: (plan: P) => void = () => undefined,
): Promise<Outcome<P>> {
  const expected = poolAfter(before, plan.changes);
  const wanted = poolDifferences(before, expected);
  if (plan.request === undefined || dryRun) {
    return {
      plan,
      before,
      after: expected,
      differences: wanted,
      unexpected: [],
      dropped: [],
      applied: false,
    };
  }
  // Cognito has no conditional update: a change made since the plan was read would be undone by it.
  const current = await readUserPool(client, userPoolId);
  const meanwhile = poolDifferences(before, current);
  if (meanwhile.length > 0) throw new UserPoolChangedError(userPoolId, diffLines(meanwhile));
  beforeUpdate(plan);
  await writeUserPool(client, plan.request, before);
  let after: UserPoolType;
  try {
    after = await readUserPool(client, userPoolId);
  } catch (error) {
    throw new AttachError(
      `UpdateUserPool of ${userPoolId} succeeded, but reading the pool back failed: check it with --dry-run`,
      { cause: error },
    );
  }
  const differences = poolDifferences(before, after);
  const adjusted = plan.adjustments.map((adjustment) => adjustment.field);
  const surprises = symmetricDifference(differences, wanted);
  return {
    plan,
    before,
    after,
    differences,
    unexpected: surprises.filter((difference) => !isAdjusted(difference, adjusted)),
    dropped: surprises.filter((difference) => isAdjusted(difference, adjusted)),
    applied: true,
  };
}

/**
 * Attaches `request.functions` to the pool (attach/plan.ts, `planAttach`). A refused slot sends nothing:
 * the outcome's `plan.refused` says which.
 * @throws the errors of attach/cognito-pool.ts, UnknownPoolFieldError, UserPoolChangedError.
 *
 * @example
 * const outcome = await attachTriggers(cognito, { userPoolId, functions: { PreSignUp: arn }, dryRun: true });
 * console.log(diffLines(outcome.differences).join('\n'));
 */
export async function attachTriggers(
  client: UserPoolClient,
  request: AttachRequest,
): Promise<Outcome<AttachPlan>> {
  const before = await readUserPool(client, request.userPoolId);
  const plan = planAttach(before, request.functions, {
    replace: request.replace ?? false,
    ...(request.previous === undefined ? {} : { previous: request.previous }),
    ...(request.kmsKeyId === undefined ? {} : { kmsKeyId: request.kmsKeyId }),
    ...(request.previousKmsKeyId === undefined ? {} : { previousKmsKeyId: request.previousKmsKeyId }),
  });
  return carryOut(client, request.userPoolId, request.dryRun === true, before, plan, request.beforeUpdate);
}

/**
 * Detaches `request.functions` from the pool (attach/plan.ts, `planDetach`): only slots that still point at
 * them change.
 * @throws the errors of attach/cognito-pool.ts, UnknownPoolFieldError, UserPoolChangedError.
 */
export async function detachTriggers(
  client: UserPoolClient,
  request: DetachRequest,
): Promise<Outcome<DetachPlan>> {
  const before = await readUserPool(client, request.userPoolId);
  const plan = planDetach(
    before,
    request.functions,
    request.restore ?? {},
    request.kmsKeyId === undefined ? {} : { kmsKeyId: request.kmsKeyId },
  );
  return carryOut(client, request.userPoolId, request.dryRun === true, before, plan);
}
