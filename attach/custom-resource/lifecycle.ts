/**
 * What the `TriggerAttachment` custom resource does for each CloudFormation request, on the attach core that
 * `npm run attach` uses (attach/attach-triggers.ts):
 *
 * - **Create**: attach the functions to the pool. A slot that holds another function fails the create
 *   (nothing changed, the stack rolls back) unless `ReplaceExistingTriggers` is `"true"`; what is replaced is
 *   recorded in the physical id (attach/custom-resource/physical-id.ts).
 * - **Update, same pool**: move the slots from the old functions to the new ones, and detach (restoring what
 *   was replaced) a trigger the new properties no longer name. The physical id stays: CloudFormation would
 *   otherwise send a `Delete` for the old one, which would detach the functions the update just kept. So an
 *   update never replaces a function it has no record of: such a slot fails the update, nothing changed.
 * - **Update, another pool**: attach to the new pool as a create does and answer its id; CloudFormation then
 *   deletes the old resource, whose `Delete` detaches from the old pool.
 * - **Delete**: detach, only where a slot still points at our function, putting back what was replaced. A
 *   pool that no longer exists has nothing to detach.
 *
 * A failure answers `FAILED` with a reason the stack's events show. When `UpdateUserPool` may have been sent
 * before a create failed, the answer keeps the attached id, so the rollback's `Delete` detaches again.
 */
import { attachTriggers, detachTriggers, type Outcome } from '../attach-triggers.js';
import type { UserPoolClient } from '../cognito-pool.js';
import { diffLines } from '../diff-pools.js';
import { AttachError, UserPoolNotFoundError } from '../errors.js';
import type { AttachPlan, DetachPlan, TriggerChange, TriggerConflict } from '../plan.js';
import { RECORD_ORDER, type ReplacedValues, SLOT_ORDER, type TriggerFunctions } from '../trigger-slots.js';
import { type AttachmentRecord, NOT_ATTACHED, physicalIdOf, recordOf } from './physical-id.js';
import { type AttachmentProperties, parseAttachmentProperties } from './properties.js';
import type { CustomResourceRequest } from './request.js';

/** The answer to one request, and what to log about it. */
export type AttachmentAnswer = {
  status: 'SUCCESS' | 'FAILED';
  physicalResourceId: string;
  /** For the stack's events: user pool ids, slots and function ARNs, never anything from the pool's users. */
  reason: string;
  /** `!GetAtt TriggerAttachment.UserPoolId` and `.ReplacedTriggers` (`PreSignUp=<arn>, …` or `none`). */
  data?: { UserPoolId: string; ReplacedTriggers: string };
  /** The `LambdaConfig` entries changed, for the log. */
  changes: TriggerChange[];
  /** The error that made it fail, for the log. */
  error?: unknown;
};

/**
 * What an answer cut short by the deadline says: the physical id to answer with, kept current as the work
 * goes (the attached id from just before `UpdateUserPool` is sent).
 */
export type Progress = { physicalResourceId: string };

/** `PreSignUp=<arn>, CustomMessage=<arn>` in trigger order (then `KMSKeyID=<arn>`), or `none`. */
function listOf(functions: ReplacedValues): string {
  const entries = RECORD_ORDER.flatMap((trigger) => {
    const arn = functions[trigger];
    return arn === undefined ? [] : [`${trigger}=${arn}`];
  });
  return entries.length === 0 ? 'none' : entries.join(', ');
}

function success(record: AttachmentRecord, reason: string, changes: TriggerChange[]): AttachmentAnswer {
  return {
    status: 'SUCCESS',
    physicalResourceId: physicalIdOf(record),
    reason,
    data: { UserPoolId: record.userPoolId, ReplacedTriggers: listOf(record.replaced) },
    changes,
  };
}

function failure(physicalResourceId: string, reason: string, error?: unknown): AttachmentAnswer {
  return {
    status: 'FAILED',
    physicalResourceId,
    reason,
    changes: [],
    ...(error === undefined ? {} : { error }),
  };
}

/** An error as a reason: our own messages whole; anything else by name, for the log to explain. */
export function reasonOf(error: unknown): string {
  if (error instanceof AttachError) return error.message;
  const name = error instanceof Error ? error.name : typeof error;
  return `internal error (${name}); the function's log has the details`;
}

/** The differences an update made beyond the plan, as one sentence, or `undefined` when there are none. */
function unexpectedOf(outcome: Outcome<AttachPlan | DetachPlan>): string | undefined {
  if (outcome.unexpected.length === 0) return undefined;
  return `UpdateUserPool changed more than the triggers (or less): ${diffLines(outcome.unexpected).join('; ')}`;
}

