/**
 * The `attach` and `detach` commands (cli/attach.ts, cli/detach.ts): their options, their output, and their
 * exit codes (0 done or nothing to do, 1 refused or failed with nothing changed, 2 a usage error).
 * `CommandIo` carries the output streams and the client factory, so tests run the commands in-process.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { parseCommandLine, UsageError } from '../cli/command-line.js';
import { checkEndpointUrl } from '../cli/sqs-urls.js';
import { attachTriggers, detachTriggers, type Outcome } from './attach-triggers.js';
import type { UserPoolClient } from './cognito-pool.js';
import { diffLines } from './diff-pools.js';
import { AttachError, MalformedUserPoolIdError } from './errors.js';
import type { AttachPlan, DetachPlan } from './plan.js';
import { readAttachState, stateAfterAttach, stateAfterDetach, writeAttachState } from './state-file.js';
import {
  checkKeyArn,
  checkKmsKeyFor,
  checkRecordedKeyArn,
  checkTriggerFunctions,
  SLOT_ORDER,
  type SlotName,
  TRIGGER_SLOTS,
  type TriggerFunctions,
} from './trigger-slots.js';
import { parseUserPoolId } from './user-pool-id.js';

/** Where a command writes, and how it gets its Cognito client. */
export type CommandIo = {
  out(line: string): void;
  err(line: string): void;
  client(options: { region: string; endpoint: string | undefined }): UserPoolClient;
};

/** stdout, stderr, and an SDK client with the default credential chain. */
export const processIo: CommandIo = {
  out: (line) => {
    process.stdout.write(`${line}\n`);
  },
  err: (line) => {
    process.stderr.write(`${line}\n`);
  },
  client: ({ region, endpoint }) =>
    new CognitoIdentityProviderClient({
      region,
      maxAttempts: 3,
      ...(endpoint === undefined ? {} : { endpoint }),
    }),
};

const TRIGGERS = SLOT_ORDER.join(', ');

const COMMON_OPTIONS = `  --user-pool-id <id>     the pool, <region>_<id> (required)
  --dry-run               print the difference it would make; change nothing
  --region <region>       the pool's Region (default: the one its id names; another one is refused)
  --endpoint-url <url>    Cognito endpoint (a local server such as moto)
  --state <file>          the JSON record of what attach replaced (see below)
  -h, --help              show this help`;

/** `npm run attach -- --help`. */
export const ATTACH_USAGE = `Usage: npm run attach -- --user-pool-id <id> --function <Trigger>=<arn>... [options]

Points the pool's trigger slots at our functions with one UpdateUserPool request that sends every other
setting of the pool back as DescribeUserPool read it (UpdateUserPool resets what a request leaves out;
--dry-run lists the few legacy values left to Cognito). Then reads the pool again and fails if anything but
our triggers changed.

A slot that already holds another function is refused, and nothing changes, unless --replace: then what it
held is printed, and recorded in --state <file> for detach to restore. A slot that already holds ours is left
as it is.

Options:
  --function <T>=<arn>    our function for trigger T, repeatable; T: ${TRIGGERS}
                          (--function PreSignUp=arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up)
  --kms-key-id <arn>      the KMS key ARN of the custom senders (CustomEmailSender, CustomSMSSender):
                          required with one, refused without (arn:aws:kms:<region>:<account>:key/<id>;
                          not a key id or an alias). A pool that holds another key is refused unless
                          --replace: codes in flight were encrypted for the old key
  --replace               replace a slot (or the senders' key) that holds another function (key)
${COMMON_OPTIONS}

The state file ({"userPoolId", "functions", "replaced", "kmsKeyId"}) is created or updated after a successful attach;
keep it for detach. Exit status: 0 done (or nothing to do), 1 refused or failed (the pool is unchanged unless
the message says otherwise), 2 usage error.`;

