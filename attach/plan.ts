/**
 * The attach and detach plans: pure functions from a `DescribeUserPool` answer to the `UpdateUserPool`
 * request that changes only our triggers' `LambdaConfig` entries. No I/O: the CLI and the CloudFormation
 * custom resource read the pool, plan, and send the request their own way.
 */
import type {
  LambdaConfigType,
  UpdateUserPoolCommandInput,
  UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CoreTriggerName } from '../shared/core-trigger.js';
import { AttachError } from './errors.js';
import { assertKnownFields, type FieldAdjustment, writableRequestOf } from './pool-fields.js';
import {
  checkKeyArn,
  checkKmsKeyFor,
  checkReplacedValues,
  checkTriggerFunctions,
  KEY_SLOT,
  namesSender,
  type ReplacedValues,
  SLOT_ORDER,
  type SlotName,
  slotOf,
  TRIGGER_SLOTS,
  type TriggerFunctions,
} from './trigger-slots.js';

/**
 * One `LambdaConfig` entry the plan changes: `from` `undefined` adds it, `to` `undefined` removes it. A custom
 * sender's `from` and `to` are its `LambdaArn`; `KMSKeyID` is the senders' key.
 */
export type TriggerChange = {
  trigger: SlotName;
  /** `LambdaConfig.PreSignUp`. */
  path: string;
  from: string | undefined;
  to: string | undefined;
};

/** A slot that holds another function than ours: attach leaves it, and the pool, alone. */
export type TriggerConflict = {
  trigger: SlotName;
  path: string;
  /** The function the slot points at (for `KMSKeyID`, the key). */
  current: string;
  /** Ours, which would have replaced it. */
  ours: string;
  /** Why replacing it is more than a slot changing hands, when it is (the key). */
  why?: string;
};

/** A slot detach leaves as it is, because it no longer points at our function. */
export type TriggerLeft = {
  trigger: SlotName;
  path: string;
  /** What it holds now (`undefined`: empty). */
  current: string | undefined;
  ours: string;
};

/** What {@link planAttach} may do. */
export type AttachOptions = {
  /**
   * Replace a slot that points at another function (default `false`: refuse, and change nothing); a
   * function decides slot by slot.
   */
  replace?: boolean | ((conflict: TriggerConflict) => boolean);
  /**
   * Our functions of an earlier attach (a stack update's old ones): a slot that still points at one is
   * ours, so it is moved to the new function without asking `replace` and without being `replaced`.
   */
  previous?: TriggerFunctions;
  /**
   * The key ARN of the custom senders (`LambdaConfig.KMSKeyID`): required when `ours` names a sender, refused
   * otherwise. A pool whose key is another one is a conflict like a slot's (`replace` decides).
   */
  kmsKeyId?: string;
  /** Our key of an earlier attach: a pool that still holds it is moved to `kmsKeyId` without asking. */
  previousKmsKeyId?: string;
};

/** What {@link planDetach} may do. */
export type DetachOptions = {
  /**
   * Our key ARN: when the pool's `KMSKeyID` is this key, it is put back to `restore.KMSKeyID` (what attach
   * replaced), or removed when none was replaced and no sender remains (the toolkit set it). Give it only
   * when `ours` names every sender of ours in the pool: the key goes with the last of them.
   */
  kmsKeyId?: string;
};

/** What attaching would do. */
export type AttachPlan = {
  /**
   * The request to send, or `undefined` when there is nothing to send: a slot was refused, or every slot
   * already points at ours.
   */
  request: UpdateUserPoolCommandInput | undefined;
  /** The entries the request changes, in trigger order (none when a slot was refused). */
  changes: TriggerChange[];
  /** The slots that hold another function (only without `replace`). When any, nothing is sent. */
  refused: TriggerConflict[];
  /**
   * What each replaced slot held before, for detach to restore (`planDetach`'s `restore`). Where it is kept
   * is the caller's choice: the CLI prints it and writes it to its `--state` file. `KMSKeyID` is the key ours
   * replaced, or ours when the pool held it before any sender of ours (detach then keeps it).
   */
  replaced: ReplacedValues;
  /** Values of the pool the request deliberately does not send as they were (attach/pool-fields.ts). */
  adjustments: FieldAdjustment[];
};

/** What detaching would do. */
export type DetachPlan = {
  /** The request to send, or `undefined` when no slot points at ours any more. */
  request: UpdateUserPoolCommandInput | undefined;
  changes: TriggerChange[];
  /** Slots left alone: they point at another function (or none) now. */
  left: TriggerLeft[];
  adjustments: FieldAdjustment[];
};

