/**
 * The server in front of cognito-local, on the pool's port. It listens before cognito-local is built (the
 * configuration names the pool's URL as token issuer), and for each API call reads the JSON body once and
 * opens the request context (local/request-context.ts), so triggers get the caller's `ValidationData` and
 * SDK version, which cognito-local drops.
 *
 * A body is read up to {@link MAX_REQUEST_BODY_BYTES} and no further: a larger one is answered at once with
 * HTTP 413 `RequestEntityTooLargeException` in Cognito's JSON error shape, and its connection closed, so a
 * runaway or hostile client costs a few megabytes, not the size of what it sends.
 *
 * Every error answer gets Cognito's `x-amzn-ErrorType` header beside the body's `__type`
 * (local/cognito-local/error-type-header.ts).
 */
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { LocalService } from '../errors.js';
import { listenOn } from '../listen.js';
import { closeAfterAnswer, readBodyUpTo } from '../request-body.js';
import { type CognitoRequestContext, cognitoRequestContext } from '../request-context.js';
import { ERROR_TYPE_HEADER, errorTypeHeaderOf, sendErrorTypeHeader } from './error-type-header.js';
import type { Json } from './internals.js';

/** A listening front server. */
export type FrontServer = {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Hands requests to cognito-local's app from now on; until then they get 503. */
  serve(application: RequestListener): void;
  close(): Promise<void>;
};

/**
 * The largest request body the front server reads, in bytes: 8 MiB.
 *
 * The largest legitimate Cognito request is a SignUp (or AdminCreateUser) at the model's limits
 * (contract §5): some 70 user attributes (up to 50 custom ones plus the standard ones) of 32-character
 * names and 2,048-character values, as many ValidationData entries, and ClientMetadata. At JSON's worst case
 * of 6 bytes a character (`\u0001`) each attribute list is under 1 MiB. ClientMetadata has no count limit in
 * the model, but whatever a SignUp carries reaches the pre sign-up trigger inside its event, and Lambda
 * takes at most 6 MiB for a synchronous invocation (local/lambda-endpoint.ts refuses more): a body much
 * larger than 6 MiB could never be served. 8 MiB keeps 2 MiB of headroom above that for what stays out of
 * the event (password, secret hash, analytics metadata) and still stops a runaway body within milliseconds.
 */
export const MAX_REQUEST_BODY_BYTES = 8 * 1024 * 1024;

/** The error an over-long body gets, as `__type` and `x-amzn-ErrorType`. */
export const REQUEST_TOO_LARGE_TYPE = 'RequestEntityTooLargeException';

/**
 * Sends an error in the shape AWS SDKs read for Cognito's JSON protocol: the type in the body's `__type`
 * and in `x-amzn-ErrorType` (as `<type>:`), the text in `message`.
 */
function sendError(response: ServerResponse, status: number, type: string, message: string): void {
  const text = JSON.stringify({ __type: type, message });
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(text),
    [ERROR_TYPE_HEADER]: errorTypeHeaderOf(type),
  });
  response.end(text);
}

/** The body text as a JSON object (`{}` when empty or not an object); throws when it is not JSON. */
function parseJsonBody(text: string): Json {
  if (text.trim() === '') return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Json) : {};
}

/** Answers a body over the limit with 413, then ends the connection (local/request-body.ts). */
function refuseTooLarge(request: IncomingMessage, response: ServerResponse): void {
  closeAfterAnswer(request, response);
  sendError(
    response,
    413,
    REQUEST_TOO_LARGE_TYPE,
    `Request body must be at most ${MAX_REQUEST_BODY_BYTES} bytes`,
  );
}

/** The operation named by `X-Amz-Target` (`AWSCognitoIdentityProviderService.SignUp` gives `SignUp`). */
export function operationOf(target: string): string {
  return target.slice(target.indexOf('.') + 1);
}

/**
 * Starts listening; a taken fixed port fails with `PortInUseError` (`--cognito-port`).
 *
 * @example
 * const front = await startFrontServer({ host: '127.0.0.1', port: 0 });
 * front.serve(cognitoLocalApp);
 */
export async function startFrontServer(options: { host: string; port: number }): Promise<FrontServer> {
  let application: RequestListener | undefined;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const contentType = String(request.headers['content-type'] ?? '');
    const context: CognitoRequestContext = {
      operation: operationOf(String(request.headers['x-amz-target'] ?? '')),
      body: {},
      userAgent: request.headers['user-agent'],
    };
    if (request.method === 'POST' && contentType.startsWith('application/x-amz-json')) {
      let body: Buffer | undefined;
      try {
        body = await readBodyUpTo(request, MAX_REQUEST_BODY_BYTES);
      } catch {
        // The client went away mid-body: nobody is left to answer.
        response.destroy();
        return;
      }
      if (body === undefined) {
        refuseTooLarge(request, response);
        return;
      }
      try {
        context.body = parseJsonBody(body.toString('utf8'));
      } catch {
        sendError(response, 400, 'SerializationException', 'Body is not JSON');
        return;
      }
      // The body is read: cognito-local's body parser sees a finished request and keeps `req.body`.
      (request as IncomingMessage & { body?: Json }).body = context.body;
    }
    const app = application;
    if (app === undefined) {
      response.writeHead(503).end();
      return;
    }
    sendErrorTypeHeader(response);
    cognitoRequestContext.run(context, () => app(request, response));
  }

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  const port = await listenOn(server, {
    service: LocalService.Cognito,
    host: options.host,
    port: options.port,
  });
  return {
    url: `http://${options.host}:${port}`,
    port,
    serve(app) {
      application = app;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
