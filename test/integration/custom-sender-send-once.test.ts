/**
 * sendOnce against dynalite (DynamoDB's API in memory): the guard's own lazy SDK client, real conditional
 * writes, real concurrency. Sends are counted by the test's send function; the states are read back from the
 * table. Store faults come from a real closed port, never from a mocked client.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../shared/custom-sender/delivery-error.js';
import {
  type SendIdentity,
  type SendOnceOptions,
  SendRecordAttributes,
  sendOnce,
  sendOnceKey,
} from '../../shared/custom-sender/send-once.js';
import {
  type DynamoDbClientProvider,
  DynamoDbRequestError,
  lazyDynamoDbClient,
} from '../../shared/dynamodb-client.js';
import { type DynaliteServer, dynaliteCredentials, startDynaliteServer } from '../support/dynalite-server.js';
import { listenOnLoopback, readBody, unusedLoopbackUrl } from '../support/loopback.js';
import { rejectionOf } from '../support/outcomes.js';

const LEASE_SECONDS = 30;

/** A send that counts itself, and can be held open or made to fail. */
function countingSend() {
  const counter = {
    calls: 0,
    delivered: 0,
    async send(options: { fail?: boolean; hold?: Promise<void> } = {}) {
      counter.calls += 1;
      await (options.hold ?? new Promise((resolve) => setTimeout(resolve, 25)));
      if (options.fail === true) {
        throw new DeliveryError({ channel: 'email', operation: 'SendEmail', reason: 'throttled' });
      }
      counter.delivered += 1;
      return { messageId: `message-${counter.calls}` };
    },
  };
  return counter;
}

