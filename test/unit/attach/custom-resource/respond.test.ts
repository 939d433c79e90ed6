import { Socket } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type CustomResourceResponse,
  deliverResponse,
  ResponseDeliveryError,
  responseDocument,
} from '../../../../attach/custom-resource/respond.js';
import {
  type ResponseServer,
  type ScriptedAnswer,
  startResponseServer,
} from '../../../support/cfn-response-server.js';
import { unusedLoopbackUrl } from '../../../support/loopback.js';
import { PRESIGNED_QUERY, REQUEST_ID, RESPONSE_PATH, STACK_ID } from './requests.js';

const TARGET = {
  responseUrl: 'https://example.com/unused',
  stackId: STACK_ID,
  requestId: REQUEST_ID,
  logicalResourceId: 'TriggerAttachment',
};

const ANSWER = {
  Status: 'SUCCESS',
  Reason: 'Attached to us-east-1_AbC123: 3 slot(s) changed; replaced: none',
  PhysicalResourceId: 'cognito-sign-up-triggers|us-east-1_AbC123',
  Data: { UserPoolId: 'us-east-1_AbC123', ReplacedTriggers: 'none' },
} as const;

/**
 * Characters that cost more than a byte in the JSON document: multi-byte ones, one outside the BMP (which a
 * cut can split into a lone surrogate), lone surrogates, and those JSON escapes.
 */
const costlyCharacter = fc.constantFrom(
  'a',
  ' ',
  'é',
  '€',
  '😀',
  '"',
  '\\',
  '\n',
  '\u0000',
  '\u001b',
  '\u2028',
  '\ud800',
  '\udfff',
);

/** Small limits, so that a failing delivery fails in well under a second. */
const QUICK = { attempts: 3, attemptTimeoutMs: 100, backoffMs: 10 };

