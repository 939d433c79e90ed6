import { request as httpRequest, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import { CognitoIdentityProviderClient, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FrontServer,
  MAX_REQUEST_BODY_BYTES,
  operationOf,
  REQUEST_TOO_LARGE_TYPE,
  startFrontServer,
} from '../../../../local/cognito-local/front-server.js';
import { type CognitoRequestContext, cognitoRequestContext } from '../../../../local/request-context.js';
import { rejectionOf } from '../../../support/outcomes.js';

/** Posts `body` to the front server as an SDK's SignUp call would. */
function call(url: string, body: string) {
  return fetch(url, {
    method: 'POST',
    body,
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.SignUp',
      'User-Agent': 'aws-sdk-js/3.1169.0 ua/2.1',
    },
  });
}

describe('Cognito-local: operationOf', () => {
  it.each([
    ['AWSCognitoIdentityProviderService.SignUp', 'SignUp'],
    ['SignUp', 'SignUp'],
    ['', ''],
  ])('reads %j as %j', (target, operation) => {
    // Prepare
    const header = target;

    // Act
    const found = operationOf(header);

    // Assess
    expect(found).toBe(operation);
  });
});

describe('Cognito-local: startFrontServer', () => {
  let front: FrontServer | undefined;
  afterEach(async () => {
    await front?.close();
    front = undefined;
  });

  it('answers 503 until cognito-local is served', async () => {
    // Prepare
    front = await startFrontServer({ host: '127.0.0.1', port: 0 });

    // Act
    const response = await call(front.url, '{}');

    // Assess
    expect(response.status).toBe(503);
  });

  it('hands cognito-local the parsed body inside the request context of the call', async () => {
    // Prepare
    front = await startFrontServer({ host: '127.0.0.1', port: 0 });
    let seen: CognitoRequestContext | undefined;
    front.serve((_request, response) => {
      seen = cognitoRequestContext.getStore();
      response.end('{}');
    });

    // Act
    await call(front.url, JSON.stringify({ ValidationData: [{ Name: 'invite', Value: 'v1' }] }));

    // Assess
    expect(seen).toEqual({
      operation: 'SignUp',
      body: { ValidationData: [{ Name: 'invite', Value: 'v1' }] },
      userAgent: 'aws-sdk-js/3.1169.0 ua/2.1',
    });
  });

  it('answers a body that is not JSON with SerializationException', async () => {
    // Prepare
    front = await startFrontServer({ host: '127.0.0.1', port: 0 });
    front.serve((_request, response) => response.end('{}'));

    // Act
    const response = await call(front.url, '{not json');
    const body = await response.json();

    // Assess
    expect(response.status).toBe(400);
    expect(body).toMatchObject({ __type: 'SerializationException' });
  });
});

// The chunk the streaming tests send, allocated once, before any memory is measured: 64 MiB.
const CHUNK_BYTES = 64 * 1024 * 1024;
let bigChunk: Buffer | undefined;

/** Two 64 MiB chunks (the same buffer twice): a 128 MiB body. */
function body128MiB(): Buffer[] {
  bigChunk ??= Buffer.alloc(CHUNK_BYTES, 'a');
  return [bigChunk, bigChunk];
}

/** What happened to a body streamed to the front server. */
type Upload = {
  status: number | undefined;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** Bytes the client had handed to the connection (headers included) when the answer arrived. */
  sentBeforeAnswer: number;
  /** The body's full size. */
  total: number;
  /** Growth of the process's Buffer memory from before the upload to the answer. */
  bufferGrowth: number;
  /** Whether the connection closed while the client still had body left to send. */
  closedMidUpload: boolean;
};

/**
 * Streams `pieces` one after the other (waiting for the socket to drain) to `url`, with
 * `Transfer-Encoding: chunked`, or with a `Content-Length` of their total when `declared`. Resolves once the
 * connection is closed and the answer, if any, read.
 */
