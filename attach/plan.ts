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
import type { TriggerName } from '../shared/trigger-source.js';
import { AttachError } from './errors.js';
import { assertKnownFields, type FieldAdjustment, writableRequestOf } from './pool-fields.js';
import { checkTriggerFunctions, SLOT_ORDER, TRIGGER_SLOTS, type TriggerFunctions } from './trigger-slots.js';

/** One `LambdaConfig` entry the plan changes: `from` `undefined` adds it, `to` `undefined` removes it. */
export type TriggerChange = {
  trigger: TriggerName;
  /** `LambdaConfig.PreSignUp`. */
  path: string;
  from: string | undefined;
  to: string | undefined;
};

/** A slot that holds another function than ours: attach leaves it, and the pool, alone. */
export type TriggerConflict = {
  trigger: TriggerName;
  path: string;
  /** The function the slot points at. */
  current: string;
  /** Ours, which would have replaced it. */
  ours: string;
};

/** A slot detach leaves as it is, because it no longer points at our function. */
export type TriggerLeft = {
  trigger: TriggerName;
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
   * is the caller's choice: the CLI prints it and writes it to its `--state` file.
   */
  replaced: TriggerFunctions;
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
  for (const change of changes) lambdaConfig = TRIGGER_SLOTS[change.trigger].write(lambdaConfig, change.to);
  if (lambdaConfig !== undefined) request.LambdaConfig = lambdaConfig;
  return { request: changes.length === 0 ? undefined : request, adjustments };
}

/** The entries of `functions` in trigger order. */
function inOrder(functions: TriggerFunctions): [TriggerName, string][] {
  return SLOT_ORDER.flatMap((trigger) => {
    const arn = functions[trigger];
    return arn === undefined ? [] : [[trigger, arn] as [TriggerName, string]];
  });
}

/**
 * Plans attaching `ours` (function ARNs by trigger) to `pool`: every writable field as it was, and each of
 * our slots pointing at our function. A slot that already does is left as it is; an empty one, or one that
 * holds our `options.previous` function, is set; one that points at another function is refused (no request
 * at all) unless `options.replace` allows it, and then what it held is returned in `replaced`.
 * @throws UnknownPoolFieldError when `pool` has fields this tool does not know; UnknownTriggerError or
 * InvalidFunctionArnError for a bad entry of `ours`.
 *
 * @example
 * const plan = planAttach(answer.UserPool, { PreSignUp: preSignUpArn }, { replace: false });
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
  const replace = options.replace ?? false;
  const changes: TriggerChange[] = [];
  const refused: TriggerConflict[] = [];
  const replaced: TriggerFunctions = {};
  for (const [trigger, arn] of inOrder(functions)) {
    const slot = TRIGGER_SLOTS[trigger];
    const current = slot.read(pool.LambdaConfig);
    if (current === arn) continue;
    const foreign = current !== undefined && current !== previous[trigger];
    if (foreign) {
      const conflict = { trigger, path: slot.path, current, ours: arn };
      if (!(typeof replace === 'function' ? replace(conflict) : replace)) {
        refused.push(conflict);
        continue;
      }
      replaced[trigger] = current;
    }
    changes.push({ trigger, path: slot.path, from: current, to: arn });
  }
  const { request, adjustments } = requestWith(pool, changes);
  if (refused.length > 0) return { request: undefined, changes: [], refused, replaced: {}, adjustments };
  return { request, changes, refused, replaced, adjustments };
}

/**
 * Plans detaching `ours` from `pool`: each slot that still points at our function is emptied, or set back to
 * `restore`'s entry for it (what attach replaced); a slot that points elsewhere now is left alone and listed
 * in `left`. Everything else is sent as it was.
 * @throws UnknownPoolFieldError when `pool` has fields this tool does not know; UnknownTriggerError or
 * InvalidFunctionArnError for a bad entry of `ours` or `restore`.
 *
 * @example
 * const plan = planDetach(answer.UserPool, { PreSignUp: preSignUpArn }, state.replaced);
 */
export function planDetach(
  pool: UserPoolType,
  ours: TriggerFunctions,
  restore: TriggerFunctions = {},
): DetachPlan {
  const functions = checkTriggerFunctions(ours);
  const previous = checkTriggerFunctions(restore);
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
  const { request, adjustments } = requestWith(pool, changes);
  return { request, changes, left, adjustments };
}

/**
 * The pool as `DescribeUserPool` should read once `changes` are made: `pool` with only those `LambdaConfig`
 * entries changed. For `--dry-run`'s diff, and to check what the update really did.
 */
export function poolAfter(pool: UserPoolType, changes: readonly TriggerChange[]): UserPoolType {
  if (changes.length === 0) return structuredClone(pool);
  let lambdaConfig: LambdaConfigType | undefined = pool.LambdaConfig;
  for (const change of changes) lambdaConfig = TRIGGER_SLOTS[change.trigger].write(lambdaConfig, change.to);
  return { ...structuredClone(pool), LambdaConfig: lambdaConfig };
}
