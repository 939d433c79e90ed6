/**
 * A local Lambda Invoke API (`POST /2015-03-31/functions/{FunctionName}/invocations`) serving the trigger
 * functions of `template.yaml` from their built bundles, so any Lambda client (cognito-local, the AWS CLI's
 * `aws lambda invoke --endpoint-url`, an SDK) can call them:
 * - each function runs its bundle with its template environment, on warm instances that restart cold after a
 *   rebuild (local/function-instances.ts);
 * - the function's `Timeout` is enforced: past it the instance is stopped and the answer is Lambda's
 *   `Sandbox.Timedout` error;
 * - errors come back the way Lambda returns them: HTTP 200 with `X-Amz-Function-Error: Unhandled` and a
 *   `{ errorType, errorMessage, trace }` body (a response over 6 MB is `Function.ResponseSizeTooLarge`; a bundle
 *   that cannot load is `Runtime.ImportModuleError` or `Runtime.HandlerNotFound`; a process that ends during an
 *   invocation is `Runtime.ExitError`, harness/bundle-worker.cjs and harness/bundle-invoker.ts); API
 *   errors (unknown function, a version or alias other than `$LATEST`, a body that is not JSON) as HTTP 4xx
 *   with `x-amzn-ErrorType`;
 * - every invocation has its own UUID: the `x-amzn-RequestId` header, the function's `context.awsRequestId`,
 *   the `RequestId` of the log tail and of Lambda's own error messages.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { LocalService } from './errors.js';
import { LOCAL_ACCOUNT_ID } from './function-environment.js';
import { type FunctionInstances, functionInstances, type InstanceInvocation } from './function-instances.js';
import { listenOn } from './listen.js';
import { closeAfterAnswer, readBodyUpTo } from './request-body.js';

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
  /** Default 0: a free port the OS picks; a taken one fails with `PortInUseError`. */
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
// Lambda's synchronous payload limits: 6 MB for the request, and (as Lambda counts it) 6 MB + 100 bytes for
// the response.
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;
const MAX_RESPONSE_BYTES = 6_291_556;
// The only version that exists locally: the bundle in dist/.
const LATEST = '$LATEST';
// X-Amz-Log-Result carries the last 4 KB of the log.
const LOG_TAIL_BYTES = 4096;

const defaults = { port: 0, host: '127.0.0.1', region: 'us-east-1' };

/**
 * The function name and qualifier (version or alias) a caller asked for, from the path's `FunctionName`
 * (`arn:aws:lambda:us-east-1:123456789012:function:Name:$LATEST`, `123456789012:function:Name`, `Name:prod`
 * or `Name`) and the `Qualifier` query parameter.
 */
export function functionTargetOf(
  rawName: string,
  queryQualifier: string | null,
): { name: string; qualifier: string | undefined } {
  const text = decodeURIComponent(rawName);
  const match = /^(?:arn:[^:]+:lambda:[^:]*:)?(?:\d{12}:)?(?:function:)?([^:]+)(?::([^:]+))?$/.exec(text);
  const name = match?.[1] ?? text;
  const qualifier =
    match?.[2] ?? (queryQualifier === null || queryQualifier === '' ? undefined : queryQualifier);
  return { name, qualifier };
}

