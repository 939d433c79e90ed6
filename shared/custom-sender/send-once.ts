/**
 * Bounds duplicate sends across Lambda's retries of a custom sender. Cognito invokes a custom sender
 * asynchronously (contract §3): Lambda retries a failed invocation twice (one, then two minutes later),
 * retries throttles for up to 6 hours, and may deliver the same event twice even without an error. Each retry
 * carries the same event, so the same encrypted `code`: a record keyed by (user pool, user name, trigger
 * source, a hash of the ciphertext) tells a retry from a new request (a resend is encrypted anew, so it
 * differs).
 *
 * The record lives in DynamoDB, written by a conditional PutItem:
 *
 * 1. **Claim** (`attribute_not_exists(id) OR (status = in-progress AND leaseExpiresAt < now)`): writes
 *    `in-progress` with this attempt as `owner` and a lease. A record that is `sent` means skip
 *    (`already-sent`); a live `in-progress` lease means another attempt is sending, skip (`in-progress`); an
 *    expired lease (that attempt crashed or timed out) is taken over. A record that names this attempt as
 *    its owner is its own claim, whose answer was lost and which the SDK retried: kept, not skipped.
 * 2. **Send**, with a deadline that keeps time back for step 3.
 * 3. **Mark sent** (`status = sent`), or, when the send failed, **release** the lease (a DeleteItem on
 *    `owner = this attempt`), so Lambda's retry can send.
 *
 * What remains (documented, not hidden):
 * - **Crash after the send, before step 3** (the function times out, the process dies, DynamoDB fails on the
 *   mark): the record stays `in-progress`; once its lease expires, a retry takes over and sends again.
 *   Lambda's retries come a minute or more later, after a default lease of 30 s. No store can close this
 *   window: the send and the record are two systems.
 * - **A send whose answer was lost** (a timeout after SES or SNS accepted it) counts as failed: the lease is
 *   released and the retry sends again. The SDK's own retry (two attempts) has the same window.
 * - **A skipped duplicate trusts the attempt holding the lease**: if that attempt then fails, it is the one
 *   Lambda retries; the skipped duplicate has already returned.
 * - **The store unavailable at the claim**: by default the message is sent without a record (a code that
 *   arrives twice beats one that never does); `whenStoreFails: 'throw'` fails the attempt instead.
 *
 * The table: partition key `id` (string); TTL on `expiration` (epoch seconds). The key is a SHA-256: the
 * table holds no user name and no code. The plaintext code is never read here.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AttributeValue, DynamoDBClient, GetItemCommandOutput } from '@aws-sdk/client-dynamodb';
import { type Env, readChoice, readString, readWholeNumber } from '../config.js';
import { boundedSignal, withDeadline } from '../deadline.js';
import {
  type DynamoDbClientProvider,
  DynamoDbRequestError,
  type DynamoDbSdk,
  defaultDynamoDbClient,
  loadDynamoDbSdk,
} from '../dynamodb-client.js';
import { EventShapeError } from '../errors.js';
import { loggableError } from '../log-error.js';
import { logger } from '../observability.js';
import { checkWhole, configureFrom, OptionsError } from '../options.js';
import { declareSettings } from '../settings.js';
import type { DeliveryBounds } from './delivery-call.js';

/** The states of a send record. */
export const SendStatus = { InProgress: 'in-progress', Sent: 'sent' } as const;

/** One of {@link SendStatus}. */
export type SendStatus = (typeof SendStatus)[keyof typeof SendStatus];

/** What to do when the store cannot be read or written at the claim. */
export const WhenStoreFails = {
  /** Send without a record: a duplicate is possible, a lost code is not. */
  Send: 'send',
  /** Throw the store's error: Lambda retries the invocation (the code arrives minutes late, or never). */
  Throw: 'throw',
} as const;

/** One of {@link WhenStoreFails}. */
export type WhenStoreFails = (typeof WhenStoreFails)[keyof typeof WhenStoreFails];