/** The rejection of `promise`, or `undefined` when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('Custom resource: responseDocument', () => {
  it('answers with the request’s StackId, RequestId and LogicalResourceId, and the Data for !GetAtt', () => {
    // Prepare
    const answer = { ...ANSWER };

    // Act
    const body = responseDocument(TARGET, answer);

    // Assess
    expect(JSON.parse(body)).toEqual({
      Status: 'SUCCESS',
      Reason: ANSWER.Reason,
      PhysicalResourceId: ANSWER.PhysicalResourceId,
      StackId: STACK_ID,
      RequestId: REQUEST_ID,
      LogicalResourceId: 'TriggerAttachment',
      Data: ANSWER.Data,
    });
  });

  it('sends no Data member when the answer has none', () => {
    // Prepare
    const { Data: _none, ...answer } = ANSWER;

    // Act
    const body = responseDocument(TARGET, { ...answer, Status: 'FAILED' });

    // Assess
    expect(Object.keys(JSON.parse(body))).not.toContain('Data');
  });

  it('keeps a document within 4 KB whole', () => {
    fc.assert(
      fc.property(fc.string({ unit: costlyCharacter, maxLength: 300 }), (reason) => {
        // Prepare
        const answer = { ...ANSWER, Reason: reason };

        // Act
        const body = responseDocument(TARGET, answer);

        // Assess
        expect((JSON.parse(body) as CustomResourceResponse).Reason).toBe(reason);
      }),
    );
  });

  it('cuts a huge Reason so that the document is valid JSON of at most 4096 bytes, the rest untouched', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: costlyCharacter, minLength: 1000, maxLength: 6000 }),
          fc.string({ minLength: 3000, maxLength: 6000 }),
          fc.constant('é'.repeat(4000)),
          fc.constant('😀'.repeat(2000)),
        ),
        (reason) => {
          // Prepare
          const answer = { ...ANSWER, Reason: reason };

          // Act
          const body = responseDocument(TARGET, answer);

          // Assess
          expect(Buffer.byteLength(body)).toBeLessThanOrEqual(4096);
          const document = JSON.parse(body) as CustomResourceResponse;
          if (document.Reason !== reason) {
            expect(document.Reason.endsWith(' [cut]')).toBe(true);
            expect(reason.startsWith(document.Reason.slice(0, -' [cut]'.length))).toBe(true);
          }
          expect({ ...document, Reason: '' }).toEqual({
            ...JSON.parse(responseDocument(TARGET, { ...answer, Reason: '' })),
            Reason: '',
          });
        },
      ),
    );
  });

  it('cuts a Reason of 10,000 characters', () => {
    // Prepare
    const answer = { ...ANSWER, Status: 'FAILED' as const, Reason: 'x'.repeat(10_000) };

    // Act
    const body = responseDocument(TARGET, answer);

    // Assess
    const document = JSON.parse(body) as CustomResourceResponse;
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(4096);
    expect(document.Reason).toMatch(/^x{3000,} \[cut\]$/);
  });
});

describe('Custom resource: deliverResponse', () => {
  let server: ResponseServer | undefined;

  afterEach(async () => {
    vi.restoreAllMocks();
    await server?.stop();
    server = undefined;
  });

  /** A response server answering with `script`, and its URL with CloudFormation's path and query. */
  async function serve(
    script: readonly ScriptedAnswer[] = [],
  ): Promise<{ url: string; server: ResponseServer }> {
    server = await startResponseServer(script);
    return { url: `${server.origin}${RESPONSE_PATH}?${PRESIGNED_QUERY}`, server };
  }

  it('PUTs exactly the document to the URL, with an empty content-type', async () => {
    // Prepare
    const { url, server } = await serve();
    const body = responseDocument(TARGET, ANSWER);

    // Act
    await deliverResponse(url, body, QUICK);

    // Assess
    expect(server.requests).toHaveLength(1);
    const [received] = server.requests;
    expect({
      method: received?.method,
      url: received?.url,
      body: received?.body,
      contentType: received?.headers['content-type'],
      contentLength: received?.headers['content-length'],
    }).toEqual({
      method: 'PUT',
      url: `${RESPONSE_PATH}?${PRESIGNED_QUERY}`,
      body,
      contentType: '',
      contentLength: String(Buffer.byteLength(body)),
    });
  });

  it('tries again after a 5xx, and is delivered', async () => {
    // Prepare
    const { url, server } = await serve([500, 503, 200]);

    // Act
    const delivery = deliverResponse(url, '{}', QUICK);

    // Assess
    await expect(delivery).resolves.toBeUndefined();
    expect(server.requests.map((request) => request.body)).toEqual(['{}', '{}', '{}']);
  });

  it.each([403, 400, 404])(
    'gives up at once on HTTP %i: an expired or altered URL cannot improve',
    async (status) => {
      // Prepare
      const { url, server } = await serve([status, 200]);

      // Act
      const error = await rejectionOf(deliverResponse(url, '{}', QUICK));

      // Assess
      expect(error).toBeInstanceOf(ResponseDeliveryError);
      expect((error as Error).message).toContain(`HTTP ${status}`);
      expect(server.requests).toHaveLength(1);
    },
  );

  it('fails after every attempt answered 5xx, saying how many and the last failure', async () => {
    // Prepare
    const { url, server } = await serve([500, 502, 503, 200]);

    // Act
    const error = await rejectionOf(deliverResponse(url, '{}', QUICK));

    // Assess
    expect(error).toBeInstanceOf(ResponseDeliveryError);
    expect((error as Error).message).toContain('3 attempts failed, the last with: HTTP 503');
    expect(server.requests).toHaveLength(3);
  });

  it('bounds each attempt: a server that never answers fails the delivery after every attempt timed out', async () => {
    // Prepare
    const { url, server } = await serve(['hang', 'hang', 'hang']);
    const started = Date.now();

    // Act
    const error = await rejectionOf(deliverResponse(url, '{}', QUICK));

    // Assess
    expect(error).toBeInstanceOf(ResponseDeliveryError);
    expect((error as Error).message).toContain('3 attempts failed, the last with: no answer within 100 ms');
    expect(server.requests).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('tries again after a timed-out attempt, and is delivered', async () => {
    // Prepare
    const { url, server } = await serve(['hang', 200]);

    // Act
    const delivery = deliverResponse(url, '{}', QUICK);

    // Assess
    await expect(delivery).resolves.toBeUndefined();
    expect(server.requests).toHaveLength(2);
  });

  it('tries again after a refused connection, and fails once every attempt was refused', async () => {
    // Prepare
    const url = await unusedLoopbackUrl(`${RESPONSE_PATH}?${PRESIGNED_QUERY}`);

    // Act
    const error = await rejectionOf(deliverResponse(url, '{}', QUICK));

    // Assess
    expect(error).toBeInstanceOf(ResponseDeliveryError);
    expect((error as Error).message).toContain('3 attempts failed, the last with: connect ECONNREFUSED');
  });

  it('bounds an attempt whose answer trickles in and never ends, as it bounds a silent one', async () => {
    // Prepare
    const { url } = await serve(['trickle', 'trickle']);
    const limit = new Promise<string>((resolve) =>
      setTimeout(() => resolve('still running after 800 ms'), 800),
    );

    // Act
    const outcome = await Promise.race([
      deliverResponse(url, '{}', { attempts: 2, attemptTimeoutMs: 100, backoffMs: 10 }).then(
        () => 'delivered',
        (error: unknown) => (error instanceof ResponseDeliveryError ? 'failed' : 'failed otherwise'),
      ),
      limit,
    ]);

    // Assess
    expect(outcome).toBe('failed');
  });

  it.each([
    ['plain http to another host', 'http://example.com/response'],
    ['plain http to a private address', 'http://10.0.0.7/response'],
    ['another scheme', 'ftp://127.0.0.1/response'],
    ['text that is not a URL', 'not a url'],
  ])('refuses %s without opening any connection', async (_case, target) => {
    // Prepare
    const connect = vi.spyOn(Socket.prototype, 'connect');
    const url = `${target}?${PRESIGNED_QUERY}`;

    // Act
    const error = await rejectionOf(deliverResponse(url, '{}', QUICK));

    // Assess
    expect(error).toBeInstanceOf(ResponseDeliveryError);
    expect(connect).not.toHaveBeenCalled();
  });

  it.each([
    ['an HTTP 403', [403]],
    ['three HTTP 500s', [500, 500, 500]],
    ['three silent attempts', ['hang', 'hang', 'hang']],
  ] satisfies [string, ScriptedAnswer[]][])(
    'never puts the URL in the message of %s',
    async (_case, script) => {
      // Prepare
      const { url } = await serve(script);

      // Act
      const error = await rejectionOf(deliverResponse(url, '{}', QUICK));

      // Assess
      expect(error).toBeInstanceOf(ResponseDeliveryError);
      expect((error as Error).message).not.toContain('X-Amz-');
      expect((error as Error).message).not.toContain(RESPONSE_PATH);
    },
  );

  it.each([
    ['a refused connection', async () => unusedLoopbackUrl(`${RESPONSE_PATH}?${PRESIGNED_QUERY}`)],
    ['plain http to another host', async () => `http://example.com${RESPONSE_PATH}?${PRESIGNED_QUERY}`],
    ['a URL that does not parse', async () => `https://exa mple.com${RESPONSE_PATH}?${PRESIGNED_QUERY}`],
  ])('never puts the URL in the message of %s', async (_case, urlOf) => {
    // Prepare
    const url = await urlOf();

    // Act
    const error = await rejectionOf(deliverResponse(url, '{}', QUICK));

    // Assess
    expect(error).toBeInstanceOf(ResponseDeliveryError);
    expect((error as Error).message).not.toContain('X-Amz-');
    expect((error as Error).message).not.toContain(RESPONSE_PATH);
  });
});