/** The request that sends `pool` back with `changes` applied to its `LambdaConfig`. */
function requestWith(pool: UserPoolType, changes: readonly TriggerChange[]) {
  assertKnownFields(pool);
  if (pool.Id === undefined) throw new AttachError('The user pool has no Id: not a DescribeUserPool answer');
  const { request, adjustments } = writableRequestOf(pool);
  let lambdaConfig: LambdaConfigType | undefined = request.LambdaConfig;
  for (const change of changes) lambdaConfig = slotOf(change.trigger).write(lambdaConfig, change.to);
  if (lambdaConfig !== undefined) request.LambdaConfig = lambdaConfig;
  return { request: changes.length === 0 ? undefined : request, adjustments };
}

/** The entries of `functions` in trigger order. */
function inOrder(functions: TriggerFunctions): [CoreTriggerName, string][] {
  return SLOT_ORDER.flatMap((trigger) => {
    const arn = functions[trigger];
    return arn === undefined ? [] : [[trigger, arn] as [CoreTriggerName, string]];
  });
}

/** Why a pool's key is not replaced without asking. */
export const KEY_CONFLICT_WHY =
  'Cognito has encrypted the codes in flight (and those of failed messages waiting for a replay) for that ' +
  'key, so a sender given only the new key cannot decrypt them, and any other sender of the pool relies on it';

/** Whether a sender slot of `pool` points at one of `functions` or `previous`. */
function holdsSenderOf(pool: UserPoolType, functions: TriggerFunctions, previous: TriggerFunctions): boolean {
  return SLOT_ORDER.some((trigger) => {
    const slot = TRIGGER_SLOTS[trigger];
    const current = slot.read(pool.LambdaConfig);
    return (
      slot.usesKey &&
      current !== undefined &&
      (current === functions[trigger] || current === previous[trigger])
    );
  });
}

/** `LambdaConfig` once `changes` are made. */
function configAfter(config: LambdaConfigType | undefined, changes: readonly TriggerChange[]) {
  let lambdaConfig = config;
  for (const change of changes) lambdaConfig = slotOf(change.trigger).write(lambdaConfig, change.to);
  return lambdaConfig;
}

/**
 * Plans attaching `ours` (function ARNs by trigger) to `pool`: every writable field as it was, and each of
 * our slots pointing at our function. A slot that already does is left as it is; an empty one, or one that
 * holds our `options.previous` function, is set; one that points at another function is refused (no request
 * at all) unless `options.replace` allows it, and then what it held is returned in `replaced`. A custom sender
 * goes with `options.kmsKeyId`, planned as one more slot, `LambdaConfig.KMSKeyID`: set when empty, moved from
 * `options.previousKmsKeyId`, and another key is a conflict like a slot's (its `why` says what replacing it
 * costs).
 * @throws UnknownPoolFieldError when `pool` has fields this tool does not know; UnknownTriggerError or
 * InvalidFunctionArnError for a bad entry of `ours`; KmsKeyOptionError or InvalidKmsKeyArnError for a sender
 * without a key ARN, or a key without a sender.
 *
 * @example
 * const plan = planAttach(answer.UserPool, { PreSignUp: preSignUpArn }, { replace: false });
 * const senders = planAttach(answer.UserPool, { CustomEmailSender: emailArn }, { kmsKeyId: keyArn });
 * if (plan.refused.length > 0) throw new Error(`${plan.refused[0].path} is taken`);
 * if (plan.request !== undefined) await cognito.send(new UpdateUserPoolCommand(plan.request));
 */
export function planAttach(
  pool: UserPoolType,
  ours: TriggerFunctions,
  options: AttachOptions = {},
): AttachPlan {
  const functions = checkTriggerFunctions(ours);
  const previous = checkTriggerFunctions(options.previous ?? {});
  const kmsKeyId = checkKmsKeyFor(functions, options.kmsKeyId);
  const replace = options.replace ?? false;
  const allows = (conflict: TriggerConflict) => (typeof replace === 'function' ? replace(conflict) : replace);
  const changes: TriggerChange[] = [];
  const refused: TriggerConflict[] = [];
  const replaced: ReplacedValues = {};
  for (const [trigger, arn] of inOrder(functions)) {
    const slot = TRIGGER_SLOTS[trigger];
    const current = slot.read(pool.LambdaConfig);
    if (current === arn) continue;
    const foreign = current !== undefined && current !== previous[trigger];
    if (foreign) {
      const conflict = { trigger, path: slot.path, current, ours: arn };
      if (!allows(conflict)) {
        refused.push(conflict);
        continue;
      }
      replaced[trigger] = current;
    }
    changes.push({ trigger, path: slot.path, from: current, to: arn });
  }
  const currentKey = KEY_SLOT.read(pool.LambdaConfig);
  if (kmsKeyId !== undefined && currentKey === kmsKeyId && !holdsSenderOf(pool, functions, previous)) {
    // Our key was there before any sender of ours: recorded as what was there, so detach keeps it.
    replaced.KMSKeyID = currentKey;
  }
  if (kmsKeyId !== undefined && currentKey !== kmsKeyId) {
    const foreign = currentKey !== undefined && currentKey !== options.previousKmsKeyId;
    const conflict: TriggerConflict | undefined = foreign
      ? {
          trigger: 'KMSKeyID',
          path: KEY_SLOT.path,
          current: currentKey,
          ours: kmsKeyId,
          why: KEY_CONFLICT_WHY,
        }
      : undefined;
    if (conflict !== undefined && !allows(conflict)) refused.push(conflict);
    else {
      if (conflict !== undefined) replaced.KMSKeyID = conflict.current;
      changes.push({ trigger: 'KMSKeyID', path: KEY_SLOT.path, from: currentKey, to: kmsKeyId });
    }
  }
  const { request, adjustments } = requestWith(pool, changes);
  if (refused.length > 0) return { request: undefined, changes: [], refused, replaced: {}, adjustments };
  return { request, changes, refused, replaced, adjustments };
}

