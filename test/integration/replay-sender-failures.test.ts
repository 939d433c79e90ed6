/**
 * `npm run replay:sender-failures` against real components: moto's SQS holds the sender failure queue's
 * messages (Lambda's on-failure destination records), and the project's own Lambda Invoke API
 * (local/lambda-endpoint.ts) serves a tiny function bundle that appends each event it receives to a file. The
 * command runs as `npm run` runs it, in a child process, with the SDK pointed at both (`--endpoint-url` for SQS,
 * `AWS_ENDPOINT_URL_LAMBDA` for Lambda).
 *
 * Proves: records are re-invoked asynchronously with Cognito's event unchanged and deleted once accepted; a
 * message that is not such a record (or is of another function, or whose invoke Lambda refuses) is kept, reported
 * without its code or attributes, and visible again at once; a dry run lists masked users and changes nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { type LambdaEndpoint, startLambdaEndpoint } from '../../local/lambda-endpoint.js';
import { codeEmailSenderEvent, testSub } from '../support/builders.js';
import {
  describeWithMoto,
  MOTO_ACCOUNT_ID,
  type MotoServer,
  motoCredentialsEnv,
  startMotoServer,
} from '../support/moto-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FUNCTION = 'sign-up-CustomEmailSenderFunction';
const FUNCTION_ARN = `arn:aws:lambda:us-east-1:${MOTO_ACCOUNT_ID}:function:${FUNCTION}`;

/** Appends every event it receives to RECORD_FILE, one JSON line each, and returns. */
const RECORDER_BUNDLE = `'use strict';
const { appendFileSync } = require('node:fs');
exports.handler = async (event) => {
  appendFileSync(process.env.RECORD_FILE, JSON.stringify(event) + '\\n');
};
`;

/** Stands in for the encrypted code: base64, so the event parser accepts it, and easy to look for. */
const SECRET_CODE = Buffer.from('SECRET-CIPHERTEXT-EXAMPLE-0123456789').toString('base64');

/** A custom email sender event as Cognito sends it, for the user `userName` (an address: email as username). */
function emailEvent(
  userName: string,
  source: Parameters<typeof codeEmailSenderEvent>[0] = 'CustomEmailSender_SignUp',
): Record<string, unknown> {
  const userAttributes = { sub: testSub, email_verified: 'false', 'cognito:user_status': 'UNCONFIRMED' };
  return codeEmailSenderEvent(
    source,
    { code: SECRET_CODE, userAttributes: { ...userAttributes, email: userName } },
    { userName },
  );
}

/** A failure time `minutes` ago, as Lambda writes it. */
function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

/** Lambda's on-failure destination record of `event`, for `functionArn`, failed 5 minutes ago by default. */
function failureRecord(
  event: object,
  requestId: string,
  functionArn = `${FUNCTION_ARN}:$LATEST`,
  timestamp = minutesAgo(5),
  condition = 'RetriesExhausted',
) {
  return {
    version: '1.0',
    timestamp,
    requestContext: { requestId, functionArn, condition, approximateInvokeCount: 3 },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'SesRequestError', errorMessage: 'SendEmail failed: TimeoutError' },
  };
}

const alice = 'alice.secret@example.com';
const bob = 'bob.secret@example.org';

type CliRun = { status: number | null; stdout: string; stderr: string };