function upload(url: string, pieces: readonly Buffer[], declared: boolean): Promise<Upload> {
  const total = pieces.reduce((sum, piece) => sum + piece.length, 0);
  const before = process.memoryUsage().arrayBuffers;
  const result: Upload = {
    status: undefined,
    headers: {},
    body: undefined,
    sentBeforeAnswer: 0,
    total,
    bufferGrowth: 0,
    closedMidUpload: false,
  };
  return new Promise((resolve) => {
    // A connection of its own (no keep-alive agent), so its close is this upload's end.
    const request = httpRequest(url, {
      method: 'POST',
      agent: false,
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityProviderService.SignUp',
        ...(declared ? { 'Content-Length': String(total) } : {}),
      },
    });
    let sentAll = false;
    let closed = false;
    let answer: 'none' | 'reading' | 'read' = 'none';
    const settle = () => {
      if (closed && answer !== 'reading') resolve(result);
    };
    // EPIPE or ECONNRESET once the server has closed mid-upload: expected, the outcome is in `result`.
    request.on('error', () => undefined);
    request.on('response', (response) => {
      answer = 'reading';
      result.status = response.statusCode;
      result.headers = response.headers;
      result.sentBeforeAnswer = request.socket?.bytesWritten ?? 0;
      result.bufferGrowth = process.memoryUsage().arrayBuffers - before;
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('error', () => undefined);
      response.on('close', () => {
        const text = Buffer.concat(parts).toString('utf8');
        result.body = text === '' ? undefined : JSON.parse(text);
        answer = 'read';
        settle();
      });
    });
    request.on('close', () => {
      closed = true;
      result.closedMidUpload = !sentAll;
      settle();
    });
    async function send(): Promise<void> {
      for (const piece of pieces) {
        if (request.destroyed) return;
        if (!request.write(piece)) {
          await new Promise<void>((drained) => {
            request.once('drain', drained);
            request.once('close', drained);
          });
        }
      }
      if (request.destroyed) return;
      sentAll = true;
      request.end();
    }
    void send();
  });
}

// A SignUp body with an empty ClientMetadata value to pad.
const BARE_SIGN_UP = JSON.stringify({ ClientId: 'c', Username: 'u', ClientMetadata: { pad: '' } });

/** A SignUp JSON body of exactly `bytes` bytes (its ClientMetadata padded). */
function signUpBodyOf(bytes: number): string {
  const pad = 'x'.repeat(bytes - BARE_SIGN_UP.length);
  return JSON.stringify({ ClientId: 'c', Username: 'u', ClientMetadata: { pad } });
}

/** Stands for cognito-local: records the request context of each call and answers as a SignUp does. */
function recordingApp(seen: CognitoRequestContext[] = []): RequestListener {
  return (_request, response) => {
    const context = cognitoRequestContext.getStore();
    if (context !== undefined) seen.push(context);
    response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' });
    response.end(JSON.stringify({ UserConfirmed: false, UserSub: '0f2a8e7c-1111-4222-8333-444455556666' }));
  };
}

/** An SDK v3 client pointed at the front server, with one attempt and fake credentials. */
function sdkClient(url: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret-for-tests' },
    maxAttempts: 1,
  });
}