/** `npm run detach -- --help`. */
export const DETACH_USAGE = `Usage: npm run detach -- --user-pool-id <id> (--function <Trigger>=<arn>... | --state <file>) [options]

Empties each of our trigger slots that still points at our function, or puts back what attach replaced
there, with one UpdateUserPool request that sends every other setting back as it was. A slot that points at
another function now is left alone.

Options:
  --function <T>=<arn>    our function for trigger T, repeatable (default: the state file's);
                          T: ${TRIGGERS}
  --restore <T>=<arn>     what to put back in T's slot instead of emptying it, repeatable (default: what
                          the state file recorded as replaced); KMSKeyID=<key arn> for the senders' key
  --kms-key-id <arn>      our custom senders' key (default: the state file's, when every sender of ours is
                          detached): the pool's KMSKeyID, when it is this key, is put back (--restore
                          KMSKeyID), or removed when no sender is left; give it with all our senders only
${COMMON_OPTIONS}

After a successful detach, the state file forgets the detached triggers. Exit status: 0 done (or nothing to
do), 1 failed (the pool is unchanged unless the message says otherwise), 2 usage error.`;

const SHARED_FLAGS = {
  'user-pool-id': { type: 'string' as const },
  function: { type: 'string' as const, multiple: true as const, default: [] as string[] },
  'dry-run': { type: 'boolean' as const, default: false },
  region: { type: 'string' as const },
  'endpoint-url': { type: 'string' as const },
  state: { type: 'string' as const },
  'kms-key-id': { type: 'string' as const },
};

/** `--function PreSignUp=arn` entries as function ARNs by trigger. */
function triggerFunctionsOf(option: string, entries: readonly string[]): TriggerFunctions {
  const functions: Record<string, string> = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    if (equals < 1)
      throw new UsageError(`${option} must be <Trigger>=<arn> (triggers: ${TRIGGERS}), not "${entry}"`);
    const trigger = entry.slice(0, equals);
    if (Object.hasOwn(functions, trigger)) throw new UsageError(`${option} ${trigger} is given twice`);
    Object.defineProperty(functions, trigger, { value: entry.slice(equals + 1), enumerable: true });
  }
  try {
    return checkTriggerFunctions(functions);
  } catch (error) {
    if (error instanceof AttachError) throw new UsageError(`${option} ${error.message}`, { cause: error });
    throw error;
  }
}

