/**
 * A local Lambda Invoke API (`POST /2015-03-31/functions/{FunctionName}/invocations`) serving the trigger
 * functions of `template.yaml` from their built bundles, so any Lambda client (cognito-local, the AWS CLI's
 * `aws lambda invoke --endpoint-url`, an SDK) can call them:
 * - each function runs its bundle with its template environment, on warm instances that restart cold after a
 *   rebuild (local/function-instances.ts);
 * - the function's `Timeout` is enforced: past it the instance is stopped and the answer is Lambda's
 *   `Sandbox.Timedout` error;
 * - errors come back the way Lambda returns them: HTTP 200 with `X-Amz-Function-Error: Unhandled` and a
 *   `{ errorType, errorMessage }` body; API errors (unknown function, a body that is not JSON) as HTTP 4xx
 *   with `x-amzn-ErrorType`.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_ACCOUNT_ID } from './function-environment.js';
import { type FunctionInstances, functionInstances, type InstanceInvocation } from './function-instances.js';

/** One function the endpoint serves. */
export type EndpointFunction = {
  /** The function name callers use: the template's logical id (`PreSignUpFunction`). */
  name: string;
  bundlePath: string;
  exportName: string;
  memoryMb: number;
  /** The function's `Timeout`, in seconds. */
  timeoutSeconds: number;
  environment: Record<string, string>;
};

/** What the endpoint reports after each invocation (the live line, the recorder). */
export type InvocationReport = {
  functionName: string;
  requestId: string;
  /** The event as received (parsed JSON). */
  event: unknown;
  result: InstanceInvocation;
};

/** Options of {@link startLambdaEndpoint}. */
export type LambdaEndpointOptions = {
  functions: readonly EndpointFunction[];
  /** Default 0: a free port the OS picks. */
  port?: number;
  /** Default `127.0.0.1`: the endpoint runs code on request, so it stays on loopback. */
  host?: string;
  region?: string;
  onInvocation?: (report: InvocationReport) => void;
};

/** A running endpoint. */
export type LambdaEndpoint = {
  /** `http://127.0.0.1:<port>`, for a Lambda client's `endpoint`. */
  url: string;
  /** Live instances per function (for tests and the status line). */
  instanceCount(functionName: string): number;
  /** Stops listening and stops every function instance. */
  close(): Promise<void>;
};

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
// Lambda's synchronous payload limit: 6 MB for the request (and the response).
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
// X-Amz-Log-Result carries the last 4 KB of the log.
const LOG_TAIL_BYTES = 4096;

const defaults = { port: 0, host: '127.0.0.1', region: 'us-east-1' };