/** Options of {@link sendOnce}. */
export type SendOnceOptions = {
  /** The table: a name or a table ARN. Partition key `id` (string); TTL attribute `expiration`. */
  tableName: string;
  /**
   * How long a claim holds at least, in seconds (default 30): an attempt that crashed mid-send blocks others
   * this long. A lease never ends before the attempt's own deadline. Keep it under Lambda's first retry
   * delay (one minute), so the retry of a crashed attempt finds the lease expired.
   */
  leaseSeconds?: number;
  /**
   * How long a record is kept, in seconds (default one day): at least Lambda's longest retry horizon (6
   * hours, `MaximumEventAgeInSeconds`), so a late retry still finds it. DynamoDB deletes expired items later.
   */
  ttlSeconds?: number;
  /** Time kept back from the send's deadline to mark the record sent, in milliseconds (default 1000). */
  markReserveMs?: number;
  /** Default {@link WhenStoreFails.Send}. */
  whenStoreFails?: WhenStoreFails;
};

/** What {@link sendOnce} calls out to. */
export type SendOnceDependencies = {
  dynamodb: DynamoDbClientProvider;
  /** Epoch milliseconds now; tests shift it. */
  clock?: () => number;
};

/** What identifies one send: the same for every retry of one invocation, different for a resend. */
export type SendIdentity = {
  userPoolId: string;
  userName: string;
  /** `CustomEmailSender_SignUp`, `CustomSMSSender_Authentication`, … */
  triggerSource: string;
  /**
   * `request.code` as Cognito sent it: encrypted (base64), so only its hash is kept. The account-takeover
   * notification carries no code: pass its `request.userAttributes.EVENT_ID` instead (one per risk event,
   * the same on every retry).
   */
  ciphertext: string;
};

/** How a send that happened was recorded. */
export type SendRecord =
  /** Claimed and marked sent: retries skip it. */
  | 'marked'
  /** Claimed, sent, but the mark failed: a retry after the lease may send again. */
  | 'unmarked'
  /** The store failed at the claim ({@link WhenStoreFails.Send}): sent without a record. */
  | 'unguarded';

/** What {@link SendOnce} did. */
export type SendOnceOutcome<T> =
  | {
      status: 'sent';
      /** What the send resolved with. */
      result: T;
      /** Whether this attempt took over an expired lease (an earlier attempt crashed or timed out). */
      tookOver: boolean;
      record: SendRecord;
    }
  | { status: 'skipped'; because: 'already-sent' | 'in-progress' };

/**
 * Runs `send` unless a record says this identity was sent or is being sent. `send` gets bounds whose deadline
 * keeps {@link SendOnceOptions.markReserveMs} back. A failed send releases the claim and rethrows.
 */
export type SendOnce = <T>(
  identity: SendIdentity,
  bounds: DeliveryBounds,
  send: (bounds: DeliveryBounds) => Promise<T>,
) => Promise<SendOnceOutcome<T>>;

/** How long a send-once record lasts by default (`SEND_ONCE_TTL_SECONDS`): a day. */
export const SEND_ONCE_DEFAULT_TTL_SECONDS = 86_400;

const defaults = {
  leaseSeconds: 30,
  ttlSeconds: SEND_ONCE_DEFAULT_TTL_SECONDS,
  markReserveMs: 1000,
  whenStoreFails: WhenStoreFails.Send as WhenStoreFails,
};

/** Attribute names of a record. */
export const SendRecordAttributes = {
  key: 'id',
  status: 'status',
  owner: 'owner',
  leaseExpiresAt: 'leaseExpiresAt',
  sentAt: 'sentAt',
  expiration: 'expiration',
} as const;

// TableName (3–255 of [a-zA-Z0-9_.-]) or a table ARN, which the API also accepts.
const TABLE_NAME = /^(?:arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/)?[a-zA-Z0-9_.-]{3,255}$/;
// Lambda's longest asynchronous retry horizon: a record must outlive it.
const MIN_TTL_SECONDS = 6 * 3600;
// A claim that finds the record changing under it (released, expired) tries again, this many times in all.
const CLAIM_TRIES = 3;

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The record key of a send: SHA-256 (hex) over the pool, the user name, the trigger source and the SHA-256
 * of the ciphertext, versioned, fields JSON-encoded so no separator can shift one into another.
 * @throws EventShapeError when a field is not a non-empty string.
 */