/**
 * Plans detaching `ours` from `pool`: each slot that still points at our function is emptied, or set back to
 * `restore`'s entry for it (what attach replaced); a slot that points elsewhere now is left alone and listed
 * in `left`. When `ours` names a custom sender and the pool's `KMSKeyID` is `options.kmsKeyId`, the key is
put back to `restore.KMSKeyID`, or removed when none was replaced and no sender remains (the toolkit set it);
a pool whose key is another one keeps it (listed in `left`). Everything else is sent
as it was.
 * @throws UnknownPoolFieldError when `pool` has fields this tool does not know; UnknownTriggerError or
 * InvalidFunctionArnError for a bad entry of `ours` or `restore`.
 *
 * @example
 * const plan = planDetach(answer.UserPool, { PreSignUp: preSignUpArn }, state.replaced);
 */
export function planDetach(
  pool: UserPoolType,
  ours: TriggerFunctions,
  restore: ReplacedValues = {},
  options: DetachOptions = {},
): DetachPlan {
  const functions = checkTriggerFunctions(ours);
  const previous = checkReplacedValues(restore);
  const kmsKeyId = options.kmsKeyId === undefined ? undefined : checkKeyArn(options.kmsKeyId);
  const changes: TriggerChange[] = [];
  const left: TriggerLeft[] = [];
  for (const [trigger, arn] of inOrder(functions)) {
    const slot = TRIGGER_SLOTS[trigger];
    const current = slot.read(pool.LambdaConfig);
    if (current !== arn) {
      left.push({ trigger, path: slot.path, current, ours: arn });
      continue;
    }
    const to = previous[trigger] === arn ? undefined : previous[trigger];
    changes.push({ trigger, path: slot.path, from: current, to });
  }
  if (kmsKeyId !== undefined && namesSender(functions)) {
    const keyChange = keyDetachChange(pool, changes, kmsKeyId, previous.KMSKeyID);
    if (keyChange === 'left') {
      left.push({
        trigger: 'KMSKeyID',
        path: KEY_SLOT.path,
        current: KEY_SLOT.read(pool.LambdaConfig),
        ours: kmsKeyId,
      });
    } else if (keyChange !== undefined) changes.push(keyChange);
  }
  const { request, adjustments } = requestWith(pool, changes);
  return { request, changes, left, adjustments };
}

/**
 * The pool as `DescribeUserPool` should read once `changes` are made: `pool` with only those `LambdaConfig`
 * entries changed. For `--dry-run`'s diff, and to check what the update really did.
 */
export function poolAfter(pool: UserPoolType, changes: readonly TriggerChange[]): UserPoolType {
  if (changes.length === 0) return structuredClone(pool);
  return { ...structuredClone(pool), LambdaConfig: configAfter(pool.LambdaConfig, changes) };
}

/**
 * What detach does to the key: `'left'` when the pool holds another key than ours; otherwise a change putting
 * back `restoreKey`, or removing the key when none was replaced and no sender is left; nothing when the pool
 * already holds what that gives.
 */
function keyDetachChange(
  pool: UserPoolType,
  changes: readonly TriggerChange[],
  kmsKeyId: string,
  restoreKey: string | undefined,
): TriggerChange | 'left' | undefined {
  const current = KEY_SLOT.read(pool.LambdaConfig);
  if (current !== kmsKeyId) return 'left';
  const after = configAfter(pool.LambdaConfig, changes);
  const senders = SLOT_ORDER.filter((trigger) => TRIGGER_SLOTS[trigger].usesKey).flatMap((trigger) => {
    const arn = TRIGGER_SLOTS[trigger].read(after);
    return arn === undefined ? [] : [{ trigger, arn }];
  });
  // Every sender of ours is detached (DetachOptions), so one left is one that was there before ours: it
  // needs the key it had, which is the replaced one, or ours when attach found ours there (none replaced).
  const to = restoreKey ?? (senders.length === 0 ? undefined : current);
  return to === current ? undefined : { trigger: 'KMSKeyID', path: KEY_SLOT.path, from: current, to };
}