function refusalOf(refused: readonly TriggerConflict[], advice: string): string {
  const slots = refused
    .map(
      (conflict) =>
        `${conflict.path} holds ${conflict.current}${conflict.why === undefined ? '' : ` (${conflict.why})`}`,
    )
    .join('; ');
  return `${slots}: not this stack's function. ${advice} (nothing was changed)`;
}

const CREATE_ADVICE =
  'Set ReplaceExistingTriggers to "true" to replace it (deleting the stack puts it back), or empty the slot';

const UPDATE_ADVICE =
  "A stack update cannot record what it would replace: empty the slot, or put this stack's function back " +
  '(npm run attach -- --replace), then update again';

/**
 * Attaches to a pool the resource has no record of (a create, or an update that moves to another pool).
 * `beforeUpdate` hears the id that records the plan just before `UpdateUserPool` is sent.
 */
async function attachFresh(
  client: UserPoolClient,
  properties: AttachmentProperties,
  beforeUpdate: (record: AttachmentRecord, physicalResourceId: string) => void,
): Promise<AttachmentAnswer> {
  const { userPoolId, functions, replace, kmsKeyId } = properties;
  const outcome = await attachTriggers(client, {
    userPoolId,
    functions,
    replace,
    ...(kmsKeyId === undefined ? {} : { kmsKeyId }),
    beforeUpdate(plan) {
      const record = { userPoolId, replaced: plan.replaced };
      // Too long a record throws here, before anything is sent.
      beforeUpdate(record, physicalIdOf(record));
    },
  });
  const { plan } = outcome;
  if (plan.refused.length > 0) return failure(NOT_ATTACHED, refusalOf(plan.refused, CREATE_ADVICE));
  const record = { userPoolId, replaced: plan.replaced };
  const unexpected = unexpectedOf(outcome);
  if (unexpected !== undefined) return failure(physicalIdOf(record), unexpected);
  return success(
    record,
    `Attached to ${userPoolId}: ${plan.changes.length} slot(s) changed; replaced: ${listOf(plan.replaced)}`,
    plan.changes,
  );
}

async function create(
  request: CustomResourceRequest,
  client: UserPoolClient,
  progress: Progress,
): Promise<AttachmentAnswer> {
  progress.physicalResourceId = NOT_ATTACHED;
  return attachFresh(client, parseAttachmentProperties(request.properties), (_record, id) => {
    progress.physicalResourceId = id;
  });
}

/**
 * The old properties' functions and key, or none when they cannot be read (the slots then count as
 * foreign).
 */
function previousProperties(request: CustomResourceRequest): {
  functions: TriggerFunctions;
  kmsKeyId?: string;
} {
  try {
    return parseAttachmentProperties(request.oldProperties ?? {});
  } catch {
    return { functions: {} };
  }
}

async function update(
  request: CustomResourceRequest,
  client: UserPoolClient,
  progress: Progress,
): Promise<AttachmentAnswer> {
  const oldId = request.physicalResourceId ?? NOT_ATTACHED;
  progress.physicalResourceId = oldId;
  const properties = parseAttachmentProperties(request.properties);
  const record = recordOf(oldId);
  if (record === undefined || record.userPoolId !== properties.userPoolId) {
    return updateToAnotherPool(client, properties, oldId);
  }
  const { userPoolId, functions, replace, kmsKeyId } = properties;
  const old = previousProperties(request);
  const previous = old.functions;
  const outcome = await attachTriggers(client, {
    userPoolId,
    functions,
    previous,
    ...(kmsKeyId === undefined ? {} : { kmsKeyId }),
    ...(old.kmsKeyId === undefined ? {} : { previousKmsKeyId: old.kmsKeyId }),
    // Only what the record already says this stack replaced: the id cannot change to record more.
    replace: (conflict) => replace && record.replaced[conflict.trigger] === conflict.current,
  });
  if (outcome.plan.refused.length > 0) return failure(oldId, refusalOf(outcome.plan.refused, UPDATE_ADVICE));
  const changes = [...outcome.plan.changes];
  const problems = [unexpectedOf(outcome)];
  const removed = Object.fromEntries(
    SLOT_ORDER.filter((trigger) => previous[trigger] !== undefined && functions[trigger] === undefined).map(
      (trigger) => [trigger, previous[trigger]],
    ),
  ) as TriggerFunctions;
  if (Object.keys(removed).length > 0) {
    // The key goes with the last sender; while one stays, it is `kmsKeyId` and the pool already holds it.
    const detached = await detachTriggers(client, {
      userPoolId,
      functions: removed,
      restore: record.replaced,
      ...(old.kmsKeyId === undefined || kmsKeyId !== undefined ? {} : { kmsKeyId: old.kmsKeyId }),
    });
    changes.push(...detached.plan.changes);
    problems.push(unexpectedOf(detached));
  }
  const problem = problems.filter((text) => text !== undefined).join('; ');
  if (problem !== '') return failure(oldId, problem);
  return success(record, `Updated on ${userPoolId}: ${changes.length} slot(s) changed`, changes);
}