describe('Cognito-local: startFrontServer (body cap)', () => {
  let front: FrontServer | undefined;
  afterEach(async () => {
    await front?.close();
    front = undefined;
  });

  it('lets the largest legitimate SignUp through: 70 attributes and 70 ValidationData entries at worst-case escaping, and ClientMetadata', async () => {
    // Prepare
    front = await startFrontServer({ host: '127.0.0.1', port: 0 });
    const seen: CognitoRequestContext[] = [];
    front.serve(recordingApp(seen));
    // Names of 32 characters, values of 2,048 (contract §5), each a control character JSON spells in 6 bytes.
    const attributes = Array.from({ length: 70 }, (_, index) => ({
      Name: `custom:${String(index).padStart(25, '0')}`,
      Value: '\u0001'.repeat(2048),
    }));
    const command = new SignUpCommand({
      ClientId: '1example23456789abcdefghij',
      Username: 'jane.doe@example.com',
      Password: 'Correct-horse-9',
      UserAttributes: attributes,
      ValidationData: attributes,
      ClientMetadata: Object.fromEntries(
        Array.from({ length: 8 }, (_, index) => [`key${index}`, 'm'.repeat(131_072)]),
      ),
    });

    // Act
    const output = await sdkClient(front.url).send(command);

    // Assess
    const received = seen[0]?.body.UserAttributes as unknown[] | undefined;
    expect({ sub: output.UserSub, attributes: received?.length }).toEqual({
      sub: '0f2a8e7c-1111-4222-8333-444455556666',
      attributes: 70,
    });
  });

  it('hands cognito-local a body of exactly the cap, declared with Content-Length', async () => {
    // Prepare
    front = await startFrontServer({ host: '127.0.0.1', port: 0 });
    const seen: CognitoRequestContext[] = [];
    front.serve(recordingApp(seen));

    // Act
    const response = await call(front.url, signUpBodyOf(MAX_REQUEST_BODY_BYTES));

    // Assess
    const metadata = seen[0]?.body.ClientMetadata as { pad: string } | undefined;
    expect({ status: response.status, padded: metadata?.pad.length }).toEqual({
      status: 200,
      padded: MAX_REQUEST_BODY_BYTES - BARE_SIGN_UP.length,
    });
  });

  it('hands cognito-local a chunked body just under the cap', async () => {
    // Prepare
    front = await startFrontServer({ host: '127.0.0.1', port: 0 });
    const seen: CognitoRequestContext[] = [];
    front.serve(recordingApp(seen));
    const text = Buffer.from(signUpBodyOf(MAX_REQUEST_BODY_BYTES - 1));

    // Act
    const result = await upload(front.url, [text.subarray(0, 1_000_000), text.subarray(1_000_000)], false);

    // Assess
    expect({ status: result.status, operations: seen.map((context) => context.operation) }).toEqual({
      status: 200,
      operations: ['SignUp'],
    });
  });

  it("answers a body one byte over the cap with 413 RequestEntityTooLargeException in Cognito's error shape", async () => {
    // Prepare
    front = await startFrontServer({ host: '127.0.0.1', port: 0 });
    const seen: CognitoRequestContext[] = [];
    front.serve(recordingApp(seen));
    const body = Buffer.from(signUpBodyOf(MAX_REQUEST_BODY_BYTES + 1));

    // Act
    const result = await upload(front.url, [body], true);

    // Assess
    expect(result).toMatchObject({
      status: 413,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-errortype': `${REQUEST_TOO_LARGE_TYPE}:`,
      },
      body: {
        __type: REQUEST_TOO_LARGE_TYPE,
        message: `Request body must be at most ${MAX_REQUEST_BODY_BYTES} bytes`,
      },
    });
    expect(seen).toEqual([]);
  });

  it('shows an AWS SDK v3 client a named, readable error for a SignUp over the cap', async () => {
    // Prepare
    front = await startFrontServer({ host: '127.0.0.1', port: 0 });
    front.serve(recordingApp());
    const command = new SignUpCommand({
      ClientId: '1example23456789abcdefghij',
      Username: 'jane.doe@example.com',
      Password: 'Correct-horse-9',
      ClientMetadata: { pad: 'x'.repeat(MAX_REQUEST_BODY_BYTES) },
    });

    // Act
    const error = await rejectionOf(sdkClient(front.url).send(command));

    // Assess
    expect(error).toMatchObject({
      name: REQUEST_TOO_LARGE_TYPE,
      message: `Request body must be at most ${MAX_REQUEST_BODY_BYTES} bytes`,
      $fault: 'client',
      $metadata: { httpStatusCode: 413 },
    });
  });

  it.each([
    ['chunked, without Content-Length', false],
    ['with a declared Content-Length', true],
  ])(
    'answers 413 to a 128 MiB body streamed %s before the client has sent it all',
    async (_label, declared) => {
      // Prepare
      front = await startFrontServer({ host: '127.0.0.1', port: 0 });
      front.serve(recordingApp());

      // Act
      const result = await upload(front.url, body128MiB(), declared);

      // Assess
      expect({ status: result.status, sentItAll: result.sentBeforeAnswer >= result.total }).toEqual({
        status: 413,
        sentItAll: false,
      });
    },
  );

  it('does not grow the process memory by the size of a chunked body streamed past the cap', async () => {
    // Prepare
    front = await startFrontServer({ host: '127.0.0.1', port: 0 });
    front.serve(recordingApp());
    const pieces = body128MiB();

    // Act
    const result = await upload(front.url, pieces, false);

    // Assess
    // What is kept is at most the cap (8 MiB) and the socket's buffers, far below the 128 MiB sent.
    expect(result.bufferGrowth).toBeLessThan(result.total / 4);
    expect(result.status).toBe(413);
  });

  it('closes the connection after answering, so a client still sending is not left hanging', async () => {
    // Prepare
    front = await startFrontServer({ host: '127.0.0.1', port: 0 });
    front.serve(recordingApp());

    // Act
    const result = await upload(front.url, body128MiB(), false);

    // Assess
    expect({ status: result.status, closedMidUpload: result.closedMidUpload }).toEqual({
      status: 413,
      closedMidUpload: true,
    });
  });
});