/** An `AttachError` of a check of the command line as a usage error naming the option. */
function asUsage<T>(option: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof AttachError) throw new UsageError(`${option}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** `--restore` entries: function ARNs by trigger, and `KMSKeyID=<key arn>`. */
function restoreValuesOf(entries: readonly string[]) {
  const keys = entries.filter((entry) => entry.startsWith('KMSKeyID='));
  if (keys.length > 1) throw new UsageError('--restore KMSKeyID is given twice');
  const functions = triggerFunctionsOf(
    '--restore',
    entries.filter((entry) => !entry.startsWith('KMSKeyID=')),
  );
  const key = keys[0]?.slice('KMSKeyID='.length);
  return key === undefined
    ? functions
    : { ...functions, KMSKeyID: asUsage('--restore', () => checkRecordedKeyArn(key)) };
}

/** The pool id, its Region and the endpoint, checked before any request. */
function targetOf(values: { 'user-pool-id'?: string; region?: string; 'endpoint-url'?: string }) {
  const userPoolId = values['user-pool-id'];
  if (userPoolId === undefined) throw new UsageError('--user-pool-id is required');
  let poolRegion: string;
  try {
    poolRegion = parseUserPoolId(userPoolId).region;
  } catch (error) {
    if (error instanceof MalformedUserPoolIdError) {
      throw new UsageError(`--user-pool-id: ${error.message}`, { cause: error });
    }
    throw error;
  }
  const region = values.region ?? poolRegion;
  if (region !== poolRegion) {
    throw new UsageError(
      `--region ${region}: user pool ${userPoolId} is in ${poolRegion}; nothing was changed`,
    );
  }
  const endpointUrl = values['endpoint-url'];
  const endpoint = endpointUrl === undefined ? undefined : checkEndpointUrl('--endpoint-url', endpointUrl);
  return { userPoolId, region, endpoint };
}

/** The state file's record, which must be about `userPoolId`. */
function stateFor(path: string | undefined, userPoolId: string) {
  if (path === undefined) return undefined;
  const state = readAttachState(path);
  if (state !== undefined && state.userPoolId !== userPoolId) {
    throw new UsageError(`--state ${path} records user pool ${state.userPoolId}, not ${userPoolId}`);
  }
  return state;
}

/** The lines every run prints: the pool, the difference, and what the dry run left unsent. */
function report(io: CommandIo, outcome: Outcome<AttachPlan | DetachPlan>, dryRun: boolean): void {
  const { before } = outcome;
  io.out(`user pool ${before.Id ?? ''}${before.Name === undefined ? '' : ` (${before.Name})`}`);
  for (const line of diffLines(outcome.differences)) io.out(line);
  if (dryRun && outcome.plan.request !== undefined && outcome.plan.adjustments.length > 0) {
    io.out('sent back other than read (attach/pool-fields.ts says why):');
    for (const { field, reason } of outcome.plan.adjustments) io.out(`  ${field}: ${reason}`);
  }
}

/**
 * After an update: notes the values of deliberately unsent fields that are gone, and warns about every
 * other difference the plan did not ask for; 1 when there is one.
 */
function checkUnexpected(io: CommandIo, outcome: Outcome<AttachPlan | DetachPlan>, verb: string): number {
  const reasons = new Map(outcome.plan.adjustments.map(({ field, reason }) => [field, reason]));
  for (const { path, before } of outcome.dropped) {
    const reason = [...reasons].find(([field]) => path === field || path.startsWith(`${field}.`))?.[1];
    io.out(
      `note: ${path} (was ${before ?? ''}) is gone: it was not sent back (${reason ?? 'see --dry-run'})`,
    );
  }
  if (outcome.unexpected.length === 0) return 0;
  io.err(
    `${verb}: UpdateUserPool changed more than our triggers (or less); the pool now differs from the plan in:`,
  );
  for (const line of diffLines(outcome.unexpected)) io.err(`  ${line}`);
  return 1;
}

/**
 * `npm run attach -- …`: returns the exit status.
 * @throws UsageError for a bad command line; the errors of attach/attach-triggers.ts.
 */
export async function attachCommand(argv: readonly string[], io: CommandIo = processIo): Promise<number> {
  const { values } = parseCommandLine(
    { options: { ...SHARED_FLAGS, replace: { type: 'boolean', default: false } } },
    argv,
  );
  if (values.help) {
    io.out(ATTACH_USAGE);
    return 0;
  }
  const { userPoolId, region, endpoint } = targetOf(values);
  const functions = triggerFunctionsOf('--function', values.function);
  if (Object.keys(functions).length === 0) {
    throw new UsageError('give at least one --function <Trigger>=<arn>');
  }
  const kmsKeyId = asUsage('--kms-key-id', () => checkKmsKeyFor(functions, values['kms-key-id']));
  const previous = stateFor(values.state, userPoolId);
  const dryRun = values['dry-run'];

  const outcome = await attachTriggers(io.client({ region, endpoint }), {
    userPoolId,
    functions,
    replace: values.replace,
    ...(kmsKeyId === undefined ? {} : { kmsKeyId }),
    dryRun,
  });
  const { plan } = outcome;
  if (plan.refused.length > 0) {
    for (const conflict of plan.refused) {
      io.err(`attach: ${conflict.path} points at ${conflict.current}, not at ours (${conflict.ours})`);
      if (conflict.why !== undefined) io.err(`attach: replacing it needs care: ${conflict.why}`);
    }
    io.err('attach: nothing was changed; pass --replace to replace it (detach then restores it)');
    return 1;
  }
  report(io, outcome, dryRun);
  if (plan.request === undefined) io.out('nothing to change: every slot already points at our function');
  if (dryRun) {
    io.out('dry run: nothing was changed');
    return 0;
  }
  if (outcome.applied) io.out(`attached: ${plan.changes.length} slot(s) changed`);
  // A key of ours the pool already held is recorded for detach (it keeps it), not replaced.
  const replacedEntries = Object.entries(plan.replaced).filter(
    ([trigger, arn]) => trigger !== 'KMSKeyID' || arn !== kmsKeyId,
  );
  for (const [trigger, arn] of replacedEntries) {
    io.out(
      values.state === undefined
        ? `replaced ${trigger}: ${arn} (detach puts it back with --restore ${trigger}=${arn})`
        : `replaced ${trigger}: ${arn} (recorded in ${values.state}; detach puts it back)`,
    );
  }
  if (values.state !== undefined) {
    writeAttachState(
      values.state,
      stateAfterAttach(previous, userPoolId, functions, plan.replaced, kmsKeyId),
    );
  }
  return checkUnexpected(io, outcome, 'attach');
}

/**
 * `npm run detach -- …`: returns the exit status.
 * @throws UsageError for a bad command line; the errors of attach/attach-triggers.ts.
 */
export async function detachCommand(argv: readonly string[], io: CommandIo = processIo): Promise<number> {
  const { values } = parseCommandLine(
    { options: { ...SHARED_FLAGS, restore: { type: 'string', multiple: true, default: [] as string[] } } },
    argv,
  );
  if (values.help) {
    io.out(DETACH_USAGE);
    return 0;
  }
  const { userPoolId, region, endpoint } = targetOf(values);
  const state = stateFor(values.state, userPoolId);
  if (values.state !== undefined && state === undefined && values.function.length === 0) {
    throw new UsageError(`--state ${values.state}: no such file`);
  }
  const given = triggerFunctionsOf('--function', values.function);
  const functions = Object.keys(given).length > 0 ? given : (state?.functions ?? {});
  if (Object.keys(functions).length === 0) {
    throw new UsageError('give --function <Trigger>=<arn>, or --state <file> written by attach');
  }
  const restore = { ...state?.replaced, ...restoreValuesOf(values.restore) };
  const givenKey = values['kms-key-id'];
  // The state's key goes with the last of the state's senders: not while one of them stays attached.
  const keepsSender = SLOT_ORDER.some(
    (trigger) =>
      state?.functions[trigger] !== undefined &&
      functions[trigger] === undefined &&
      TRIGGER_SLOTS[trigger].usesKey,
  );
  const kmsKeyId =
    givenKey !== undefined
      ? asUsage('--kms-key-id', () => checkKeyArn(givenKey))
      : keepsSender
        ? undefined
        : state?.kmsKeyId;
  const dryRun = values['dry-run'];

  const outcome = await detachTriggers(io.client({ region, endpoint }), {
    userPoolId,
    functions,
    restore,
    ...(kmsKeyId === undefined ? {} : { kmsKeyId }),
    dryRun,
  });
  const { plan } = outcome;
  for (const left of plan.left) {
    io.err(
      `detach: left ${left.path} as it is: it ${left.current === undefined ? 'is empty' : `points at ${left.current}`}, not at ours (${left.ours})`,
    );
  }
  report(io, outcome, dryRun);
  if (plan.request === undefined) io.out('nothing to change: no slot points at our functions');
  if (dryRun) {
    io.out('dry run: nothing was changed');
    return 0;
  }
  if (outcome.applied) io.out(`detached: ${plan.changes.length} slot(s) changed`);
  if (values.state !== undefined && state !== undefined) {
    const gone: SlotName[] = [...plan.changes, ...plan.left].map((entry) => entry.trigger);
    writeAttachState(values.state, stateAfterDetach(state, gone));
  }
  return checkUnexpected(io, outcome, 'detach');
}