function sendJson(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

function sendApiError(response: ServerResponse, status: number, errorType: string, message: string): void {
  sendJson(response, status, JSON.stringify({ Type: 'User', message }), { 'x-amzn-ErrorType': errorType });
}

/** The Lambda runtime's own lines around an invocation, for `X-Amz-Log-Type: Tail`. */
function logTailOf(requestId: string, result: InstanceInvocation): string {
  // Lambda logs a runtime exit as two lines of its own: the error message, then the error type.
  const exited =
    result.kind === 'threw' && result.errorType === 'Runtime.ExitError'
      ? [result.errorMessage, result.errorType]
      : [];
  const lines = [
    `START RequestId: ${requestId} Version: $LATEST`,
    ...result.logs,
    ...exited,
    `END RequestId: ${requestId}`,
    `REPORT RequestId: ${requestId}\tDuration: ${result.durationMs.toFixed(2)} ms`,
  ];
  const text = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  return text.subarray(Math.max(0, text.length - LOG_TAIL_BYTES)).toString('base64');
}

/** What Lambda answers an invocation with: the payload text, and whether it is a function error. */
export type Answer = { text: string; functionError: boolean; result: InstanceInvocation };

/**
 * The `trace` of an unhandled error: the stack lines the runtime reports (the worker's, when it sends them),
 * else the stack's first lines, `<errorType>: <errorMessage>` split at line breaks as a stack is; Lambda's own
 * errors (`Runtime.ExitError`) carry none.
 */
function traceOf(result: InstanceInvocation & { kind: 'threw' }): string[] | undefined {
  if (result.errorType === 'Runtime.ExitError') return undefined;
  const reported: unknown = result.trace;
  if (Array.isArray(reported) && reported.every((line) => typeof line === 'string')) return reported;
  return `${result.errorType}: ${result.errorMessage}`.split('\n');
}

/**
 * The payload Lambda answers with: the returned value as JSON, or its error object. A returned value larger
 * than Lambda's response limit becomes `Function.ResponseSizeTooLarge`, and the result says so too.
 */
export function answerOf(result: InstanceInvocation, requestId: string, timeoutSeconds: number): Answer {
  if (result.kind === 'returned') {
    const text = JSON.stringify(result.value) ?? 'null';
    const size = Buffer.byteLength(text);
    if (size <= MAX_RESPONSE_BYTES) return { text, functionError: false, result };
    const tooLarge = {
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: `Response payload size (${size} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
    };
    return {
      text: JSON.stringify(tooLarge),
      functionError: true,
      result: { ...result, kind: 'threw', ...tooLarge },
    };
  }
  if (result.kind === 'threw') {
    const trace = traceOf(result);
    const body = {
      errorType: result.errorType,
      errorMessage: result.errorMessage,
      ...(trace === undefined ? {} : { trace }),
    };
    return { text: JSON.stringify(body), functionError: true, result };
  }
  const timedOut = {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
  };
  return { text: JSON.stringify(timedOut), functionError: true, result };
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

  async function invoke(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const rawName = INVOKE_PATH.exec(url.pathname)?.[1] ?? '';
    const { name, qualifier } = functionTargetOf(rawName, url.searchParams.get('Qualifier'));
    const entry = functions.get(name);
    // Only $LATEST exists locally: a version or an alias is a function Lambda cannot find.
    if (entry === undefined || (qualifier !== undefined && qualifier !== LATEST)) {
      const arn = `arn:aws:lambda:${settings.region}:${LOCAL_ACCOUNT_ID}:function:${name}`;
      sendApiError(
        response,
        404,
        'ResourceNotFoundException',
        `Function not found: ${qualifier === undefined ? arn : `${arn}:${qualifier}`}`,
      );
      return;
    }
    let body: Buffer | undefined;
    try {
      body = await readBodyUpTo(request, MAX_REQUEST_BYTES);
    } catch {
      // The client went away mid-body: nobody is left to answer.
      response.destroy();
      return;
    }
    if (body === undefined) {
      closeAfterAnswer(request, response);
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
    const { timeoutSeconds } = entry.spec;
    const run = entry.instances.invoke(event, timeoutSeconds * 1000, { requestId }).then((outcome) => {
      const answer = answerOf(outcome, requestId, timeoutSeconds);
      settings.onInvocation?.({ functionName: name, requestId, event, result: answer.result });
      return answer;
    });
    if (invocationType === 'Event') {
      // Asynchronous invocation: accepted now, run in the background.
      response.writeHead(202, { 'x-amzn-RequestId': requestId }).end();
      await run;
      return;
    }
    const { text, functionError, result } = await run;
    // The caller may have stopped waiting (Cognito gives up after 5 s); the function ran to the end anyway.
    if (response.destroyed) return;
    sendJson(response, 200, text, {
      'x-amzn-RequestId': requestId,
      'X-Amz-Executed-Version': LATEST,
      ...(functionError ? { 'X-Amz-Function-Error': 'Unhandled' } : {}),
      ...(request.headers['x-amz-log-type'] === 'Tail'
        ? { 'X-Amz-Log-Result': logTailOf(requestId, result) }
        : {}),
    });
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'POST' || !INVOKE_PATH.test(url.pathname)) {
      sendApiError(
        response,
        404,
        'UnknownOperationException',
        `Unknown operation ${request.method} ${url.pathname}`,
      );
      return;
    }
    invoke(request, response, url).catch((error: unknown) => {
      if (!response.headersSent) {
        sendApiError(response, 500, 'ServiceException', error instanceof Error ? error.message : 'failed');
      }
    });
  });
  const port = await listenOn(server, {
    service: LocalService.Lambda,
    host: settings.host,
    port: settings.port,
  });

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