describeWithMoto('CLI: replay:sender-failures against moto SQS and the local Lambda endpoint', () => {
  let moto: MotoServer;
  let endpoint: LambdaEndpoint;
  let sqs: SQSClient;
  let directory: string;
  let recordFile: string;
  let queueUrl: string;
  let queues = 0;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'replay-sender-failures-'));
    recordFile = join(directory, 'events.jsonl');
    const bundlePath = join(directory, 'handler.cjs');
    writeFileSync(bundlePath, RECORDER_BUNDLE);
    moto = await startMotoServer();
    endpoint = await startLambdaEndpoint({
      functions: [
        {
          name: FUNCTION,
          bundlePath,
          exportName: 'handler',
          memoryMb: 128,
          timeoutSeconds: 5,
          environment: { RECORD_FILE: recordFile },
        },
      ],
    });
    sqs = new SQSClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
  });

  afterAll(async () => {
    sqs?.destroy();
    await endpoint?.close();
    await moto?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  beforeEach(async () => {
    // A queue of its own per test, and no event recorded yet.
    queues += 1;
    queueUrl =
      (await sqs.send(new CreateQueueCommand({ QueueName: `sender-failures-${queues}` }))).QueueUrl ?? '';
    rmSync(recordFile, { force: true });
  });

  /** Runs the command as `npm run` does, without blocking this process (which serves the Lambda endpoint). */
  function replay(args: readonly string[]): Promise<CliRun> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'cli/replay-sender-failures.ts', '--queue-url', queueUrl, ...args],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            ...motoCredentialsEnv,
            AWS_ENDPOINT_URL_LAMBDA: endpoint.url,
            FORCE_COLOR: '0',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: 60_000,
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  }

  async function send(...bodies: readonly unknown[]): Promise<void> {
    for (const body of bodies) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      );
    }
  }

  /** The messages visible now (a receive hides them again for 30 s, enough for one assertion). */
  async function visibleBodies(): Promise<unknown[]> {
    const bodies: unknown[] = [];
    for (let round = 0; round < 10; round += 1) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          VisibilityTimeout: 30,
        }),
      );
      if (Messages.length === 0) break;
      bodies.push(...Messages.map((message) => JSON.parse(message.Body ?? 'null') as unknown));
    }
    return bodies;
  }

  async function messageCount(): Promise<number> {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  }

  function recordedEvents(): unknown[] {
    if (!existsSync(recordFile)) return [];
    return readFileSync(recordFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as unknown);
  }

  /** The events the function received, once `count` have arrived (an asynchronous invoke runs after 202). */
  async function eventsOnceArrived(count: number): Promise<unknown[]> {
    const until = Date.now() + 15_000;
    while (recordedEvents().length < count && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return recordedEvents();
  }

  function leaksSecret(run: CliRun): boolean {
    const text = run.stdout + run.stderr;
    return [SECRET_CODE, alice, bob].some((secret) => text.includes(secret));
  }

  it('re-invokes each record with the event as Cognito sent it, asynchronously, and deletes it', async () => {
    // Prepare
    const events = [emailEvent(alice), emailEvent(bob)];
    await send(failureRecord(events[0] ?? {}, 'request-1'), failureRecord(events[1] ?? {}, 'request-2'));

    // Act
    const run = await replay(['--function', FUNCTION]);

    // Assess
    const received = await eventsOnceArrived(2);
    expect({
      status: run.status,
      ok: run.stdout.split('\n').filter((line) => line.startsWith('OK ')).length,
      last: run.stdout.trim().split('\n').at(-1),
      received: new Set(received.map((event) => JSON.stringify(event))),
      left: await messageCount(),
      leaks: leaksSecret(run),
    }).toEqual({
      status: 0,
      ok: 2,
      last: '2 replayed, 0 kept',
      received: new Set(events.map((event) => JSON.stringify(event))),
      left: 0,
      leaks: false,
    });
  });

  it('accepts the function ARN for --function, its Region the clients', async () => {
    // Prepare
    await send(failureRecord(emailEvent(alice), 'request-arn'));

    // Act
    const run = await replay(['--function', FUNCTION_ARN]);

    // Assess
    expect({
      status: run.status,
      received: (await eventsOnceArrived(1)).length,
      left: await messageCount(),
    }).toEqual({ status: 0, received: 1, left: 0 });
  });

  it('keeps a message that is not a record, reports it without its secrets, and makes it visible again', async () => {
    // Prepare: a record whose context is gone, with the code and the address in its payload
    const notRecord = { requestPayload: emailEvent(bob), note: 'no requestContext' };
    await send(notRecord, failureRecord(emailEvent(alice), 'request-ok'));

    // Act
    const run = await replay(['--function', FUNCTION]);

    // Assess
    const kept = run.stdout.split('\n').filter((line) => line.startsWith('KEPT'));
    expect({
      status: run.status,
      kept,
      last: run.stdout.trim().split('\n').at(-1),
      received: (await eventsOnceArrived(1)).length,
      visible: await visibleBodies(),
      leaks: leaksSecret(run),
    }).toEqual({
      status: 1,
      kept: [
        expect.stringMatching(
          /^KEPT {4}\S+: SenderFailureRecordError: Not a Lambda failure record of a custom sender: version must be a string, found absent$/,
        ),
      ],
      last: '1 replayed, 1 kept',
      received: 1,
      visible: [notRecord],
      leaks: false,
    });
  });

  it('keeps a record of another function, naming the function to replay it with', async () => {
    // Prepare
    const otherArn = `arn:aws:lambda:us-east-1:${MOTO_ACCOUNT_ID}:function:sign-up-CustomSmsSenderFunction`;
    const record = failureRecord(emailEvent(alice), 'request-other', otherArn);
    await send(record);

    // Act
    const run = await replay(['--function', FUNCTION]);

    // Assess
    expect({
      status: run.status,
      kept: run.stdout.includes('recorded for function sign-up-CustomSmsSenderFunction, not'),
      received: recordedEvents().length,
      visible: await visibleBodies(),
    }).toEqual({ status: 1, kept: true, received: 0, visible: [record] });
  });

  it('keeps a record whose invoke Lambda refuses (no such function), visible again', async () => {
    // Prepare
    const record = failureRecord(
      emailEvent(alice),
      'request-missing',
      `arn:aws:lambda:us-east-1:${MOTO_ACCOUNT_ID}:function:NoSuchFunction`,
    );
    await send(record);

    // Act
    const run = await replay(['--function', 'NoSuchFunction']);

    // Assess
    expect({
      status: run.status,
      refused: /^KEPT .*Invoke failed; caused by ResourceNotFoundException/m.test(run.stdout),
      visible: await visibleBodies(),
      leaks: leaksSecret(run),
    }).toEqual({ status: 1, refused: true, visible: [record], leaks: false });
  });

  it('lists in a dry run what it would replay, masked, and invokes, deletes and hides nothing', async () => {
    // Prepare
    const records = [
      failureRecord(emailEvent(alice), 'request-a'),
      failureRecord(emailEvent(bob), 'request-b'),
    ];
    await send(...records);

    // Act
    const run = await replay(['--function', FUNCTION, '--dry-run']);

    // Assess
    await new Promise((resolve) => setTimeout(resolve, 500));
    const would = run.stdout.split('\n').filter((line) => line.startsWith('WOULD'));
    expect({
      status: run.status,
      would,
      last: run.stdout.trim().split('\n').at(-1),
      received: recordedEvents().length,
      visible: new Set((await visibleBodies()).map((body) => JSON.stringify(body))),
      leaks: leaksSecret(run),
    }).toEqual({
      status: 0,
      would: expect.arrayContaining([
        expect.stringMatching(
          /^WOULD {3}\S+ CustomEmailSender_SignUp pool=us-east-1_EXAMPLE user=a\*\*\*@example\.com to=a\*\*\*@example\.com request=request-a condition=RetriesExhausted attempts=3 failed=\d{4}-\d\d-\d\dT[\d:.]+Z$/,
        ),
        expect.stringMatching(/ user=b\*\*\*@example\.org .*request=request-b /),
      ]),
      last: '2 to replay, 0 kept (dry run: nothing invoked, nothing deleted)',
      received: 0,
      visible: new Set(records.map((record) => JSON.stringify(record))),
      leaks: false,
    });
  });

  it('keeps a record whose code can no longer be used as stale, by its source (a day for a sign-up code, an hour for a reset code, the longest sign-in session, 15m, for a sign-in code), invoking nothing, visible again', async () => {
    // Prepare: docs/custom-senders-events.md "Sources" (DG-VER, DG-REC, BOTO); each stale one just past its window
    const record = (source: Parameters<typeof emailEvent>[1], user: string, id: string, minutes: number) =>
      failureRecord(emailEvent(user, source), id, undefined, minutesAgo(minutes));
    const stale = [
      record('CustomEmailSender_SignUp', alice, 'sign-up-old', 2 * 24 * 60),
      record('CustomEmailSender_ForgotPassword', alice, 'reset-old', 61),
      record('CustomEmailSender_Authentication', alice, 'sign-in-old', 16),
    ];
    await send(
      ...stale,
      record('CustomEmailSender_SignUp', bob, 'sign-up-new', 5),
      record('CustomEmailSender_ForgotPassword', bob, 'reset-new', 50),
    );

    // Act
    const run = await replay(['--function', FUNCTION]);

    // Assess
    const received = await eventsOnceArrived(2);
    const hint = '\\(a longer --max-age replays it, --discard-stale deletes it\\)$';
    expect({
      status: run.status,
      kept: run.stdout.split('\n').filter((line) => line.startsWith('KEPT')),
      last: run.stdout.trim().split('\n').at(-1),
      received: received.map((event) => (event as { userName?: string }).userName),
      visible: new Set(await visibleBodies()),
      leaks: leaksSecret(run),
    }).toEqual({
      status: 1,
      kept: expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            ` request=sign-up-old .*: stale: failed 2d ago, more than the 24h its code is usable for ${hint}`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            ` request=reset-old .*: stale: failed 61m ago, more than the 1h its code is usable for ${hint}`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            ` request=sign-in-old .*: stale: failed 16m ago, more than the 15m its code is usable for ${hint}`,
          ),
        ),
      ]),
      last: '2 replayed, 3 kept',
      received: [bob, bob],
      visible: new Set(stale),
      leaks: false,
    });
  });

  it("counts the event's age in an EventAgeExceeded record: Lambda dropped it 6h after Cognito made its code (--max-event-age)", async () => {
    // Prepare: both failed 5 minutes ago, so their events are 6h05m old; a reset code lasts an hour
    const dropped = (source: Parameters<typeof emailEvent>[1], id: string) =>
      failureRecord(emailEvent(alice, source), id, undefined, minutesAgo(5), 'EventAgeExceeded');
    const reset = dropped('CustomEmailSender_ForgotPassword', 'reset-dropped');
    await send(reset, dropped('CustomEmailSender_SignUp', 'sign-up-dropped'));

    // Act
    const run = await replay(['--function', FUNCTION]);
    const received = await eventsOnceArrived(1);
    // Where the function's own maximum event age is 30m, the same reset record is still in its hour.
    const shorter = await replay(['--function', FUNCTION, '--max-event-age', '30m']);

    // Assess
    expect({
      kept: run.stdout.split('\n').filter((line) => line.startsWith('KEPT')),
      last: run.stdout.trim().split('\n').at(-1),
      received: received.map((event) => (event as { triggerSource?: string }).triggerSource),
      shorter: shorter.stdout.trim().split('\n').at(-1),
    }).toEqual({
      kept: [
        expect.stringMatching(
          / request=reset-dropped .*: stale: failed 5m ago, its event 6h before that, more than the 1h its code is usable for /,
        ),
      ],
      last: '1 replayed, 1 kept',
      received: ['CustomEmailSender_SignUp'],
      shorter: '1 replayed, 0 kept',
    });
  });

  it('replays a record older than its source allows when --max-age says so, whatever the source', async () => {
    // Prepare: a password-reset code failed 3 hours ago (its own window is an hour)
    await send(
      failureRecord(
        emailEvent(alice, 'CustomEmailSender_ForgotPassword'),
        'request-old',
        undefined,
        minutesAgo(3 * 60),
      ),
    );

    // Act
    const run = await replay(['--function', FUNCTION, '--max-age', '4h']);

    // Assess
    expect({
      status: run.status,
      last: run.stdout.trim().split('\n').at(-1),
      received: (await eventsOnceArrived(1)).length,
      left: await messageCount(),
    }).toEqual({ status: 0, last: '1 replayed, 0 kept', received: 1, left: 0 });
  });

  it('deletes stale records under --discard-stale, and only lists them in a dry run', async () => {
    // Prepare
    await send(failureRecord(emailEvent(alice), 'request-old', undefined, minutesAgo(90)));

    // Act
    const dry = await replay(['--function', FUNCTION, '--max-age', '1h', '--discard-stale', '--dry-run']);
    const afterDry = await messageCount();
    // The dry run made it visible again at once, so the real run receives it.
    const real = await replay(['--function', FUNCTION, '--max-age', '1h', '--discard-stale']);
    // An asynchronous invoke runs after Lambda's 202: give one the time to arrive before counting none.
    await new Promise((resolve) => setTimeout(resolve, 500));

    // Assess
    expect({
      dry: { status: dry.status, last: dry.stdout.trim().split('\n').at(-1), left: afterDry },
      real: {
        status: real.status,
        dropped: real.stdout.split('\n').filter((line) => line.startsWith('DROPPED')).length,
        last: real.stdout.trim().split('\n').at(-1),
      },
      received: recordedEvents().length,
      left: await messageCount(),
    }).toEqual({
      dry: {
        status: 0,
        last: '0 to replay, 0 kept, 1 to discard (dry run: nothing invoked, nothing deleted)',
        left: 1,
      },
      real: { status: 0, dropped: 1, last: '0 replayed, 0 kept, 1 discarded' },
      received: 0,
      left: 0,
    });
  });

  it('keeps a record whose timestamp is not a zoned time, or is in the future: its age cannot be told', async () => {
    // Prepare
    // One in words, one an hour ahead of this clock, one without a zone (read as local time otherwise).
    for (const timestamp of ['yesterday', minutesAgo(-60), minutesAgo(5).replace('Z', '')]) {
      await send(failureRecord(emailEvent(alice), 'request-undated', undefined, timestamp));
    }

    // Act
    const run = await replay(['--function', FUNCTION]);

    // Assess
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect({
      status: run.status,
      kept: run.stdout.split('\n').filter((line) => line.startsWith('KEPT')),
      received: recordedEvents().length,
    }).toEqual({
      status: 1,
      // A standard queue keeps no order.
      kept: expect.toSatisfy(
        (lines: string[]) =>
          lines.length === 3 &&
          lines.filter((line) => line.includes(': timestamp is not an ISO 8601 time with a zone: '))
            .length === 2 &&
          lines.filter((line) => line.includes(': timestamp is in the future: ')).length === 1,
      ),
      received: 0,
    });
  });

  it('says so when the queue is empty, and exits 0', async () => {
    // Prepare
    const args = ['--function', FUNCTION];

    // Act
    const run = await replay(args);

    // Assess
    expect({ status: run.status, stdout: run.stdout }).toEqual({
      status: 0,
      stdout: 'No messages to replay.\n0 replayed, 0 kept\n',
    });
  });
});