/**
 * An update to a pool the record does not name: attached like a create. If it fails after `UpdateUserPool`
 * was sent, it is undone here: CloudFormation keeps the old id after a failed update, so its rollback would
 * never learn of the new pool.
 */
async function updateToAnotherPool(
  client: UserPoolClient,
  properties: AttachmentProperties,
  oldId: string,
): Promise<AttachmentAnswer> {
  let sent: AttachmentRecord | undefined;
  const answer = await attachFresh(client, properties, (record) => {
    sent = record;
  }).catch((error: unknown) => failure(oldId, reasonOf(error), error));
  if (answer.status === 'SUCCESS') return answer;
  if (sent === undefined) return { ...answer, physicalResourceId: oldId };
  const { replaced } = sent;
  const { userPoolId, functions, kmsKeyId } = properties;
  try {
    await detachTriggers(client, {
      userPoolId,
      functions,
      restore: replaced,
      ...(kmsKeyId === undefined ? {} : { kmsKeyId }),
    });
    return { ...answer, physicalResourceId: oldId, reason: `${answer.reason}; undone on ${userPoolId}` };
  } catch (error) {
    return {
      ...answer,
      physicalResourceId: oldId,
      reason:
        `${answer.reason}; undoing it on ${userPoolId} failed too (${reasonOf(error)}): run npm run detach -- ` +
        `--user-pool-id ${userPoolId} ${SLOT_ORDER.filter((t) => functions[t] !== undefined)
          .map((t) => `--function ${t}=${functions[t]}`)
          .join(' ')}${kmsKeyId === undefined ? '' : ` --kms-key-id ${kmsKeyId}`}`,
    };
  }
}

async function remove(request: CustomResourceRequest, client: UserPoolClient): Promise<AttachmentAnswer> {
  const id = request.physicalResourceId ?? NOT_ATTACHED;
  const record = recordOf(id);
  if (record === undefined) {
    return {
      status: 'SUCCESS',
      physicalResourceId: id,
      reason: 'Nothing of this stack was attached',
      changes: [],
    };
  }
  let functions: TriggerFunctions;
  let kmsKeyId: string | undefined;
  try {
    ({ functions, kmsKeyId } = parseAttachmentProperties(request.properties));
  } catch (error) {
    // Properties that were never valid never attached anything.
    return { status: 'SUCCESS', physicalResourceId: id, reason: reasonOf(error), changes: [] };
  }
  const { userPoolId } = record;
  let outcome: Outcome<DetachPlan>;
  try {
    outcome = await detachTriggers(client, {
      userPoolId,
      functions,
      restore: record.replaced,
      ...(kmsKeyId === undefined ? {} : { kmsKeyId }),
    });
  } catch (error) {
    if (error instanceof UserPoolNotFoundError) {
      return {
        status: 'SUCCESS',
        physicalResourceId: id,
        reason: `${userPoolId} is gone: nothing to detach`,
        changes: [],
      };
    }
    throw error;
  }
  const { plan } = outcome;
  const left = plan.left.map((slot) => `${slot.path} (${slot.current ?? 'empty'})`);
  const notes = [
    `Detached from ${userPoolId}: ${plan.changes.length} slot(s) changed`,
    ...(left.length === 0 ? [] : [`left as they are, no longer ours: ${left.join(', ')}`]),
    ...[unexpectedOf(outcome)].filter((text) => text !== undefined),
  ];
  return { status: 'SUCCESS', physicalResourceId: id, reason: notes.join('; '), changes: plan.changes };
}

/**
 * Carries out `request` through `client` and says what to answer. Never throws for a failure CloudFormation
 * should hear of: it becomes a `FAILED` answer. `progress` says what to answer if the caller's deadline cuts
 * the work short.
 */
export async function answerRequest(
  request: CustomResourceRequest,
  client: UserPoolClient,
  progress: Progress,
): Promise<AttachmentAnswer> {
  try {
    if (request.requestType === 'Create') return await create(request, client, progress);
    if (request.requestType === 'Update') return await update(request, client, progress);
    return await remove(request, client);
  } catch (error) {
    const advice =
      request.requestType === 'Delete'
        ? '. To delete the stack and leave the pool as it is, retry the delete retaining TriggerAttachment'
        : '';
    return failure(
      request.requestType === 'Delete'
        ? (request.physicalResourceId ?? NOT_ATTACHED)
        : progress.physicalResourceId,
      `${reasonOf(error)}${advice}`,
      error,
    );
  }
}
