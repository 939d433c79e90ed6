/**
 * The CLI's record of an attach (`--state <file>`): which pool, which of our functions, and what each slot
 * held before attach replaced it, so detach can put it back. JSON:
 *
 * ```json
 * { "userPoolId": "us-east-1_AbC123",
 *   "functions": { "PreSignUp": "arn:aws:lambda:…:function:pre-sign-up" },
 *   "replaced": { "PreSignUp": "arn:aws:lambda:…:function:their-old-trigger" },
 *   "kmsKeyId": "arn:aws:kms:…:key/…" }
 * ```
 *
 * `kmsKeyId` is the custom senders' key, present while one of them is attached; `replaced.KMSKeyID` the key
 * it replaced. A key attach set on an empty `KMSKeyID` is not in `replaced`: detach removes it.
 *
 * ```
 * ```
 *
 * The core never writes it: where the record lives is the caller's choice (the custom resource keeps it in
 * its physical resource data).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { AttachError } from './errors.js';
import {
  checkKeyArn,
  checkReplacedValues,
  checkTriggerFunctions,
  namesSender,
  RECORD_ORDER,
  type ReplacedValues,
  type SlotName,
  type TriggerFunctions,
} from './trigger-slots.js';

/** The record of one pool's attach. */
export type AttachState = {
  userPoolId: string;
  /** Our functions, by trigger. */
  functions: TriggerFunctions;
  /** What each slot held before our function replaced it (`KMSKeyID`: the key ours replaced). */
  replaced: ReplacedValues;
  /** Our custom senders' key ARN, when they are attached. */
  kmsKeyId?: string;
};

/** A state file that cannot be read as an {@link AttachState}. */
export class StateFileError extends AttachError {
  public readonly path: string;

  public constructor(path: string, problem: string, options?: ErrorOptions) {
    super(`State file ${path}: ${problem}`, options);
    this.name = 'StateFileError';
    this.path = path;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The state in `path`, or `undefined` when there is no such file.
 * @throws StateFileError when it is not JSON of the expected shape.
 */
export function readAttachState(path: string): AttachState | undefined {
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new StateFileError(path, 'not JSON', { cause: error });
  }
  if (!isRecord(parsed) || typeof parsed.userPoolId !== 'string') {
    throw new StateFileError(path, 'expected {"userPoolId": "...", "functions": {...}, "replaced": {...}}');
  }
  try {
    return {
      userPoolId: parsed.userPoolId,
      functions: checkTriggerFunctions(isRecord(parsed.functions) ? parsed.functions : {}),
      replaced: checkReplacedValues(isRecord(parsed.replaced) ? parsed.replaced : {}),
      ...(parsed.kmsKeyId === undefined ? {} : { kmsKeyId: checkKeyArn(parsed.kmsKeyId) }),
    };
  } catch (error) {
    throw new StateFileError(path, error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/** Writes `state` to `path` whole (a temporary file renamed over it), with a final newline. */
export function writeAttachState(path: string, state: AttachState): void {
  const ordered = (values: ReplacedValues) =>
    Object.fromEntries(RECORD_ORDER.filter((name) => values[name] !== undefined).map((n) => [n, values[n]]));
  const text = `${JSON.stringify(
    {
      userPoolId: state.userPoolId,
      functions: ordered(state.functions),
      replaced: ordered(state.replaced),
      ...(state.kmsKeyId === undefined ? {} : { kmsKeyId: state.kmsKeyId }),
    },
    null,
    2,
  )}\n`;
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, 'utf8');
  renameSync(temporary, path);
}

/**
 * The state after attaching `functions` (which replaced `replaced`) on top of `previous`. A slot attach
 * found holding our *previous* function keeps the record of what was there before that one, so attaching a
 * new version of a function never loses what the first attach replaced.
 */
export function stateAfterAttach(
  previous: AttachState | undefined,
  userPoolId: string,
  functions: TriggerFunctions,
  replaced: ReplacedValues,
  kmsKeyId?: string,
): AttachState {
  const before: AttachState = previous ?? { userPoolId, functions: {}, replaced: {} };
  const kmsKey = kmsKeyId ?? before.kmsKeyId;
  const next: AttachState = {
    userPoolId,
    functions: { ...before.functions, ...functions },
    replaced: { ...before.replaced },
    ...(kmsKey === undefined ? {} : { kmsKeyId: kmsKey }),
  };
  const oursOf = (name: SlotName, state: { functions: TriggerFunctions; kmsKeyId?: string }) =>
    name === 'KMSKeyID' ? state.kmsKeyId : state.functions[name];
  const given = { functions, ...(kmsKeyId === undefined ? {} : { kmsKeyId }) };
  for (const name of RECORD_ORDER) {
    const ours = oursOf(name, given);
    if (ours === undefined) continue;
    const old = replaced[name];
    const earlier = oursOf(name, before);
    if (old !== undefined && old !== earlier) next.replaced[name] = old;
    else if (old === undefined && earlier !== ours) delete next.replaced[name];
  }
  return next;
}

/**
 * The state once `triggers` are detached (or found no longer ours): their entries are gone, and the key with
 * the last of the senders.
 */
export function stateAfterDetach(state: AttachState, triggers: readonly SlotName[]): AttachState {
  const functions = { ...state.functions };
  const replaced = { ...state.replaced };
  for (const trigger of triggers) {
    if (trigger !== 'KMSKeyID') delete functions[trigger];
    delete replaced[trigger];
  }
  const keepsKey = state.kmsKeyId !== undefined && !triggers.includes('KMSKeyID') && namesSender(functions);
  // The record of what the key replaced goes with the last sender too.
  if (!namesSender(functions)) delete replaced.KMSKeyID;
  return {
    userPoolId: state.userPoolId,
    functions,
    replaced,
    ...(keepsKey ? { kmsKeyId: state.kmsKeyId } : {}),
  };
}