export function sendOnceKey(identity: SendIdentity): string {
  const fields = [
    ['userPoolId', identity.userPoolId],
    ['userName', identity.userName],
    ['triggerSource', identity.triggerSource],
    ['request.code', identity.ciphertext],
  ] as const;
  for (const [path, value] of fields) {
    if (typeof value !== 'string' || value === '') {
      throw new EventShapeError(path, 'a non-empty string', value === '' ? 'empty string' : jsonType(value));
    }
  }
  return sha256(
    JSON.stringify([
      'send-once/v1',
      identity.userPoolId,
      identity.userName,
      identity.triggerSource,
      sha256(identity.ciphertext),
    ]),
  );
}

function jsonType(value: unknown): string {
  if (value === undefined) return 'absent';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/** The options with their defaults, checked. */
function checkedOptions(options: SendOnceOptions): Required<SendOnceOptions> {
  const settings = { ...defaults, ...options };
  if (typeof settings.tableName !== 'string' || !TABLE_NAME.test(settings.tableName)) {
    throw new OptionsError('tableName', 'a DynamoDB table name or table ARN');
  }
  checkWhole('leaseSeconds', settings.leaseSeconds, { min: 1, max: 900 });
  checkWhole('ttlSeconds', settings.ttlSeconds, { min: MIN_TTL_SECONDS, max: 30 * 86_400 });
  checkWhole('markReserveMs', settings.markReserveMs, { min: 0, max: 10_000 });
  if (!Object.values(WhenStoreFails).includes(settings.whenStoreFails)) {
    throw new OptionsError('whenStoreFails', `"${WhenStoreFails.Send}" or "${WhenStoreFails.Throw}"`);
  }
  return settings;
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * A guard that sends each identity once across retries, options checked once (at cold start). See the module
 * comment for the states and the duplicate window that remains.
 * @throws OptionsError naming the option.
 *
 * @example
 * const once = sendOnce({ tableName: 'CustomSenderSends' });
 * const outcome = await once(
 *   { userPoolId: event.userPoolId, userName: event.userName, triggerSource: event.triggerSource,
 *     ciphertext: event.request.code },
 *   { deadline },
 *   (bounds) => sendEmail(message, bounds),
 * );
 * // { status: 'sent', record: 'marked', … } the first time; { status: 'skipped', because: 'already-sent' }
 * // for Lambda's retry of the same event.
 */
export function sendOnce(
  options: SendOnceOptions,
  dependencies: SendOnceDependencies = { dynamodb: defaultDynamoDbClient },
): SendOnce {
  const settings = checkedOptions(options);
  const { dynamodb } = dependencies;
  const clock = dependencies.clock ?? Date.now;
  if (typeof dynamodb !== 'function') throw new OptionsError('dependencies.dynamodb', 'a function');
  if (typeof clock !== 'function') throw new OptionsError('dependencies.clock', 'a function');
  const names = {
    '#id': SendRecordAttributes.key,
    '#status': SendRecordAttributes.status,
  };

  /** One DynamoDB call, aborted at the deadline and settled by it; failures as DynamoDbRequestError. */
  async function storeCall<T>(
    operation: string,
    bounds: DeliveryBounds,
    call: (client: DynamoDBClient, sdk: DynamoDbSdk, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const bounded = boundedSignal(bounds.signal, bounds.deadline - Date.now());
    try {
      const work = Promise.all([dynamodb(), loadDynamoDbSdk()]).then(([client, sdk]) =>
        call(client, sdk, bounded.signal),
      );
      return await withDeadline(operation, bounds.deadline, work, { afterDueIo: true });
    } catch (error) {
      // A failed condition is an answer, not a fault: the caller reads it.
      if (isConditionFailure(error)) throw error;
      throw new DynamoDbRequestError(operation, error);
    } finally {
      bounded.clear();
    }
  }

  function expiration(now: number): AttributeValue {
    return { N: String(Math.floor(now / 1000) + settings.ttlSeconds) };
  }

  /** Claims the record: `'claimed'` / `'took-over'`, or why not. Store failures throw. */
  async function claim(
    id: string,
    owner: string,
    bounds: DeliveryBounds,
  ): Promise<'claimed' | 'took-over' | 'already-sent' | 'in-progress'> {
    for (let tries = 1; ; tries += 1) {
      const now = clock();
      const leaseExpiresAt = Math.max(now + settings.leaseSeconds * 1000, bounds.deadline);
      try {
        const answer = await storeCall('PutItem', bounds, (client, { PutItemCommand }, signal) =>
          client.send(
            new PutItemCommand({
              TableName: settings.tableName,
              Item: {
                [SendRecordAttributes.key]: { S: id },
                [SendRecordAttributes.status]: { S: SendStatus.InProgress },
                [SendRecordAttributes.owner]: { S: owner },
                [SendRecordAttributes.leaseExpiresAt]: { N: String(leaseExpiresAt) },
                [SendRecordAttributes.expiration]: expiration(now),
              },
              ConditionExpression: 'attribute_not_exists(#id) OR (#status = :inProgress AND #lease < :now)',
              ExpressionAttributeNames: { ...names, '#lease': SendRecordAttributes.leaseExpiresAt },
              ExpressionAttributeValues: {
                ':inProgress': { S: SendStatus.InProgress },
                ':now': { N: String(now) },
              },
              // The record replaced, if any: an expired lease this attempt took over.
              ReturnValues: 'ALL_OLD',
            }),
            { abortSignal: signal },
          ),
        );
        return answer.Attributes === undefined ? 'claimed' : 'took-over';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      // The failed condition already says "sent, or a live lease": skipping is right as of that moment. The
      // read tells which, and whether the record has changed since (released, its lease run out): then the
      // claim is tried again, a bounded number of times. A failed read keeps the skip: a record exists.
      let found: GetItemCommandOutput;
      try {
        found = await storeCall('GetItem', bounds, (client, { GetItemCommand }, signal) =>
          client.send(
            new GetItemCommand({
              TableName: settings.tableName,
              Key: { [SendRecordAttributes.key]: { S: id } },
              ConsistentRead: true,
            }),
            { abortSignal: signal },
          ),
        );
      } catch (error) {
        logger.warn('send-once: record exists but could not be read, skipping', {
          action: 'sendOnce',
          key: id.slice(0, 12),
          error: loggableError(error),
        });
        return 'in-progress';
      }
      const status = found.Item?.[SendRecordAttributes.status]?.S;
      if (status === SendStatus.Sent) return 'already-sent';
      // This attempt's own claim: the SDK retried a PutItem whose first answer was lost. Skipping now would
      // leave the claim held by nobody, and the message unsent.
      if (status === SendStatus.InProgress && found.Item?.[SendRecordAttributes.owner]?.S === owner) {
        return 'claimed';
      }
      const lease = Number(found.Item?.[SendRecordAttributes.leaseExpiresAt]?.N);
      if (status === SendStatus.InProgress && lease >= clock()) return 'in-progress';
      if (tries >= CLAIM_TRIES) return 'in-progress';
    }
  }

  async function markSent(id: string, bounds: DeliveryBounds): Promise<void> {
    const now = clock();
    // Unconditional: the message went out, whoever holds the lease now (an attempt that took over an
    // expired one is sending a duplicate already; its own release then finds `sent` and leaves it).
    await storeCall('PutItem', bounds, (client, { PutItemCommand }, signal) =>
      client.send(
        new PutItemCommand({
          TableName: settings.tableName,
          Item: {
            [SendRecordAttributes.key]: { S: id },
            [SendRecordAttributes.status]: { S: SendStatus.Sent },
            [SendRecordAttributes.sentAt]: { N: String(now) },
            [SendRecordAttributes.expiration]: expiration(now),
          },
        }),
        { abortSignal: signal },
      ),
    );
  }

  async function release(id: string, owner: string, bounds: DeliveryBounds): Promise<void> {
    try {
      await storeCall('DeleteItem', bounds, (client, { DeleteItemCommand }, signal) =>
        client.send(
          new DeleteItemCommand({
            TableName: settings.tableName,
            Key: { [SendRecordAttributes.key]: { S: id } },
            // Only this attempt's own claim: never another attempt's lease, never a `sent` record.
            ConditionExpression: '#owner = :owner AND #status = :inProgress',
            ExpressionAttributeNames: { '#owner': SendRecordAttributes.owner, '#status': names['#status'] },
            ExpressionAttributeValues: {
              ':owner': { S: owner },
              ':inProgress': { S: SendStatus.InProgress },
            },
          }),
          { abortSignal: signal },
        ),
      );
    } catch (error) {
      if (isConditionFailure(error)) return;
      // The lease runs out by itself; the send's own error is what the caller must see.
      logger.warn('send-once: lease not released, it expires by itself', {
        action: 'sendOnce',
        key: id.slice(0, 12),
        error: loggableError(error),
      });
    }
  }

  return async function sendOnce<T>(
    identity: SendIdentity,
    bounds: DeliveryBounds,
    send: (bounds: DeliveryBounds) => Promise<T>,
  ): Promise<SendOnceOutcome<T>> {
    const id = sendOnceKey(identity);
    const key = id.slice(0, 12);
    const owner = randomUUID();
    const sendBounds: DeliveryBounds = {
      deadline: bounds.deadline - settings.markReserveMs,
      ...(bounds.signal === undefined ? {} : { signal: bounds.signal }),
    };

    let claimed: Awaited<ReturnType<typeof claim>>;
    try {
      claimed = await claim(id, owner, bounds);
    } catch (error) {
      if (settings.whenStoreFails === WhenStoreFails.Throw) throw error;
      logger.warn('send-once: store unavailable, sending without a record', {
        action: 'sendOnce',
        key,
        error: loggableError(error),
      });
      return { status: 'sent', result: await send(sendBounds), tookOver: false, record: 'unguarded' };
    }
    if (claimed === 'already-sent' || claimed === 'in-progress') {
      logger.info('send-once: skipped', { action: 'sendOnce', key, because: claimed });
      return { status: 'skipped', because: claimed };
    }
    const tookOver = claimed === 'took-over';
    if (tookOver) logger.warn('send-once: took over an expired lease', { action: 'sendOnce', key });

    let result: T;
    try {
      result = await send(sendBounds);
    } catch (error) {
      await release(id, owner, bounds);
      throw error;
    }
    try {
      await markSent(id, bounds);
    } catch (error) {
      // Not rethrown: a thrown error makes Lambda retry, and the retry would send again. The lease expires.
      logger.warn('send-once: sent, but not recorded as sent', {
        action: 'sendOnce',
        key,
        error: loggableError(error),
      });
      return { status: 'sent', result, tookOver, record: 'unmarked' };
    }
    return { status: 'sent', result, tookOver, record: 'marked' };
  };
}

/**
 * The options from `SEND_ONCE_TABLE` (a table name or ARN), `SEND_ONCE_LEASE_SECONDS`,
 * `SEND_ONCE_TTL_SECONDS` and `SEND_ONCE_WHEN_STORE_FAILS` (`send` or `throw`), checked at once (a bad value
 * throws a `ConfigurationError` naming its variable), or `undefined` when `SEND_ONCE_TABLE` is empty: no
 * guard, every attempt sends.
 */
export function sendOnceFromEnv(env: Env): SendOnceOptions | undefined {
  const tableName = readString(env, 'SEND_ONCE_TABLE', '');
  if (tableName === '') return undefined;
  const options: SendOnceOptions = {
    tableName,
    leaseSeconds: readWholeNumber(env, 'SEND_ONCE_LEASE_SECONDS', defaults.leaseSeconds),
    ttlSeconds: readWholeNumber(env, 'SEND_ONCE_TTL_SECONDS', defaults.ttlSeconds),
    whenStoreFails: readChoice(
      env,
      'SEND_ONCE_WHEN_STORE_FAILS',
      Object.values(WhenStoreFails),
      defaults.whenStoreFails,
    ),
  };
  configureFrom(sendOnceSettings, () => checkedOptions(options));
  return options;
}

/** What {@link sendOnce} reads (shared/settings.ts). */
export const sendOnceSettings = declareSettings({
  owner: 'sendOnce',
  variables: [
    { name: 'SEND_ONCE_TABLE', option: 'tableName' },
    { name: 'SEND_ONCE_LEASE_SECONDS', option: 'leaseSeconds' },
    { name: 'SEND_ONCE_TTL_SECONDS', option: 'ttlSeconds' },
    { name: 'SEND_ONCE_WHEN_STORE_FAILS', option: 'whenStoreFails' },
  ],
});
