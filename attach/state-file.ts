/**
 * The CLI's record of an attach (`--state <file>`): which pool, which of our functions, and what each slot
 * held before attach replaced it, so detach can put it back. JSON:
 *
 * ```json
 * { "userPoolId": "us-east-1_AbC123",
 *   "functions": { "PreSignUp": "arn:aws:lambda:…:function:pre-sign-up" },
 *   "replaced": { "PreSignUp": "arn:aws:lambda:…:function:their-old-trigger" } }
 * ```
 *
 * The core never writes it: where the record lives is the caller's choice (the custom resource keeps it in
 * its physical resource data).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { TriggerName } from '../shared/trigger-source.js';
import { AttachError } from './errors.js';
import { checkTriggerFunctions, SLOT_ORDER, type TriggerFunctions } from './trigger-slots.js';

/** The record of one pool's attach. */
export type AttachState = {
  userPoolId: string;
  /** Our functions, by trigger. */
  functions: TriggerFunctions;
  /** What each slot held before our function replaced it. */
  replaced: TriggerFunctions;
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
      replaced: checkTriggerFunctions(isRecord(parsed.replaced) ? parsed.replaced : {}),
    };
  } catch (error) {
    throw new StateFileError(path, error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/** Writes `state` to `path` whole (a temporary file renamed over it), with a final newline. */
export function writeAttachState(path: string, state: AttachState): void {
  const ordered = (functions: TriggerFunctions) =>
    Object.fromEntries(
      SLOT_ORDER.filter((trigger) => functions[trigger] !== undefined).map((t) => [t, functions[t]]),
    );
  const text = `${JSON.stringify(
    { userPoolId: state.userPoolId, functions: ordered(state.functions), replaced: ordered(state.replaced) },
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
  replaced: TriggerFunctions,
): AttachState {
  const before = previous ?? { userPoolId, functions: {}, replaced: {} };
  const next: AttachState = {
    userPoolId,
    functions: { ...before.functions, ...functions },
    replaced: { ...before.replaced },
  };
  for (const trigger of SLOT_ORDER) {
    const ours = functions[trigger];
    if (ours === undefined) continue;
    const old = replaced[trigger];
    if (old !== undefined && old !== before.functions[trigger]) next.replaced[trigger] = old;
    else if (old === undefined && before.functions[trigger] !== ours) delete next.replaced[trigger];
  }
  return next;
}

/** The state once `triggers` are detached (or found no longer ours): their entries are gone. */
export function stateAfterDetach(state: AttachState, triggers: readonly TriggerName[]): AttachState {
  const functions = { ...state.functions };
  const replaced = { ...state.replaced };
  for (const trigger of triggers) {
    delete functions[trigger];
    delete replaced[trigger];
  }
  return { userPoolId: state.userPoolId, functions, replaced };
}