function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('Shared: sendOnce against dynalite', () => {
  let server: DynaliteServer;
  let tables = 0;
  let dynamodb: DynamoDbClientProvider;
  let closedPort: string;

  beforeAll(async () => {
    server = await startDynaliteServer();
    dynamodb = lazyDynamoDbClient({
      endpoint: server.endpoint,
      credentials: dynaliteCredentials,
      region: 'us-east-1',
    });
    closedPort = await unusedLoopbackUrl();
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function newTable(): Promise<string> {
    tables += 1;
    const name = `CustomSenderSends-${tables}`;
    await server.createTable(name, SendRecordAttributes.key);
    return name;
  }

  function identity(overrides: Partial<SendIdentity> = {}): SendIdentity {
    return {
      userPoolId: 'us-east-1_EXAMPLE',
      userName: 'jane@example.com',
      triggerSource: 'CustomEmailSender_SignUp',
      // What Cognito sends: an AWS Encryption SDK message, base64; a fresh one per test.
      ciphertext: Buffer.from(`AYADeCiphertext-${randomUUID()}`).toString('base64'),
      ...overrides,
    };
  }

  function guard(
    tableName: string,
    options: Partial<SendOnceOptions> = {},
    dependencies: { dynamodb?: DynamoDbClientProvider; clock?: () => number } = {},
  ) {
    return sendOnce(
      { tableName, leaseSeconds: LEASE_SECONDS, ...options },
      {
        dynamodb: dependencies.dynamodb ?? dynamodb,
        ...(dependencies.clock ? { clock: dependencies.clock } : {}),
      },
    );
  }

  function bounds(ms = 5000) {
    return { deadline: Date.now() + ms };
  }

  /** A provider whose first `good` calls reach dynalite and whose later ones reach a closed port. */
  function failingAfter(good: number): DynamoDbClientProvider {
    const down = lazyDynamoDbClient({
      endpoint: closedPort,
      credentials: dynaliteCredentials,
      region: 'us-east-1',
    });
    let calls = 0;
    return (region) => {
      calls += 1;
      return calls <= good ? dynamodb(region) : down(region);
    };
  }

  async function statusOf(tableName: string, sent: SendIdentity): Promise<string | undefined> {
    const items = await server.itemsOf(tableName);
    const item = items.find((entry) => entry[SendRecordAttributes.key]?.S === sendOnceKey(sent));
    return item?.[SendRecordAttributes.status]?.S;
  }

  it('sends once when five attempts of the same event run at once', async () => {
    // Prepare
    const tableName = await newTable();
    const once = guard(tableName);
    const sent = identity();
    const counter = countingSend();

    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => once(sent, bounds(), () => counter.send())),
    );

    // Assess
    expect(counter.calls).toBe(1);
    expect(outcomes.filter((outcome) => outcome.status === 'sent')).toEqual([
      { status: 'sent', result: { messageId: 'message-1' }, tookOver: false, record: 'marked' },
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'skipped')).toHaveLength(4);
    expect(await statusOf(tableName, sent)).toBe('sent');
  });

  it('skips a retry that finds the send recorded', async () => {
    // Prepare
    const tableName = await newTable();
    const once = guard(tableName);
    const sent = identity();
    const counter = countingSend();
    await once(sent, bounds(), () => counter.send());

    // Act
    const retry = await once(sent, bounds(), () => counter.send());

    // Assess
    expect(retry).toEqual({ status: 'skipped', because: 'already-sent' });
    expect(counter.calls).toBe(1);
  });

  it('sends a resend again: a new request carries a new ciphertext', async () => {
    // Prepare
    const tableName = await newTable();
    const once = guard(tableName);
    const counter = countingSend();
    await once(identity(), bounds(), () => counter.send());

    // Act
    const resend = await once(identity(), bounds(), () => counter.send());

    // Assess
    expect(resend).toMatchObject({ status: 'sent', record: 'marked' });
    expect(counter.calls).toBe(2);
  });

  it('skips while another attempt holds a live lease, and takes over once it has expired', async () => {
    // Prepare
    const tableName = await newTable();
    const sent = identity();
    const counter = countingSend();
    const hold = deferred();
    // The first attempt claims and stays in its send: from outside, a crashed attempt looks the same.
    const first = guard(tableName)(sent, bounds(), () => counter.send({ hold: hold.promise }));
    while (counter.calls === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const later = () => Date.now() + (LEASE_SECONDS + 1) * 1000;

    // Act
    const meanwhile = await guard(tableName)(sent, bounds(), () => counter.send());
    const afterLease = await guard(tableName, {}, { clock: later })(sent, bounds(), () => counter.send());
    hold.resolve();
    await first;

    // Assess
    expect({ meanwhile, afterLease }).toEqual({
      meanwhile: { status: 'skipped', because: 'in-progress' },
      afterLease: { status: 'sent', result: { messageId: 'message-2' }, tookOver: true, record: 'marked' },
    });
    expect(await statusOf(tableName, sent)).toBe('sent');
  });

  it('releases the lease when the send fails, so the retry sends', async () => {
    // Prepare
    const tableName = await newTable();
    const once = guard(tableName);
    const sent = identity();
    const counter = countingSend();

    // Act
    const failure = await rejectionOf(once(sent, bounds(), () => counter.send({ fail: true })));
    const afterFailure = await statusOf(tableName, sent);
    const retry = await once(sent, bounds(), () => counter.send());

    // Assess
    expect(failure).toMatchObject({ name: 'DeliveryError', reason: 'throttled', retryable: true });
    expect(afterFailure).toBeUndefined();
    expect(retry).toMatchObject({ status: 'sent', tookOver: false, record: 'marked' });
    expect({ calls: counter.calls, delivered: counter.delivered }).toEqual({ calls: 2, delivered: 1 });
  });

  it('sends again after a crash between the send and its mark, once the lease has expired (the known window)', async () => {
    // Prepare
    const tableName = await newTable();
    const sent = identity();
    const counter = countingSend();
    // The claim reaches the table; the mark finds the store gone, as a crash would leave it unmarked.
    const crashed = await guard(tableName, {}, { dynamodb: failingAfter(1) })(sent, bounds(), () =>
      counter.send(),
    );
    const later = () => Date.now() + (LEASE_SECONDS + 1) * 1000;

    // Act
    const beforeLease = await guard(tableName)(sent, bounds(), () => counter.send());
    const afterLease = await guard(tableName, {}, { clock: later })(sent, bounds(), () => counter.send());
    const lastRetry = await guard(tableName)(sent, bounds(), () => counter.send());

    // Assess
    expect({ crashed: crashed.status === 'sent' && crashed.record, beforeLease, lastRetry }).toEqual({
      crashed: 'unmarked',
      beforeLease: { status: 'skipped', because: 'in-progress' },
      lastRetry: { status: 'skipped', because: 'already-sent' },
    });
    expect(afterLease).toMatchObject({ status: 'sent', tookOver: true });
    expect(counter.delivered).toBe(2);
  });

  it('rethrows the send error when the release cannot reach the store; the lease then expires by itself', async () => {
    // Prepare
    const tableName = await newTable();
    const sent = identity();
    const counter = countingSend();
    const later = () => Date.now() + (LEASE_SECONDS + 1) * 1000;

    // Act
    const failure = await rejectionOf(
      guard(tableName, {}, { dynamodb: failingAfter(1) })(sent, bounds(), () => counter.send({ fail: true })),
    );
    const beforeLease = await guard(tableName)(sent, bounds(), () => counter.send());
    const afterLease = await guard(tableName, {}, { clock: later })(sent, bounds(), () => counter.send());

    // Assess
    expect(failure).toMatchObject({ name: 'DeliveryError', reason: 'throttled' });
    expect(beforeLease).toEqual({ status: 'skipped', because: 'in-progress' });
    expect(afterLease).toMatchObject({ status: 'sent', tookOver: true, record: 'marked' });
    expect(counter.delivered).toBe(1);
  });

  it('skips, never sends unguarded, when its claim finds a record the store then fails to read', async () => {
    // Prepare
    const tableName = await newTable();
    const sent = identity();
    const counter = countingSend();
    await guard(tableName)(sent, bounds(), () => counter.send());

    // Act
    const retry = await guard(tableName, {}, { dynamodb: failingAfter(1) })(sent, bounds(), () =>
      counter.send(),
    );

    // Assess
    expect(retry).toEqual({ status: 'skipped', because: 'in-progress' });
    expect(counter.calls).toBe(1);
  });

  it('sends when the SDK retried its claim after the answer was lost: the retry finds its own claim', async () => {
    // Prepare
    const tableName = await newTable();
    const counter = countingSend();
    // A proxy to dynalite that lets the first PutItem through, then drops the connection instead of answering.
    let dropped = 0;
    const proxy = await listenOnLoopback(
      createServer(async (request, response) => {
        const body = await readBody(request);
        const target = String(request.headers['x-amz-target'] ?? '');
        const answer = await fetch(server.endpoint, {
          method: 'POST',
          // Signed headers as the SDK sent them (dynalite wants an Authorization header, checks no signature).
          headers: Object.fromEntries(
            Object.entries(request.headers).flatMap(([name, value]) =>
              ['host', 'connection', 'content-length'].includes(name) ? [] : [[name, String(value)]],
            ),
          ),
          body,
        });
        const text = await answer.text();
        if (target.endsWith('.PutItem') && dropped === 0) {
          dropped += 1;
          request.socket.destroy();
          return;
        }
        response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? '' });
        response.end(text);
      }),
    );
    const lossy = lazyDynamoDbClient({
      endpoint: proxy.origin,
      credentials: dynaliteCredentials,
      region: 'us-east-1',
    });

    // Act
    const outcome = await guard(tableName, {}, { dynamodb: lossy })(identity(), bounds(), () =>
      counter.send(),
    );
    await proxy.stop();

    // Assess
    expect({ dropped, outcome }).toEqual({
      dropped: 1,
      outcome: { status: 'sent', result: { messageId: 'message-1' }, tookOver: false, record: 'marked' },
    });
  });

  it('sends without a record when the store is down at the claim, by default', async () => {
    // Prepare
    const tableName = await newTable();
    const counter = countingSend();

    // Act
    const outcome = await guard(tableName, {}, { dynamodb: failingAfter(0) })(identity(), bounds(), () =>
      counter.send(),
    );

    // Assess
    expect(outcome).toMatchObject({ status: 'sent', record: 'unguarded' });
    expect(counter.delivered).toBe(1);
  });

  it('fails without sending when the store is down at the claim and whenStoreFails is throw', async () => {
    // Prepare
    const tableName = await newTable();
    const counter = countingSend();
    const once = guard(tableName, { whenStoreFails: 'throw' }, { dynamodb: failingAfter(0) });

    // Act
    const error = await rejectionOf(once(identity(), bounds(), () => counter.send()));

    // Assess
    expect(error).toBeInstanceOf(DynamoDbRequestError);
    expect(counter.calls).toBe(0);
  });

  it('keeps neither the user name nor the code in the table, and sets the TTL attribute', async () => {
    // Prepare
    const tableName = await newTable();
    const sent = identity({ userName: 'jane.doe@example.com' });
    const startedAt = Math.floor(Date.now() / 1000);

    // Act
    await guard(tableName, { ttlSeconds: 86_400 })(sent, bounds(), async () => 'ok');

    // Assess
    const [item, ...others] = await server.itemsOf(tableName);
    expect(others).toEqual([]);
    const stored = JSON.stringify(item);
    expect([stored.includes('jane.doe'), stored.includes(sent.ciphertext)]).toEqual([false, false]);
    expect(item?.[SendRecordAttributes.key]?.S).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(item?.[SendRecordAttributes.expiration]?.N) - startedAt).toBeGreaterThanOrEqual(86_400);
  });

  it('never has two sends in flight, delivers at most once, and leaves a retry to send only if none did (any interleaving)', async () => {
    // Prepare
    const tableName = await newTable();
    const once = guard(tableName);

    // Act & Assess: each run's attempts start and end in an order fast-check picks; the store is real.
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.boolean(), { minLength: 2, maxLength: 5 }),
        async (scheduler, succeeds) => {
          const sent = identity();
          let inFlight = 0;
          let maxInFlight = 0;
          let delivered = 0;
          const attempts = succeeds.map(async (succeed, index) => {
            await scheduler.schedule(Promise.resolve(), `start ${index}`);
            return once(sent, bounds(), async () => {
              inFlight += 1;
              maxInFlight = Math.max(maxInFlight, inFlight);
              await scheduler.schedule(Promise.resolve(), `send ${index} ends`);
              inFlight -= 1;
              if (!succeed) throw new Error('send failed');
              delivered += 1;
              return index;
            });
          });
          const settled = Promise.allSettled(attempts);
          await scheduler.waitFor(settled);
          const outcomes = await settled;
          const deliveredByAttempts = delivered;
          const retry = await once(sent, bounds(), async () => {
            delivered += 1;
            return -1;
          });

          expect(maxInFlight).toBeLessThanOrEqual(1);
          expect(deliveredByAttempts).toBeLessThanOrEqual(1);
          expect(
            outcomes.filter((outcome) => outcome.status === 'fulfilled' && outcome.value.status === 'sent'),
          ).toHaveLength(deliveredByAttempts);
          expect(retry.status).toBe(deliveredByAttempts === 0 ? 'sent' : 'skipped');
          expect(delivered).toBe(1);
        },
      ),
      { numRuns: 25 },
    );
  });
});