/** `arn:aws:lambda:us-east-1:123456789012:function:Name:$LATEST`, `123456789012:function:Name` or `Name`. */
function functionNameOf(raw: string): string {
  const name = decodeURIComponent(raw);
  const match = /^(?:arn:[^:]+:lambda:[^:]*:)?(?:\d{12}:)?function:([^:]+)(?::[^:]+)?$/.exec(name);
  return match?.[1] ?? name;
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

function sendApiError(response: ServerResponse, status: number, errorType: string, message: string): void {
  sendJson(response, status, { Type: 'User', message }, { 'x-amzn-ErrorType': errorType });
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The Lambda runtime's own lines around an invocation, for `X-Amz-Log-Type: Tail`. */
function logTailOf(requestId: string, result: InstanceInvocation): string {
  const lines = [
    `START RequestId: ${requestId} Version: $LATEST`,
    ...result.logs,
    `END RequestId: ${requestId}`,
    `REPORT RequestId: ${requestId}\tDuration: ${result.durationMs.toFixed(2)} ms`,
  ];
  const text = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  return text.subarray(Math.max(0, text.length - LOG_TAIL_BYTES)).toString('base64');
}

/** The payload Lambda answers with: the returned value, or its error object. */
function payloadOf(
  result: InstanceInvocation,
  requestId: string,
  timeoutSeconds: number,
): { body: unknown; functionError: boolean } {
  if (result.kind === 'returned') return { body: result.value, functionError: false };
  if (result.kind === 'threw') {
    return { body: { errorType: result.errorType, errorMessage: result.errorMessage }, functionError: true };
  }
  return {
    body: {
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
    },
    functionError: true,
  };
}

/**
 * Starts the Invoke API on loopback.
 *
 * @example
 * const endpoint = await startLambdaEndpoint({ functions, onInvocation: (report) => print(report) });
 * // aws lambda invoke --endpoint-url ${endpoint.url} --function-name PreSignUpFunction --payload file://event.json out.json
 */
export async function startLambdaEndpoint(options: LambdaEndpointOptions): Promise<LambdaEndpoint> {
  const settings = { ...defaults, ...options };
  const functions = new Map<string, { spec: EndpointFunction; instances: FunctionInstances }>();
  for (const spec of settings.functions) {
    if (!Number.isFinite(spec.timeoutSeconds) || spec.timeoutSeconds <= 0) {
      throw new TypeError(`${spec.name}: timeoutSeconds must be a positive number`);
    }
    functions.set(spec.name, {
      spec,
      instances: functionInstances({
        logicalId: spec.name,
        bundlePath: spec.bundlePath,
        exportName: spec.exportName,
        memoryMb: spec.memoryMb,
        environment: spec.environment,
      }),
    });
  }

  async function invoke(request: IncomingMessage, response: ServerResponse, rawName: string): Promise<void> {
    const name = functionNameOf(rawName);
    const entry = functions.get(name);
    if (entry === undefined) {
      sendApiError(
        response,
        404,
        'ResourceNotFoundException',
        `Function not found: arn:aws:lambda:${settings.region}:${LOCAL_ACCOUNT_ID}:function:${name}`,
      );
      return;
    }
    const body = await readBody(request);
    if (body === undefined) {
      sendApiError(response, 413, 'RequestTooLargeException', 'Request must be smaller than 6291456 bytes');
      return;
    }
    let event: unknown = {};
    if (body.length > 0) {
      try {
        event = JSON.parse(body.toString('utf8'));
      } catch (error) {
        sendApiError(
          response,
          400,
          'InvalidRequestContentException',
          `Could not parse request body into json: ${(error as Error).message}`,
        );
        return;
      }
    }
    const invocationType = String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    if (invocationType === 'DryRun') {
      response.writeHead(204).end();
      return;
    }
    const requestId = randomUUID();
    const run = entry.instances.invoke(event, entry.spec.timeoutSeconds * 1000).then((result) => {
      settings.onInvocation?.({ functionName: name, requestId, event, result });
      return result;
    });
    if (invocationType === 'Event') {
      // Asynchronous invocation: accepted now, run in the background.
      response.writeHead(202, { 'x-amzn-RequestId': requestId }).end();
      await run;
      return;
    }
    const result = await run;
    const { body: payload, functionError } = payloadOf(result, requestId, entry.spec.timeoutSeconds);
    // The caller may have stopped waiting (Cognito gives up after 5 s); the function ran to the end anyway.
    if (response.destroyed) return;
    sendJson(response, 200, payload, {
      'x-amzn-RequestId': requestId,
      'X-Amz-Executed-Version': '$LATEST',
      ...(functionError ? { 'X-Amz-Function-Error': 'Unhandled' } : {}),
      ...(request.headers['x-amz-log-type'] === 'Tail'
        ? { 'X-Amz-Log-Result': logTailOf(requestId, result) }
        : {}),
    });
  }

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const match = INVOKE_PATH.exec(path);
    if (request.method !== 'POST' || match === null) {
      sendApiError(response, 404, 'UnknownOperationException', `Unknown operation ${request.method} ${path}`);
      return;
    }
    invoke(request, response, match[1] ?? '').catch((error: unknown) => {
      if (!response.headersSent) {
        sendApiError(response, 500, 'ServiceException', error instanceof Error ? error.message : 'failed');
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${settings.host}:${port}`,
    instanceCount: (name) => functions.get(name)?.instances.size() ?? 0,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...functions.values()].map((entry) => entry.instances.close()));
    },
  };
}
